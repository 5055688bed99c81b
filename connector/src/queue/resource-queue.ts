// The pg-boss queue of Scope resources to (re)process. A job only says "this resource changed": the
// worker reads the newest stored delivery of each resource, so a queued job always covers every
// delivery that arrives while it waits. The 'stately' policy keeps at most one queued, one retrying
// and one active job per singletonKey (= resource id); a send for a resource that already has a
// queued job is dropped by pg-boss, which is exactly the coalescing we want.
import PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import type { ResourceKind } from '../contracts.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryEvent } from '../webhooks/parse-delivery.ts';
import { FINAL_PRIORITY, isFinalDelivery, windowEnd } from './job-timing.ts';
import type { CoalesceWindows } from './job-timing.ts';

export const RESOURCE_QUEUE = 'scope-resource';
export const BOSS_SCHEMA = 'pgboss';

export interface ResourceJobData {
  resourceId: string;
  /** Absent when no delivery said what the node is (the processor asks Scope). */
  resourceType?: ResourceKind;
}

export interface QueueRetryOptions {
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
}

/** pg-boss on the connector's own pool, so that jobs can be inserted inside our transactions. */
export function createBoss(
  pool: Pool,
  options: { logger?: Logger; supervise?: boolean; schedule?: boolean } = {}
): PgBoss {
  const boss = new PgBoss({
    db: {
      executeSql: (text: string, values?: unknown[]) => pool.query(text, values)
    },
    schema: BOSS_SCHEMA,
    supervise: options.supervise ?? true,
    schedule: options.schedule ?? false,
    migrate: true,
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 7
  });
  boss.on('error', (error) =>
    options.logger?.error({ err: error }, 'pg-boss error')
  );
  return boss;
}

export async function ensureResourceQueue(
  boss: PgBoss,
  options: QueueRetryOptions
): Promise<void> {
  await ensureStatelyQueue(boss, RESOURCE_QUEUE, options);
}

/** A 'stately' queue (one queued, retrying and active job per singleton key) with our retry rules. */
export async function ensureStatelyQueue(
  boss: PgBoss,
  name: string,
  options: QueueRetryOptions
): Promise<void> {
  const settings = {
    name,
    policy: 'stately' as const,
    retryLimit: options.retryLimit,
    retryDelay: options.retryDelaySeconds,
    // our job runner reschedules each retry itself (capped, jittered); this is the fallback for expiry
    retryBackoff: true,
    expireInSeconds: options.expireInSeconds,
    retentionMinutes: 60 * 24 * 14
  };
  if (await boss.getQueue(name)) await boss.updateQueue(name, settings);
  else {
    await boss.createQueue(name, settings).catch(async (error: unknown) => {
      if (!(await boss.getQueue(name))) throw error; // created concurrently by another replica
    });
  }
}

export function resourceJob(
  data: ResourceJobData
): PgBoss.JobInsert<ResourceJobData> {
  return { name: RESOURCE_QUEUE, data, singletonKey: data.resourceId };
}

/** Distinct resources → one job each (pg-boss drops those whose resource already has a queued job). */
export function resourceJobs(
  items: readonly ResourceJobData[]
): PgBoss.JobInsert<ResourceJobData>[] {
  const byId = new Map<string, ResourceJobData>();
  for (const item of items)
    byId.set(item.resourceId, {
      resourceId: item.resourceId,
      ...(item.resourceType ? { resourceType: item.resourceType } : {})
    });
  return [...byId.values()].map(resourceJob);
}

export interface TimedResourceJobs {
  jobs: PgBoss.JobInsert<ResourceJobData>[];
  /** Resources with a final-state delivery: a queued job of theirs must be brought forward. */
  finalIds: string[];
  /** The final window's end (pg-boss startAfter), when there is a window. */
  finalStartAfter?: string;
}

/**
 * Deliveries → one job per resource that starts at the end of its coalescing window: the final window
 * when any of its deliveries is a final state (and the higher priority), else the progress window.
 */
export function timedResourceJobs(
  items: readonly (ResourceJobData & Pick<DeliveryEvent, 'event' | 'node'>)[],
  windows: CoalesceWindows,
  nowMs: number
): TimedResourceJobs {
  const finalIds = new Set(
    items.filter(isFinalDelivery).map((item) => item.resourceId)
  );
  const finalStartAfter = windowEnd(windows.finalSeconds, nowMs);
  const progressStartAfter = windowEnd(windows.progressSeconds, nowMs);
  const jobs = resourceJobs(items).map((job) => {
    const final = finalIds.has(job.data?.resourceId ?? '');
    const startAfter = final ? finalStartAfter : progressStartAfter;
    return {
      ...job,
      ...(final ? { priority: FINAL_PRIORITY } : {}),
      ...(startAfter ? { startAfter } : {})
    };
  });
  return {
    jobs,
    finalIds: [...finalIds],
    ...(finalStartAfter ? { finalStartAfter } : {})
  };
}

/** pg-boss's Db port over one transaction's client. */
export function transactionDb(client: {
  query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;
}) {
  return {
    executeSql: (text: string, values?: unknown[]) =>
      client.query(text, values) as Promise<{ rows: never[] }>
  };
}

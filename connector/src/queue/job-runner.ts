// Feeds the BatchProcessor from the queue: the worker loop hands over up to WORKER_BATCH_SIZE leased
// jobs (at most one per resource, never one whose resource is active elsewhere); the newest stored delivery of each resource becomes its
// ResourceEvent; each outcome is applied to its own job: written/skipped → complete, retry → fail with
// our capped, jittered delay (dead when retries are exhausted), dead → dead_letters + complete.
// The handler never throws: a failure of one outcome must not lose the others.
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import type {
  BatchProcessor,
  ProcessOutcome,
  ResourceEvent,
  ResourceKind
} from '../contracts.ts';
import { withTransaction } from '../db/pool.ts';
import { SQL } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { bossSql } from './boss-compat.ts';
import { computeRetryDelay } from './retry-delay.ts';
import {
  BOSS_SCHEMA,
  RESOURCE_QUEUE,
  transactionDb
} from './resource-queue.ts';
import { fromStoredKind, toStoredKind } from './stored-resource-kind.ts';
import { createWorkerLoop } from './worker-loop.ts';
import type { LeasedJob, WorkerLoop } from './worker-loop.ts';

export interface JobRunnerOptions {
  boss: PgBoss;
  pool: Pool;
  processor: BatchProcessor;
  batchSize: number;
  pollingIntervalSeconds: number;
  concurrency?: number;
  /** Lease of a fetched job, renewed while it is worked on (JOB_LEASE_SECONDS). */
  leaseSeconds: number;
  /** Longest a batch may be worked on before its lease is no longer renewed (JOB_EXPIRE_SECONDS). */
  maxHoldSeconds: number;
  retryDelaySeconds: number;
  retryMaxDelaySeconds: number;
  metrics?: Pick<ConnectorMetrics, 'outcome' | 'retry' | 'deadLetter'>;
  logger?: Logger;
  random?: () => number;
}

export interface JobRunner {
  start(): Promise<void>;
  /** Stops fetching; the batches in hand finish until `deadline` (epoch ms), then are handed back. */
  stop(deadline?: number): Promise<void>;
  /** One batch, as the worker loop would run it (used by tests and by the loop itself). */
  handle(jobs: LeasedJob[]): Promise<void>;
}

/**
 * How many of a resource's newest deliveries the processor sees. Enough to cover the events coalesced
 * into one job even when custom-query payloads arrive out of order; older ones no longer matter, because
 * a delivery without a complete node makes the processor fetch Scope's current state anyway.
 */
const DELIVERIES_PER_RESOURCE = 20;

interface DeliveryRow {
  resource_id: string;
  resource_type: string;
  event: string;
  delivery_id: string;
  received_at: Date;
  node: Record<string, unknown> | null;
}

const optionalKind = (kind: ResourceKind | undefined) =>
  kind ? { resourceType: kind } : {};

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { boss, pool, processor, logger } = options;
  const sqlBoss = bossSql(BOSS_SCHEMA);
  let loop: WorkerLoop | undefined;

  const loadEvents = async (jobs: LeasedJob[]): Promise<ResourceEvent[]> => {
    const ids = [...new Set(jobs.map((j) => j.data.resourceId))];
    const { rows } = await pool.query<DeliveryRow>(SQL.recentDeliveries, [
      ids,
      DELIVERIES_PER_RESOURCE
    ]);
    const events: ResourceEvent[] = rows.map((row) => ({
      resourceId: row.resource_id,
      ...optionalKind(fromStoredKind(row.resource_type)),
      event: row.event,
      deliveryId: row.delivery_id,
      receivedAt: row.received_at.toISOString(),
      ...(row.node ? { node: row.node } : {})
    }));
    const stored = new Set(rows.map((row) => row.resource_id));
    for (const resourceId of ids) {
      if (stored.has(resourceId)) continue;
      // enqueued without a stored delivery (a replay after retention, or a reconciliation job)
      const job = jobs.find((j) => j.data.resourceId === resourceId);
      events.push({
        resourceId,
        ...optionalKind(job?.data.resourceType),
        event: 'reprocess',
        receivedAt: (job?.createdOn ?? new Date()).toISOString()
      });
    }
    return events;
  };

  const deadLetter = async (job: LeasedJob, reason: string): Promise<void> => {
    await withTransaction(pool, async (client) => {
      await client.query(SQL.upsertDeadLetter, [
        job.data.resourceId,
        toStoredKind(job.data.resourceType),
        reason,
        job.retryCount + 1
      ]);
      await boss.complete(
        RESOURCE_QUEUE,
        job.id,
        { deadLettered: true, reason },
        { db: transactionDb(client) }
      );
    });
    options.metrics?.deadLetter();
    logger?.warn(
      { resourceId: job.data.resourceId, jobId: job.id, reason },
      'resource moved to dead letters'
    );
  };

  const retry = async (
    job: LeasedJob,
    outcome: ProcessOutcome
  ): Promise<void> => {
    const reason = outcome.reason ?? 'retry requested';
    if (job.retryCount >= job.retryLimit) {
      await deadLetter(
        job,
        `retries exhausted after ${job.retryCount + 1} attempts: ${reason}`
      );
      return;
    }
    const delay = computeRetryDelay(job.retryCount, {
      baseSeconds: options.retryDelaySeconds,
      maxSeconds: options.retryMaxDelaySeconds,
      hintSeconds: outcome.retryAfterSeconds,
      random: options.random
    });
    await withTransaction(pool, async (client) => {
      await boss.fail(
        RESOURCE_QUEUE,
        job.id,
        { reason },
        { db: transactionDb(client) }
      );
      await client.query(sqlBoss.scheduleRetry, [
        RESOURCE_QUEUE,
        job.id,
        delay
      ]);
    });
    options.metrics?.retry();
    logger?.info(
      {
        resourceId: job.data.resourceId,
        jobId: job.id,
        attempt: job.retryCount + 1,
        delaySeconds: Math.round(delay),
        reason
      },
      'resource will be retried'
    );
  };

  const handle = async (jobs: LeasedJob[]): Promise<void> => {
    if (jobs.length === 0) return;
    let outcomes: ProcessOutcome[];
    try {
      const events = await loadEvents(jobs);
      outcomes = await processor.process(events);
    } catch (error) {
      logger?.error(
        { err: error, jobs: jobs.length },
        'batch processing failed; every job of the batch will be retried'
      );
      outcomes = jobs.map((j) => ({
        resourceId: j.data.resourceId,
        status: 'retry',
        reason: (error as Error).message
      }));
    }
    const byResource = new Map(outcomes.map((o) => [o.resourceId, o]));
    const done: string[] = [];
    for (const job of jobs) {
      const outcome = byResource.get(job.data.resourceId) ?? {
        resourceId: job.data.resourceId,
        status: 'retry' as const,
        reason: 'the processor returned no outcome for this resource'
      };
      options.metrics?.outcome(outcome.status);
      try {
        if (outcome.status === 'written' || outcome.status === 'skipped')
          done.push(job.id);
        else if (outcome.status === 'dead')
          await deadLetter(job, outcome.reason ?? 'permanent failure');
        else await retry(job, outcome);
      } catch (error) {
        // the job stays active; its lease is no longer renewed, so it is reclaimed within JOB_LEASE_SECONDS
        logger?.error(
          { err: error, resourceId: job.data.resourceId, jobId: job.id },
          'could not record the job outcome'
        );
      }
    }
    if (done.length > 0) {
      await boss.complete(RESOURCE_QUEUE, done).catch((error: unknown) => {
        logger?.error(
          { err: error, jobs: done.length },
          'could not complete jobs; they will be processed again'
        );
      });
    }
  };

  return {
    handle,
    start: async () => {
      loop ??= createWorkerLoop({
        pool,
        handle,
        batchSize: options.batchSize,
        pollingIntervalSeconds: options.pollingIntervalSeconds,
        concurrency: options.concurrency ?? 1,
        leaseSeconds: options.leaseSeconds,
        maxHoldSeconds: options.maxHoldSeconds,
        logger
      });
      loop.start();
    },
    stop: async (deadline = Date.now() + 30_000) => {
      await loop?.stop(deadline);
    }
  };
}

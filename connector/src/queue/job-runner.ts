// Feeds the BatchProcessor from the queue: pg-boss hands over up to WORKER_BATCH_SIZE jobs (at most one
// per resource, thanks to the stately policy); the newest stored delivery of each resource becomes its
// ResourceEvent; each outcome is applied to its own job: written/skipped → complete, retry → fail with
// our capped, jittered delay (dead when retries are exhausted), dead → dead_letters + complete.
// The handler never throws: pg-boss would otherwise fail the whole batch.
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import type {
  BatchProcessor,
  ProcessOutcome,
  ResourceEvent,
  ResourceKind
} from '../contracts.ts';
import { withTransaction } from '../db/pool.ts';
import { bossSql, SQL } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { computeRetryDelay } from './retry-delay.ts';
import {
  BOSS_SCHEMA,
  RESOURCE_QUEUE,
  transactionDb
} from './resource-queue.ts';
import type { ResourceJobData } from './resource-queue.ts';
import { fromStoredKind, toStoredKind } from './stored-resource-kind.ts';

export interface JobRunnerOptions {
  boss: PgBoss;
  pool: Pool;
  processor: BatchProcessor;
  batchSize: number;
  pollingIntervalSeconds: number;
  concurrency?: number;
  retryDelaySeconds: number;
  retryMaxDelaySeconds: number;
  metrics?: Pick<ConnectorMetrics, 'outcome' | 'retry' | 'deadLetter'>;
  logger?: Logger;
  random?: () => number;
}

export interface JobRunner {
  start(): Promise<void>;
  /** Stops fetching new batches; pg-boss's own stop waits for (or hands back) the batch in hand. */
  stop(): Promise<void>;
  /** One batch, as the worker loop would run it (used by tests and by the loop itself). */
  handle(jobs: PgBoss.JobWithMetadata<ResourceJobData>[]): Promise<void>;
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
  generation: number;
  received_at: Date;
  sent_at: Date | null;
  node: Record<string, unknown> | null;
}

const optionalKind = (kind: ResourceKind | undefined) =>
  kind ? { resourceType: kind } : {};

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { boss, pool, processor, logger } = options;
  const sqlBoss = bossSql(BOSS_SCHEMA);
  const workerIds: string[] = [];

  const loadEvents = async (
    jobs: PgBoss.JobWithMetadata<ResourceJobData>[]
  ): Promise<ResourceEvent[]> => {
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
      generation: row.generation === 1 ? 1 : 2,
      receivedAt: row.received_at.toISOString(),
      ...(row.sent_at ? { sentAt: row.sent_at.toISOString() } : {}),
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
        deliveryId: `job:${job?.id ?? resourceId}`,
        generation: 2,
        receivedAt: (job?.createdOn ?? new Date()).toISOString()
      });
    }
    return events;
  };

  const deadLetter = async (
    job: PgBoss.JobWithMetadata<ResourceJobData>,
    reason: string
  ): Promise<void> => {
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
    job: PgBoss.JobWithMetadata<ResourceJobData>,
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

  const handle = async (
    jobs: PgBoss.JobWithMetadata<ResourceJobData>[]
  ): Promise<void> => {
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
        // the job stays active; pg-boss expires and retries it after expireInSeconds
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
      if (workerIds.length > 0) return;
      for (let i = 0; i < (options.concurrency ?? 1); i++) {
        workerIds.push(
          await boss.work<ResourceJobData>(
            RESOURCE_QUEUE,
            {
              batchSize: options.batchSize,
              pollingIntervalSeconds: options.pollingIntervalSeconds,
              includeMetadata: true
            },
            handle
          )
        );
      }
    },
    stop: async () => {
      const ids = workerIds.splice(0);
      for (const id of ids) await boss.offWork({ id });
    }
  };
}

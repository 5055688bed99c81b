// Applies each outcome of a batch to its own job: written/skipped → complete (one statement for the
// batch), retry → fail with our capped, jittered delay (dead when retries are exhausted), dead →
// dead_letters + complete in one transaction. A failure to record one outcome never loses the others.
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import type { ProcessOutcome } from '../contracts.ts';
import { withTransaction } from '../db/pool.ts';
import { SQL } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { bossSql } from '../queue/boss-compat.ts';
import { computeRetryDelay } from '../queue/retry-delay.ts';
import {
  BOSS_SCHEMA,
  RESOURCE_QUEUE,
  transactionDb
} from '../queue/resource-queue.ts';
import { toStoredKind } from '../queue/stored-resource-kind.ts';
import type { LeasedJob } from './leased-job.ts';

export interface OutcomeRecorder {
  boss: PgBoss;
  pool: Pool;
  retryDelaySeconds: number;
  retryMaxDelaySeconds: number;
  metrics?: Pick<ConnectorMetrics, 'outcome' | 'retry' | 'deadLetter'>;
  logger?: Logger;
  random?: () => number;
  /** The pg-boss queue of the jobs (default: the session queue); dead letters are kept per queue. */
  queue?: string;
}

const queueOf = (to: OutcomeRecorder) => to.queue ?? RESOURCE_QUEUE;

const sqlBoss = bossSql(BOSS_SCHEMA);

async function deadLetter(
  to: OutcomeRecorder,
  job: LeasedJob,
  reason: string
): Promise<void> {
  await withTransaction(to.pool, async (client) => {
    await client.query(SQL.upsertDeadLetter, [
      job.data.resourceId,
      toStoredKind(job.data.resourceType),
      reason,
      job.retryCount + 1,
      queueOf(to)
    ]);
    await to.boss.complete(
      queueOf(to),
      job.id,
      { deadLettered: true, reason },
      { db: transactionDb(client) }
    );
  });
  to.metrics?.deadLetter();
  to.logger?.warn(
    { resourceId: job.data.resourceId, jobId: job.id, reason },
    'resource moved to dead letters'
  );
}

const retryDelay = (
  to: OutcomeRecorder,
  attempt: number,
  outcome: ProcessOutcome
): number =>
  computeRetryDelay(attempt, {
    baseSeconds: to.retryDelaySeconds,
    maxSeconds: to.retryMaxDelaySeconds,
    hintSeconds: outcome.retryAfterSeconds,
    random: to.random
  });

/** Back to the queue without using a retry: nothing reached Salesforce (our own API budget refused). */
async function defer(
  to: OutcomeRecorder,
  job: LeasedJob,
  outcome: ProcessOutcome
): Promise<void> {
  const delay = retryDelay(to, 0, outcome);
  await to.pool.query(sqlBoss.deferJob, [queueOf(to), job.id, delay]);
  to.logger?.info(
    {
      resourceId: job.data.resourceId,
      jobId: job.id,
      delaySeconds: Math.round(delay),
      reason: outcome.reason
    },
    'resource waits for the API budget (not counted as an attempt)'
  );
}

async function retry(
  to: OutcomeRecorder,
  job: LeasedJob,
  outcome: ProcessOutcome
): Promise<void> {
  const reason = outcome.reason ?? 'retry requested';
  if (outcome.uncounted) return defer(to, job, outcome);
  if (job.retryCount >= job.retryLimit) {
    const attempts = job.retryCount + 1;
    await deadLetter(
      to,
      job,
      `retries exhausted after ${attempts} attempts: ${reason}`
    );
    return;
  }
  const delay = retryDelay(to, job.retryCount, outcome);
  await withTransaction(to.pool, async (client) => {
    const db = transactionDb(client);
    await to.boss.fail(queueOf(to), job.id, { reason }, { db });
    await client.query(sqlBoss.scheduleRetry, [queueOf(to), job.id, delay]);
  });
  to.metrics?.retry();
  to.logger?.info(
    {
      resourceId: job.data.resourceId,
      jobId: job.id,
      attempt: job.retryCount + 1,
      delaySeconds: Math.round(delay),
      reason
    },
    'resource will be retried'
  );
}

function outcomeOf(
  job: LeasedJob,
  byResource: Map<string, ProcessOutcome>
): ProcessOutcome {
  return (
    byResource.get(job.data.resourceId) ?? {
      resourceId: job.data.resourceId,
      status: 'retry',
      reason: 'the processor returned no outcome for this resource'
    }
  );
}

export async function recordOutcomes(
  to: OutcomeRecorder,
  jobs: LeasedJob[],
  outcomes: ProcessOutcome[]
): Promise<void> {
  const byResource = new Map(outcomes.map((o) => [o.resourceId, o]));
  const done: string[] = [];
  for (const job of jobs) {
    const outcome = outcomeOf(job, byResource);
    to.metrics?.outcome(outcome.status);
    try {
      if (outcome.status === 'written' || outcome.status === 'skipped')
        done.push(job.id);
      else if (outcome.status === 'dead')
        await deadLetter(to, job, outcome.reason ?? 'permanent failure');
      else await retry(to, job, outcome);
    } catch (error) {
      // the job stays active; its lease is no longer renewed, so it is reclaimed within JOB_LEASE_SECONDS
      to.logger?.error(
        { err: error, resourceId: job.data.resourceId, jobId: job.id },
        'could not record the job outcome'
      );
    }
  }
  if (done.length === 0) return;
  await to.boss.complete(queueOf(to), done).catch((error: unknown) => {
    to.logger?.error(
      { err: error, jobs: done.length },
      'could not complete jobs; they will be processed again'
    );
  });
}

// The lease statements of boss-compat as one replica uses them: fetch a batch under its holder name,
// renew what it holds (the heartbeat), reclaim the jobs of replicas whose lease lapsed (they died), and
// hand back at shutdown what it could not finish.
import type { Pool } from 'pg';
import type { Logger } from '../logger.ts';
import { bossSql, isUniqueViolation } from '../queue/boss-compat.ts';
import type { HandBackCount } from '../queue/boss-compat.ts';
import { BOSS_SCHEMA, RESOURCE_QUEUE } from '../queue/resource-queue.ts';
import type { LeasedJob } from './leased-job.ts';

export interface LeaseHolder {
  pool: Pool;
  /** Lease holder name in job_leases (host:pid:random by default). */
  holder: string;
  /** A job whose lease is not renewed for this long goes back to the queue. */
  leaseSeconds: number;
  logger?: Logger;
  /** The pg-boss queue whose jobs it leases (default: the session queue). */
  queue?: string;
}

const queueOf = (by: LeaseHolder) => by.queue ?? RESOURCE_QUEUE;

const sql = bossSql(BOSS_SCHEMA);

/** Consecutive 23505s (two replicas racing for one key) retried at once before waiting for the next poll. */
const FETCH_CONFLICT_RETRIES = 3;

/** `progressDelaySeconds`: how much longer progress jobs (not final states) wait (progress-delay.ts). */
export async function fetchLeasedBatch(
  by: LeaseHolder,
  batchSize: number,
  progressDelaySeconds = 0
): Promise<LeasedJob[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { rows } = await by.pool.query<LeasedJob>(sql.fetchLeased, [
        queueOf(by),
        batchSize,
        by.holder,
        by.leaseSeconds,
        progressDelaySeconds
      ]);
      return rows;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= FETCH_CONFLICT_RETRIES)
        throw error;
    }
  }
}

export async function renewLeases(
  by: LeaseHolder,
  jobIds: string[]
): Promise<void> {
  if (jobIds.length === 0) return;
  await by.pool.query(sql.renewLeases, [by.holder, jobIds, by.leaseSeconds]);
}

export async function reclaimLapsedLeases(by: LeaseHolder): Promise<void> {
  const { rows } = await by.pool.query<HandBackCount>(sql.reclaimExpired, [
    queueOf(by),
    by.leaseSeconds
  ]);
  const counts = rows[0];
  if (counts && counts.covered + counts.released > 0)
    by.logger?.warn(counts, 'reclaimed jobs whose lease lapsed');
  await by.pool.query(sql.dropStaleLeases, [queueOf(by)]);
}

export async function handBackJobs(
  by: LeaseHolder,
  jobIds: string[]
): Promise<void> {
  const { rows } = await by.pool.query<HandBackCount>(sql.handBackJobs, [
    queueOf(by),
    jobIds
  ]);
  by.logger?.info(
    { jobs: jobIds.length, ...rows[0] },
    'handed back jobs at shutdown'
  );
}

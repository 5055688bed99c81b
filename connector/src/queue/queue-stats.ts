// Queue depth and the age of the oldest unfinished job, for /metrics and `connector status`.
import type { Pool } from 'pg';
import { bossSql } from './boss-compat.ts';
import type { HandBackCount } from './boss-compat.ts';
import { countPendingDeadLetters } from './dead-letters.ts';
import { BOSS_SCHEMA, RESOURCE_QUEUE } from './resource-queue.ts';

export interface QueueStats {
  depth: number;
  oldestPendingSeconds: number;
  deadLetters: number;
  states: Record<string, number>;
}

export async function getQueueStats(
  pool: Pool,
  queue: string = RESOURCE_QUEUE
): Promise<QueueStats> {
  const sql = bossSql(BOSS_SCHEMA);
  const [probe, states, deadLetters] = await Promise.all([
    pool.query<{ depth: number; oldest_pending_seconds: number }>(
      sql.queueProbe,
      [queue]
    ),
    pool.query<{ state: string; count: number }>(sql.queueStates, [queue]),
    countPendingDeadLetters(pool)
  ]);
  return {
    depth: probe.rows[0]?.depth ?? 0,
    oldestPendingSeconds: probe.rows[0]?.oldest_pending_seconds ?? 0,
    deadLetters,
    states: Object.fromEntries(states.rows.map((r) => [r.state, r.count]))
  };
}

/** Embedded single node only: jobs that were active when the previous process died are retried now. */
export async function releaseOrphanedJobs(
  pool: Pool,
  queue: string = RESOURCE_QUEUE
): Promise<number> {
  const { rows } = await pool.query<HandBackCount>(
    bossSql(BOSS_SCHEMA).handBackAllActive,
    [queue]
  );
  return (rows[0]?.covered ?? 0) + (rows[0]?.released ?? 0);
}

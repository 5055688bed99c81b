// Every statement the connector runs against pg-boss's own tables, in one place, written against
// pg-boss 10.4 (node_modules/pg-boss/src/plans.js: the partitioned `job` table, its job_state enum and
// the stately unique index job_i3 on (name, state, singleton_key) for state <= 'active').
//
// Why it exists: pg-boss 10's fetch (plans.fetchNextJob) picks the oldest created/retry jobs and sets
// them active without looking at jobs that are already active. On a stately queue a fetched job whose
// key already has an active job violates job_i3 (23505); manager.fetch swallows that error and returns
// no jobs, so one resource held by a dead or busy replica stalls every poll of every replica.
// `fetchLeased` skips keys with an active job instead, and records a lease that the holder renews; a
// lease that lapses (its replica died) hands the job back within the lease, not after expiry.
//
// When it can go: once we run a pg-boss whose own fetch skips singleton keys that are active and whose
// expiry we can run every few seconds (pg-boss 11 needs Node 22: read its plans.js fetchNextJob then);
// delete this module, the job_leases table and the worker loop, and go back to boss.work(). The tests
// test/connector/queue/leased-fetch.test.ts and test/connector/replicas/recovery.test.ts say whether it
// is safe.
import { assertSchemaName } from '../db/sql.ts';
import type { Logger } from '../logger.ts';

/** Columns handed to the job runner, with pg-boss's own camelCase names (see plans.allJobColumns). */
const JOB_COLUMNS = `
  id::text AS id, name, data, retry_count AS "retryCount", retry_limit AS "retryLimit",
  created_on AS "createdOn", singleton_key AS "singletonKey"`;

/**
 * The jobs of `expired` are given back: completed when a pending job covers their key, else released
 * for a retry (`release`: the SET clause, by default at once and counted as an attempt on the next fetch).
 */
function handBack(
  schema: string,
  expired: string,
  release = 'start_after = now()'
): string {
  const pendingForKey = `
    SELECT 1 FROM ${schema}.job p
    WHERE p.name = $1 AND p.singleton_key = e.singleton_key AND p.state IN ('created', 'retry')`;
  return `
    WITH expired AS (${expired}),
    covered AS (
      UPDATE ${schema}.job j SET state = 'completed', completed_on = now(),
        output = '{"reason":"handed back; covered by a pending job of the same resource"}'::jsonb
      FROM expired e
      WHERE j.name = $1 AND j.id = e.id AND EXISTS (${pendingForKey})
      RETURNING j.id
    ),
    released AS (
      UPDATE ${schema}.job j SET state = 'retry', ${release}
      FROM expired e
      WHERE j.name = $1 AND j.id = e.id AND NOT EXISTS (${pendingForKey})
      RETURNING j.id
    ),
    unleased AS (DELETE FROM job_leases WHERE job_id IN (SELECT id FROM expired))
    SELECT (SELECT count(*) FROM covered)::int AS covered, (SELECT count(*) FROM released)::int AS released`;
}

/**
 * $1 queue, $2 batch size, $3 lease holder, $4 lease seconds, $5 seconds a progress job (priority 0)
 * waits beyond its start_after (the coalescing window widened while the API budget runs low). Final states (higher priority) come first. Like plans.fetchNextJob (oldest first,
 * SKIP LOCKED, one job per key per batch, retry_count + 1 on a re-run) but never a key that already
 * has an active job. Two replicas taking two different pending jobs of one key at the same instant
 * can still collide on job_i3: that is a 23505 for one of them, which simply fetches again.
 */
function fetchLeasedSql(schema: string): string {
  return `
      WITH next AS (
        SELECT j.id, j.singleton_key FROM ${schema}.job j
        WHERE j.name = $1 AND j.state < 'active' AND j.start_after < now()
          AND (j.priority > 0 OR j.start_after < now() - make_interval(secs => COALESCE($5::float, 0)))
          AND NOT EXISTS (
            SELECT 1 FROM ${schema}.job a
            WHERE a.name = $1 AND a.state = 'active' AND a.singleton_key = j.singleton_key)
        ORDER BY j.priority DESC, j.created_on, j.id
        LIMIT $2
        FOR UPDATE SKIP LOCKED
      ),
      ranked AS (
        SELECT id, row_number() OVER (PARTITION BY COALESCE(singleton_key, id::text) ORDER BY id) AS rank
        FROM next
      ),
      taken AS (
        UPDATE ${schema}.job j SET state = 'active', started_on = now(),
          retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1 ELSE j.retry_count END
        FROM ranked r
        WHERE j.name = $1 AND j.id = r.id AND r.rank = 1
        RETURNING j.*
      ),
      leased AS (
        INSERT INTO job_leases (job_id, holder, expires_at)
        SELECT id, $3, now() + make_interval(secs => $4::float) FROM taken
        ON CONFLICT (job_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
      )
      SELECT ${JOB_COLUMNS} FROM taken`;
}

export const bossSql = (schema: string) => {
  assertSchemaName(schema);
  return {
    fetchLeased: fetchLeasedSql(schema),
    /**
     * $1 queue, $2 resource ids, $3 start_after: a final state arrived for resources whose job is already
     * queued (pg-boss dropped the new one on the stately key): that job starts by the final window's end,
     * at the final priority ($4).
     */
    promoteQueued: `
      UPDATE ${schema}.job SET start_after = LEAST(start_after, $3::timestamptz), priority = GREATEST(priority, $4::int)
      WHERE name = $1 AND singleton_key = ANY($2::text[]) AND state = 'created'
        AND (start_after > $3::timestamptz OR priority < $4::int)`,
    /** $1 holder, $2 job ids, $3 lease seconds: the heartbeat of the jobs a replica is working on. */
    renewLeases: `
      UPDATE job_leases SET expires_at = now() + make_interval(secs => $3::float)
      WHERE holder = $1 AND job_id = ANY($2::uuid[])`,
    /**
     * $1 queue, $2 lease seconds. Active jobs whose lease lapsed, and active jobs without a lease (taken by
     * pg-boss's own fetch, e.g. by an older replica during a rolling upgrade) active for longer than a lease.
     */
    reclaimExpired: handBack(
      schema,
      `SELECT j.id, j.singleton_key FROM ${schema}.job j
       LEFT JOIN job_leases l ON l.job_id = j.id
       WHERE j.name = $1 AND j.state = 'active'
         AND (l.expires_at < now()
           OR (l.job_id IS NULL AND j.started_on < now() - make_interval(secs => $2::float)))
       FOR UPDATE OF j SKIP LOCKED`
    ),
    /** $1 queue, $2 job ids: a stopping replica gives back the jobs it could not finish. */
    handBackJobs: handBack(
      schema,
      `SELECT j.id, j.singleton_key FROM ${schema}.job j
       WHERE j.name = $1 AND j.state = 'active' AND j.id = ANY($2::uuid[])
       FOR UPDATE`
    ),
    /** $1 queue: every active job (embedded single node at start-up: nothing else can hold one). */
    handBackAllActive: handBack(
      schema,
      `SELECT j.id, j.singleton_key FROM ${schema}.job j
       WHERE j.name = $1 AND j.state = 'active'
       FOR UPDATE`
    ),
    /** $1 queue: leases of jobs that are no longer active (completed, failed, expired by pg-boss). */
    dropStaleLeases: `
      DELETE FROM job_leases l WHERE NOT EXISTS (
        SELECT 1 FROM ${schema}.job j WHERE j.name = $1 AND j.id = l.job_id AND j.state = 'active')`,

    queueProbe: `
      SELECT
        count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS depth,
        COALESCE(EXTRACT(EPOCH FROM now() - min(created_on) FILTER (WHERE state IN ('created', 'retry', 'active'))), 0)::float AS oldest_pending_seconds
      FROM ${schema}.job WHERE name = $1`,
    queueStates: `SELECT state::text AS state, count(*)::int AS count FROM ${schema}.job WHERE name = $1 GROUP BY state`,
    /**
     * $1 queue, $2 job id, $3 delay seconds: an attempt that never reached Salesforce (our API budget said
     * no) goes back without counting: started_on cleared, so the next fetch does not add to retry_count.
     * A pending job of the same key already covers it (job_i3 allows one per state): then it completes.
     */
    deferJob: handBack(
      schema,
      `SELECT j.id, j.singleton_key FROM ${schema}.job j
       WHERE j.name = $1 AND j.state = 'active' AND j.id = $2::uuid
       FOR UPDATE`,
      'started_on = NULL, start_after = now() + make_interval(secs => $3::float)'
    ),
    /** Our own backoff (exponential, jitter, cap) replaces pg-boss's uncapped one for jobs now in retry. */
    scheduleRetry: `
      UPDATE ${schema}.job SET start_after = now() + make_interval(secs => $3::float)
      WHERE name = $1 AND id = $2::uuid AND state = 'retry'`
  };
};

export interface HandBackCount {
  covered: number;
  released: number;
}

/** PostgreSQL's unique_violation: the one error a fetch can hit when two replicas race for one key. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

// pg-boss 10 completes (or fails) a worker's jobs after the handler without awaiting the promise
// (manager.js onFetch: `this.complete(name, jobIds, …)`). With PostgreSQL down or restarting, that query
// rejects with nobody listening and Node ends the process: every replica would die with the database.
// Our job runner records each outcome itself, so that extra completion is redundant: its failure is
// logged. Any other unhandled rejection still ends the process, as it would without this guard.
// When it can go: with this module (a pg-boss whose background queries handle their own errors).
const BOSS_INTERNALS = /[\\/]pg-boss[\\/]src[\\/]/;

export function isBossInternalRejection(reason: unknown): boolean {
  return reason instanceof Error && BOSS_INTERNALS.test(reason.stack ?? '');
}

/** Installs the guard; returns the function that removes it. */
export function guardBossRejections(logger?: Logger): () => void {
  const onRejection = (reason: unknown) => {
    if (!isBossInternalRejection(reason)) throw reason;
    logger?.warn(
      { err: reason },
      'pg-boss background query failed (the database is unreachable?)'
    );
  };
  process.on('unhandledRejection', onRejection);
  return () => process.removeListener('unhandledRejection', onRejection);
}

// Read-only looks at the shared queue (pg-boss's job table) and the connector's tables, plus a pg-boss
// supervisor that runs pg-boss's own maintenance (expiry of jobs a dead replica held) every 2 s instead
// of every 120 s, so that the tests do not wait minutes for it.
import PgBoss from 'pg-boss';
import type pg from 'pg';

export async function activeJobIds(
  pool: pg.Pool,
  olderThanSeconds = 0
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id::text FROM pgboss.job
     WHERE name = 'scope-resource' AND state = 'active'
       AND started_on < now() - make_interval(secs => $1::float)`,
    [olderThanSeconds]
  );
  return rows.map((r) => r.id);
}

/** Active jobs leased by the replica process `pid` (the lease holder is host:pid:random). */
export async function jobsLeasedBy(
  pool: pg.Pool,
  pid: number
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT l.job_id::text AS id FROM job_leases l
     JOIN pgboss.job j ON j.id = l.job_id AND j.name = 'scope-resource' AND j.state = 'active'
     WHERE split_part(l.holder, ':', 2) = $1`,
    [String(pid)]
  );
  return rows.map((r) => r.id);
}

export async function jobStates(
  pool: pg.Pool,
  ids: readonly string[]
): Promise<{ id: string; state: string; retry_count: number }[]> {
  const { rows } = await pool.query<{
    id: string;
    state: string;
    retry_count: number;
  }>(
    `SELECT id::text, state::text, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])`,
    [ids]
  );
  return rows;
}

/**
 * Pairs of jobs of one resource whose active periods overlapped: a resource processed by two
 * workers at once. Only finished jobs (completed, or failed and retried later) have a full interval.
 */
export async function overlappingJobs(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `WITH spans AS (
       SELECT id, singleton_key, started_on, completed_on FROM pgboss.job
       WHERE name = 'scope-resource' AND state = 'completed' AND started_on IS NOT NULL
     )
     SELECT count(*)::int AS n FROM spans a JOIN spans b
       ON a.singleton_key = b.singleton_key AND a.id < b.id
      AND a.started_on < b.completed_on AND b.started_on < a.completed_on`
  );
  return rows[0]?.n ?? 0;
}

export async function storedDeliveryIds(
  pool: pg.Pool,
  ids: readonly string[]
): Promise<Set<string>> {
  const { rows } = await pool.query<{ delivery_id: string }>(
    'SELECT delivery_id FROM deliveries WHERE delivery_id = ANY($1::text[])',
    [ids]
  );
  return new Set(rows.map((r) => r.delivery_id));
}

export async function startMaintenance(
  connectionString: string
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 2,
    migrate: false,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: 2
  });
  boss.on('error', () => undefined); // the restart test cuts its connections too
  await boss.start();
  return boss;
}

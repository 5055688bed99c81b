// What the replicas did, read from the outside: each replica's count of written resources (its /metrics)
// and the longest stretch without any job completing (pg-boss's job table), for the pause measurements.
import type pg from 'pg';
import type { Replica } from './replica-process.ts';

/** worklink_process_outcomes_total{status="written"} of one replica. */
export async function writtenBy(replica: Replica): Promise<number> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) =>
      l.startsWith('worklink_process_outcomes_total{status="written"}')
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Longest gap (ms) between two consecutive job completions in [from, to], edges included. */
export async function longestProcessingPause(
  pool: pg.Pool,
  from: Date,
  to: Date
): Promise<number> {
  const { rows } = await pool.query<{ gap_ms: number | null }>(
    `WITH done AS (
       SELECT completed_on AS at FROM pgboss.job
       WHERE name = 'scope-resource' AND state = 'completed' AND completed_on BETWEEN $1 AND $2
       UNION ALL SELECT $1::timestamptz UNION ALL SELECT $2::timestamptz
     )
     SELECT max(EXTRACT(EPOCH FROM gap) * 1000)::float AS gap_ms FROM (
       SELECT at - lag(at) OVER (ORDER BY at) AS gap FROM done
     ) gaps`,
    [from, to]
  );
  return rows[0]?.gap_ms ?? 0;
}

/** Pino events of a replica whose msg is `message`. */
export function logged(
  replica: Replica,
  message: string
): Record<string, unknown>[] {
  return replica.events.filter((e) => e.msg === message);
}

// The Salesforce API spend ledger in PostgreSQL (salesforce/api-budget.ts): calls per second, shared by
// every replica of a deployment and kept across restarts; rows older than 25 hours are pruned.
import type { Pool } from 'pg';
import type { SpendLedger } from '../salesforce/api-budget.ts';

const RECORD = `
  WITH added AS (
    INSERT INTO salesforce_api_spend (second, calls)
    VALUES (date_trunc('second', $2::timestamptz), $1)
    ON CONFLICT (second) DO UPDATE SET calls = salesforce_api_spend.calls + EXCLUDED.calls
  )
  DELETE FROM salesforce_api_spend WHERE second < $2::timestamptz - interval '25 hours'`;

const SPENT_SINCE = `
  SELECT (
    SELECT COALESCE(sum(calls), 0)::int FROM salesforce_api_spend
    WHERE second >= date_trunc('second', t.since)
  ) AS calls
  FROM unnest($1::timestamptz[]) WITH ORDINALITY AS t(since, n)
  ORDER BY t.n`;

export function createPostgresLedger(pool: Pool): SpendLedger {
  return {
    record: async (calls, at) => {
      await pool.query(RECORD, [calls, at.toISOString()]);
    },
    spentSince: async (instants) => {
      const { rows } = await pool.query<{ calls: number }>(SPENT_SINCE, [
        instants.map((i) => i.toISOString())
      ]);
      return rows.map((r) => r.calls);
    }
  };
}

/** For `connector status`: the spend of the last hour and the last 24 hours. */
export async function readApiSpend(
  pool: Pool
): Promise<{ lastHour: number; last24h: number }> {
  const now = Date.now();
  const [lastHour = 0, last24h = 0] = await createPostgresLedger(
    pool
  ).spentSince([new Date(now - 3_600_000), new Date(now - 86_400_000)]);
  return { lastHour, last24h };
}

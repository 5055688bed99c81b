// The pass's row in analytics.sync_runs: inserted when the pass starts (after marking runs that died
// with their process as interrupted), its counters saved after each committed batch, its outcome set
// at the end.
import { ANALYTICS_SQL as SQL } from '../analytics/sql.ts';
import type { Pool } from '../db/pool.ts';
import type { SyncSummary } from './sync-pass-types.ts';

/** Only call under the sync lock: holding it proves that no run still marked running is alive. */
export async function startRun(
  pool: Pool,
  trigger: 'cli' | 'cron' | 'backfill',
  mode: 'incremental' | 'full'
): Promise<number> {
  await pool.query(SQL.interruptStaleRuns);
  const inserted = await pool.query<{ run_id: string }>(SQL.insertRun, [
    trigger,
    mode,
    false,
    null
  ]);
  return Number(inserted.rows[0]?.run_id);
}

export async function saveRun(
  pool: Pool,
  runId: number,
  summary: SyncSummary
): Promise<void> {
  await pool.query(SQL.updateRun, [
    runId,
    summary.pages,
    summary.graphqlRequests,
    summary.sessions.seen,
    summary.sessions.written,
    summary.sessions.unchanged,
    summary.calls.seen,
    summary.calls.written,
    summary.calls.unchanged,
    summary.reconcile.checked,
    summary.reconcile.repaired,
    summary.reconcile.failed,
    summary.errors.length,
    JSON.stringify(summary.errors),
    summary.resumed,
    summary.sessions.updatedSince
  ]);
}

export async function finishRun(
  pool: Pool,
  runId: number,
  outcome: SyncSummary['outcome']
): Promise<void> {
  await pool.query(SQL.finishRun, [runId, outcome]);
}

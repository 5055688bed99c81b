// One sync pass: under an advisory lock (one pass at a time across processes and replicas), for each
// stream (scenario sessions, then calls) page through Scope with a small page size, write the rows
// whose content hash changed into the analytics schema, hand every node to reconciliation in batches,
// and persist the cursor after each committed batch, so a pass that dies resumes where it stopped
// (the stream's stages: sync-stream.ts). Memory holds one page plus one reconciliation batch.
import type { ResourceKind } from '../contracts.ts';
import { ANALYTICS_SQL as SQL, SYNC_LOCK_KEY } from '../analytics/sql.ts';
import type { Pool } from '../db/pool.ts';
import type { NodeFieldPaths } from '../mapping/index.ts';
import { CALL_PATHS, SESSION_PATHS } from '../scope/index.ts';
import type { Execute } from '../scope/index.ts';
import { SyncAbortedError } from './page-stream.ts';
import { SYNC_STREAMS, addError, addRollups } from './sync-pass-types.ts';
import type {
  PassContext,
  StreamSummary,
  SyncPassOptions,
  SyncSummary
} from './sync-pass-types.ts';
import { finishRun, saveRun, startRun } from './sync-run-row.ts';
import { syncStream } from './sync-stream.ts';
import { noopSyncMetrics } from './sync-metrics.ts';

export { SYNC_STREAMS } from './sync-pass-types.ts';
export type {
  StreamSummary,
  SyncPassOptions,
  SyncProgress,
  SyncStream,
  SyncSummary
} from './sync-pass-types.ts';

function emptyStream(): StreamSummary {
  return {
    seen: 0,
    written: 0,
    unchanged: 0,
    updatedSince: null,
    resumed: false
  };
}

function emptySummary(): SyncSummary {
  return {
    outcome: 'succeeded',
    resumed: false,
    pages: 0,
    graphqlRequests: 0,
    sessions: emptyStream(),
    calls: emptyStream(),
    steps: 0,
    events: 0,
    reconcile: { checked: 0, repaired: 0, failed: 0, skipped: 0 },
    errors: []
  };
}

/** The options' defaults resolved once, and the Scope requests counted into the summary. */
function passContext(
  options: SyncPassOptions,
  runId: number,
  summary: SyncSummary
): PassContext {
  const paths: Record<ResourceKind, NodeFieldPaths> = {
    ScenarioSession: options.paths?.ScenarioSession ?? SESSION_PATHS,
    Call: options.paths?.Call ?? CALL_PATHS
  };
  const execute: Execute = (operation, query, variables) => {
    summary.graphqlRequests += 1;
    return options.scope.execute(operation, query, variables);
  };
  return {
    options,
    pool: options.pool,
    logger: options.logger,
    metrics: options.metrics ?? noopSyncMetrics,
    pageSize: Math.min(100, Math.max(1, options.pageSize ?? 25)),
    mode: options.mode ?? 'incremental',
    reconcileBatch: options.reconcileBatch ?? 200,
    overlapMs: (options.sinceOverlapSeconds ?? 600) * 1000,
    paths,
    runId,
    summary,
    execute
  };
}

/**
 * Every stream, with the worker's selections and Call names and the tenant's capabilities, all from
 * the Scope client's one cached introspection: reconciliation then maps exactly the node shape
 * (updatedAt included when the tenant has it) the webhook path maps.
 */
async function runStreams(ctx: PassContext): Promise<void> {
  const { scope } = ctx.options;
  const [selections, callSchema] = await Promise.all([
    scope.currentSelections(),
    scope.callSchema()
  ]);
  for (const problem of callSchema.problems)
    addError(ctx.summary, `calls: ${problem}`);
  const capabilities = await scope.capabilities();
  ctx.summary.capabilities = {
    sessionsSince: capabilities.sessions.sinceArgument,
    callsSince: capabilities.calls.sinceArgument,
    callsAvailable: capabilities.calls.available
  };
  for (const stream of ctx.options.streams ?? SYNC_STREAMS)
    await syncStream(ctx, stream, capabilities, selections);
  await recomputeRecentOutcomes(ctx);
}

/**
 * First-time fix becomes known when time passes, not when a session arrives: once per pass, the work
 * orders closed or created in the last N + 1 days are recomputed. A failure is an error of the pass,
 * not a failed pass (the next one tries again).
 */
async function recomputeRecentOutcomes(ctx: PassContext): Promise<void> {
  const recompute = ctx.options.reconciler?.recomputeRecentOutcomes;
  if (!recompute) return;
  try {
    const result = await recompute();
    addRollups(ctx.summary, {
      checked: result.checked,
      updated: result.updated,
      failed: result.failed.length
    });
  } catch (error) {
    addError(
      ctx.summary,
      `recent outcomes: ${error instanceof Error ? error.message : String(error)}`
    );
  }
}

/** Runs the streams and records the run's outcome (failed, or interrupted by the abort signal). */
async function runRecorded(ctx: PassContext): Promise<void> {
  const { pool, runId, summary } = ctx;
  try {
    await runStreams(ctx);
    await saveRun(pool, runId, summary);
    await finishRun(pool, runId, 'succeeded');
  } catch (error) {
    summary.outcome =
      error instanceof SyncAbortedError ? 'interrupted' : 'failed';
    summary.error = error instanceof Error ? error.message : String(error);
    addError(summary, `pass ${summary.outcome}: ${summary.error}`);
    await saveRun(pool, runId, summary).catch(() => undefined);
    await finishRun(pool, runId, summary.outcome).catch(() => undefined);
    ctx.logger?.[summary.outcome === 'failed' ? 'error' : 'warn'](
      { err: error, runId },
      `sync pass ${summary.outcome}`
    );
  }
}

async function tryLock(pool: Pool) {
  const client = await pool.connect();
  try {
    const result = await client.query<{ locked: boolean }>(SQL.tryLock, [
      SYNC_LOCK_KEY
    ]);
    return { client, locked: result.rows[0]?.locked === true };
  } catch (error) {
    client.release();
    throw error;
  }
}

export async function runSyncPass(
  options: SyncPassOptions
): Promise<SyncSummary> {
  const metrics = options.metrics ?? noopSyncMetrics;
  const summary = emptySummary();
  const { client, locked } = await tryLock(options.pool);
  try {
    if (!locked) {
      summary.outcome = 'skipped';
      summary.error = 'another sync pass is running';
      metrics.run('skipped');
      return summary;
    }
    const runId = await startRun(
      options.pool,
      options.trigger ?? 'cli',
      options.mode ?? 'incremental'
    );
    summary.runId = runId;
    await runRecorded(passContext(options, runId, summary));
    metrics.run(summary.outcome);
    return summary;
  } finally {
    if (locked)
      await client.query(SQL.unlock, [SYNC_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}

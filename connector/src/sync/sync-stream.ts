// One stream of a sync pass (scenario sessions or calls): find its root connection in the
// capabilities, resume its cursor or begin it (with a "changed since" filter in incremental mode when
// the tenant has one), then page → write the page (sync-page.ts) → hand the nodes to reconciliation in
// batches → checkpoint the cursor after each committed batch.
import type { ResourceKind } from '../contracts.ts';
import { ANALYTICS_SQL as SQL } from '../analytics/sql.ts';
import { requestPage } from '../scope/index.ts';
import type {
  ConnectionCapabilities,
  NodeSelection,
  Page,
  ScopeCapabilities
} from '../scope/index.ts';
import { pageStream } from './page-stream.ts';
import type { ReconcileItem } from './reconciler.ts';
import { writePage } from './sync-page.ts';
import { addError, addRollups } from './sync-pass-types.ts';
import type {
  PassContext,
  StreamSummary,
  SyncStream
} from './sync-pass-types.ts';
import { saveRun } from './sync-run-row.ts';
import {
  baseNode,
  buildCountQuery,
  buildPageQuery,
  callExtras,
  sessionExtras
} from './sync-selection.ts';

interface StreamRow {
  status: 'idle' | 'running';
  cursor: string | null;
  updated_since: Date | null;
  watermark: Date | null;
}

export interface StreamTarget {
  stream: SyncStream;
  kind: ResourceKind;
  connection: ConnectionCapabilities;
  rootField: string;
  counts: StreamSummary;
}

/** Where the stream starts: a cursor to resume from, and the "changed since" value, if any. */
export interface StreamStart {
  after: string | null;
  since: string | null;
}

/** The stream's connection, or null (with an error line) when the schema has none. */
export function streamTarget(
  ctx: PassContext,
  stream: SyncStream,
  capabilities: ScopeCapabilities
): StreamTarget | null {
  const calls = stream === 'calls';
  const connection = calls ? capabilities.calls : capabilities.sessions;
  const rootField = calls ? capabilities.calls.rootField : 'scenarioSessions';
  if (!connection.available || rootField === null) {
    addError(
      ctx.summary,
      rootField === null
        ? `${stream}: no calls root field in the Scope schema; skipped`
        : `${stream}: the Scope schema has no Query.${rootField}; skipped`
    );
    return null;
  }
  return {
    stream,
    kind: calls ? 'Call' : 'ScenarioSession',
    connection,
    rootField,
    counts: calls ? ctx.summary.calls : ctx.summary.sessions
  };
}

/**
 * Resumes a stream a dead pass left running (a full pass does not resume a filtered one), else begins
 * it, filtered from the last watermark minus the overlap in incremental mode.
 */
export async function openStream(
  ctx: PassContext,
  target: StreamTarget
): Promise<StreamStart> {
  const { pool, mode, runId, summary } = ctx;
  const { stream, connection, counts } = target;
  const state = (await pool.query<StreamRow>(SQL.readStream, [stream])).rows[0];
  const resumable =
    state?.status === 'running' &&
    !(mode === 'full' && state.updated_since !== null);
  let start: StreamStart = { after: null, since: null };
  if (resumable && state) {
    const since = state.updated_since?.toISOString() ?? null;
    start = {
      after: state.cursor,
      since: since !== null && connection.sinceArgument ? since : null
    };
    counts.resumed = true;
    summary.resumed = true;
    await pool.query(SQL.resumeStream, [stream, runId]);
  } else {
    if (mode === 'incremental' && connection.sinceArgument && state?.watermark)
      start.since = new Date(
        state.watermark.getTime() - ctx.overlapMs
      ).toISOString();
    await pool.query(SQL.beginStream, [stream, start.since, runId]);
  }
  counts.updatedSince = start.since;
  return start;
}

/** totalCount for a progress bar: only asked for when wanted, available and the pass reads everything. */
async function countTotal(
  ctx: PassContext,
  target: StreamTarget,
  start: StreamStart
): Promise<number | undefined> {
  if (
    !ctx.options.wantTotals ||
    !target.connection.totalCount ||
    start.since !== null ||
    start.after !== null
  )
    return undefined;
  const counted = await ctx.execute<{ count: { totalCount: number } | null }>(
    'syncCount',
    buildCountQuery(target.rootField)
  );
  return counted.data?.count?.totalCount;
}

/** One page in the worker's selection plus the analytics extras; GraphQL errors become error lines. */
function pageFetcher(
  ctx: PassContext,
  target: StreamTarget,
  selection: NodeSelection,
  capabilities: ScopeCapabilities,
  since: string | null
): (cursor: string | null) => Promise<Page> {
  const { kind, stream, rootField } = target;
  const extras =
    kind === 'Call'
      ? callExtras(capabilities.fields)
      : sessionExtras(capabilities.fields);
  const { query } = buildPageQuery(
    kind,
    rootField,
    selection,
    extras,
    target.connection,
    since !== null
  );
  const operation = kind === 'Call' ? 'syncCalls' : 'syncSessions';
  return async (cursor) => {
    const { page, errors } = await requestPage(ctx.execute, operation, query, {
      first: ctx.pageSize,
      after: cursor,
      ...(since !== null ? { since } : {})
    });
    for (const e of errors.slice(0, 3))
      addError(ctx.summary, `${stream}: GraphQL: ${e.message}`);
    if (!page) throw new Error(`Scope returned no ${rootField} connection`);
    return page;
  };
}

/** Nodes waiting for reconciliation and pages not yet checkpointed. */
interface Batch {
  items: ReconcileItem[];
  pages: number;
  cursor: string | null;
}

/** Hands the batch to the reconciler; an unreachable Salesforce counts its nodes as failed. */
async function reconcileBatch(
  ctx: PassContext,
  items: readonly ReconcileItem[]
): Promise<void> {
  const { reconciler } = ctx.options;
  const totals = ctx.summary.reconcile;
  if (!reconciler || items.length === 0) return;
  try {
    const result = await reconciler.reconcile(items, { runId: ctx.runId });
    totals.checked += result.checked;
    totals.repaired += result.repaired;
    totals.failed += result.failed;
    totals.skipped += result.skipped;
    if (result.rollups) addRollups(ctx.summary, result.rollups);
    for (const e of result.errors) addError(ctx.summary, `reconcile: ${e}`);
    ctx.metrics.repaired(result.repaired);
  } catch (error) {
    // Salesforce unreachable: the import goes on; the next pass compares these nodes again.
    totals.failed += items.length;
    addError(
      ctx.summary,
      `reconcile: ${error instanceof Error ? error.message : String(error)}`
    );
  }
}

/** Reconcile, then persist the cursor and the run's counters: a pass that dies resumes after this. */
async function checkpoint(
  ctx: PassContext,
  stream: SyncStream,
  batch: Batch
): Promise<void> {
  await reconcileBatch(ctx, batch.items);
  batch.items = [];
  await ctx.pool.query(SQL.saveCursor, [stream, batch.cursor, batch.pages]);
  batch.pages = 0;
  await saveRun(ctx.pool, ctx.runId, ctx.summary);
}

/** Counts one written page into the summary and the metrics. */
function countPage(
  ctx: PassContext,
  target: StreamTarget,
  write: Awaited<ReturnType<typeof writePage>>
): void {
  const { counts, kind } = target;
  ctx.summary.steps += write.steps;
  ctx.summary.events += write.events;
  counts.seen += write.seen;
  counts.written += write.written;
  counts.unchanged += write.seen - write.written;
  ctx.metrics.written(
    kind === 'Call' ? 'call' : 'scenario_session',
    write.written
  );
  ctx.summary.pages += 1;
}

export async function syncStream(
  ctx: PassContext,
  stream: SyncStream,
  capabilities: ScopeCapabilities,
  selections: Readonly<Record<ResourceKind, NodeSelection>>
): Promise<void> {
  const target = streamTarget(ctx, stream, capabilities);
  if (!target) return;
  const { kind, counts } = target;
  const { runId, logger, options } = ctx;
  const start = await openStream(ctx, target);
  const fetchPage = pageFetcher(
    ctx,
    target,
    selections[kind],
    capabilities,
    start.since
  );
  logger?.info(
    {
      runId,
      stream,
      resumed: counts.resumed,
      updatedSince: start.since,
      pageSize: ctx.pageSize
    },
    'sync stream started'
  );
  const total = await countTotal(ctx, target, start);
  const batch: Batch = { items: [], pages: 0, cursor: start.after };
  for await (const page of pageStream({
    fetchPage,
    after: start.after,
    signal: options.signal,
    onRetry: (attempt, reason) =>
      logger?.warn(
        { runId, stream, attempt, reason },
        'Scope page failed: retrying'
      )
  })) {
    countPage(ctx, target, await writePage(ctx, stream, kind, page.nodes));
    batch.pages += 1;
    batch.cursor = page.endCursor ?? batch.cursor;
    for (const node of page.nodes)
      batch.items.push({ kind, node: baseNode(node) });
    if (!options.reconciler || batch.items.length >= ctx.reconcileBatch)
      await checkpoint(ctx, stream, batch);
    options.onProgress?.({
      stream,
      seen: counts.seen,
      written: counts.written,
      ...(total === undefined ? {} : { total })
    });
  }
  await checkpoint(ctx, stream, batch);
  await ctx.pool.query(SQL.completeStream, [stream]);
  logger?.info(
    { runId, stream, seen: counts.seen, written: counts.written },
    'sync stream finished'
  );
}

// One sync pass: under an advisory lock (one pass at a time across processes and replicas), for each
// stream (scenario sessions, then calls) page through Scope with a small page size, write the rows
// whose content hash changed into the analytics schema, hand every node to reconciliation in batches,
// and persist the cursor after each committed batch, so a pass that dies resumes where it stopped.
// Memory holds one page plus one reconciliation batch, however many sessions there are.
import type { ResourceKind } from '../contracts.ts';
import {
  storedHashes,
  writeCalls,
  writeSessions
} from '../analytics/analytics-store.ts';
import { ANALYTICS_SQL as SQL, SYNC_LOCK_KEY } from '../analytics/sql.ts';
import type { Pool } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { MappingOptions, NodeFieldPaths } from '../mapping/index.ts';
import { CALL_PATHS, SESSION_PATHS } from '../scope/index.ts';
import type { NodeSelection, ScopeClient } from '../scope/index.ts';
import { detectCapabilities } from './detect-capabilities.ts';
import type {
  ConnectionCapabilities,
  ScopeCapabilities
} from './detect-capabilities.ts';
import { normalizeNode } from './normalize-node.ts';
import type { NormalizedCall, NormalizedSession } from './normalize-node.ts';
import { SyncAbortedError, pageStream } from './page-stream.ts';
import type { Page } from './page-stream.ts';
import type { ReconcileItem, Reconciler } from './reconciler.ts';
import {
  baseNode,
  buildCountQuery,
  buildPageQuery,
  callExtras,
  sessionExtras
} from './sync-selection.ts';
import { noopSyncMetrics } from './sync-metrics.ts';
import type { SyncMetrics, SyncOutcome } from './sync-metrics.ts';

export type SyncStream = 'scenario_sessions' | 'calls';
export const SYNC_STREAMS: readonly SyncStream[] = [
  'scenario_sessions',
  'calls'
];

type SyncLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface SyncProgress {
  stream: SyncStream;
  seen: number;
  written: number;
  /** Known when the connection has totalCount and the pass reads everything. */
  total?: number;
}

export interface SyncPassOptions {
  pool: Pool;
  scope: Pick<ScopeClient, 'execute' | 'currentSelections' | 'callSchema'>;
  mapping: MappingOptions;
  paths?: Partial<Record<ResourceKind, NodeFieldPaths>>;
  /** Nodes per GraphQL page (SYNC_PAGE_SIZE; Scope advises small pages, e.g. 25). */
  pageSize?: number;
  /** 'incremental' uses the tenant's "changed since" filter when introspection finds one; 'full' never. */
  mode?: 'incremental' | 'full';
  trigger?: 'cli' | 'cron' | 'backfill';
  reconciler?: Reconciler;
  /** Nodes per reconciliation batch (one SOQL read, one Collections upsert at most). */
  reconcileBatch?: number;
  /** The "since" value is the previous pass's start minus this much (clock skew, in-flight writes). */
  sinceOverlapSeconds?: number;
  streams?: readonly SyncStream[];
  logger?: SyncLogger;
  metrics?: SyncMetrics;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Ask for totalCount first (for a progress bar). */
  wantTotals?: boolean;
}

export interface StreamSummary {
  seen: number;
  written: number;
  unchanged: number;
  updatedSince: string | null;
  resumed: boolean;
}

export interface SyncSummary {
  outcome: SyncOutcome;
  runId?: number;
  resumed: boolean;
  pages: number;
  graphqlRequests: number;
  sessions: StreamSummary;
  calls: StreamSummary;
  steps: number;
  events: number;
  reconcile: {
    checked: number;
    repaired: number;
    failed: number;
    skipped: number;
  };
  errors: string[];
  error?: string;
  capabilities?: {
    sessionsSince?: string;
    callsSince?: string;
    callsAvailable: boolean;
  };
}

const MAX_ERRORS = 100;

interface StreamRow {
  status: 'idle' | 'running';
  cursor: string | null;
  updated_since: Date | null;
  watermark: Date | null;
}

function emptyStream(): StreamSummary {
  return {
    seen: 0,
    written: 0,
    unchanged: 0,
    updatedSince: null,
    resumed: false
  };
}

export async function runSyncPass(
  options: SyncPassOptions
): Promise<SyncSummary> {
  const { pool, scope, logger } = options;
  const metrics = options.metrics ?? noopSyncMetrics;
  const pageSize = Math.min(100, Math.max(1, options.pageSize ?? 25));
  const mode = options.mode ?? 'incremental';
  const reconcileBatch = options.reconcileBatch ?? 200;
  const overlapMs = (options.sinceOverlapSeconds ?? 600) * 1000;
  const paths: Record<ResourceKind, NodeFieldPaths> = {
    ScenarioSession: options.paths?.ScenarioSession ?? SESSION_PATHS,
    Call: options.paths?.Call ?? CALL_PATHS
  };
  const summary: SyncSummary = {
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
  const addError = (message: string) => {
    if (summary.errors.length < MAX_ERRORS) summary.errors.push(message);
  };

  const lockClient = await pool.connect();
  let locked = false;
  try {
    locked =
      (
        await lockClient.query<{ locked: boolean }>(SQL.tryLock, [
          SYNC_LOCK_KEY
        ])
      ).rows[0]?.locked === true;
    if (!locked) {
      summary.outcome = 'skipped';
      summary.error = 'another sync pass is running';
      metrics.run('skipped');
      return summary;
    }
    // Holding the lock proves that no other pass is alive: runs still marked running died with their process.
    await pool.query(SQL.interruptStaleRuns);
    const runId = Number(
      (
        await pool.query<{ run_id: string }>(SQL.insertRun, [
          options.trigger ?? 'cli',
          mode,
          false,
          null
        ])
      ).rows[0]?.run_id
    );
    summary.runId = runId;
    const saveRun = () =>
      pool.query(SQL.updateRun, [
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

    const execute: typeof scope.execute = (operation, query, variables) => {
      summary.graphqlRequests += 1;
      return scope.execute(operation, query, variables);
    };

    try {
      // The worker's selections and Call names, after the client's one introspection: reconciliation
      // then maps exactly the node shape (updatedAt included when the tenant has it) the webhook path maps.
      const [selections, callSchema] = await Promise.all([
        scope.currentSelections(),
        scope.callSchema()
      ]);
      for (const problem of callSchema.problems) addError(`calls: ${problem}`);
      const capabilities = await detectCapabilities({ execute }, callSchema);
      summary.capabilities = {
        sessionsSince: capabilities.sessions.sinceArgument,
        callsSince: capabilities.calls.sinceArgument,
        callsAvailable: capabilities.calls.available
      };
      for (const stream of options.streams ?? SYNC_STREAMS) {
        await syncStream(stream, capabilities, selections);
      }
      await saveRun();
      await pool.query(SQL.finishRun, [runId, 'succeeded']);
    } catch (error) {
      summary.outcome =
        error instanceof SyncAbortedError ? 'interrupted' : 'failed';
      summary.error = error instanceof Error ? error.message : String(error);
      addError(`pass ${summary.outcome}: ${summary.error}`);
      await saveRun().catch(() => undefined);
      await pool
        .query(SQL.finishRun, [runId, summary.outcome])
        .catch(() => undefined);
      logger?.[summary.outcome === 'failed' ? 'error' : 'warn'](
        { err: error, runId },
        `sync pass ${summary.outcome}`
      );
    }
    metrics.run(summary.outcome);
    return summary;

    async function syncStream(
      stream: SyncStream,
      capabilities: ScopeCapabilities,
      selections: Readonly<Record<ResourceKind, NodeSelection>>
    ): Promise<void> {
      const kind: ResourceKind =
        stream === 'calls' ? 'Call' : 'ScenarioSession';
      const connection: ConnectionCapabilities =
        stream === 'calls' ? capabilities.calls : capabilities.sessions;
      const rootField =
        stream === 'calls' ? capabilities.calls.rootField : 'scenarioSessions';
      const counts = stream === 'calls' ? summary.calls : summary.sessions;
      if (!connection.available || rootField === null) {
        addError(
          rootField === null
            ? `${stream}: no calls root field in the Scope schema; skipped`
            : `${stream}: the Scope schema has no Query.${rootField}; skipped`
        );
        return;
      }
      const state = (await pool.query<StreamRow>(SQL.readStream, [stream]))
        .rows[0];
      let after: string | null = null;
      let since: string | null = null;
      const resumable =
        state?.status === 'running' &&
        !(mode === 'full' && state.updated_since !== null);
      if (resumable && state) {
        after = state.cursor;
        since = state.updated_since?.toISOString() ?? null;
        if (since !== null && !connection.sinceArgument) since = null;
        counts.resumed = true;
        summary.resumed = true;
        await pool.query(SQL.resumeStream, [stream, runId]);
      } else {
        if (
          mode === 'incremental' &&
          connection.sinceArgument &&
          state?.watermark
        ) {
          since = new Date(state.watermark.getTime() - overlapMs).toISOString();
        }
        await pool.query(SQL.beginStream, [stream, since, runId]);
      }
      counts.updatedSince = since;
      const extras =
        kind === 'Call'
          ? callExtras(capabilities.fields)
          : sessionExtras(capabilities.fields);
      const { query } = buildPageQuery(
        kind,
        rootField,
        selections[kind],
        extras,
        connection,
        since !== null
      );
      const operation = kind === 'Call' ? 'syncCalls' : 'syncSessions';
      logger?.info(
        {
          runId,
          stream,
          resumed: counts.resumed,
          updatedSince: since,
          pageSize
        },
        'sync stream started'
      );

      let total: number | undefined;
      if (
        options.wantTotals &&
        connection.totalCount &&
        since === null &&
        after === null
      ) {
        const counted = await execute<{ count: { totalCount: number } | null }>(
          'syncCount',
          buildCountQuery(rootField)
        );
        total = counted.data?.count?.totalCount;
      }

      const fetchPage = async (cursor: string | null): Promise<Page> => {
        const variables: Record<string, unknown> = {
          first: pageSize,
          after: cursor
        };
        if (since !== null) variables.since = since;
        const result = await execute<{
          page: {
            nodes: (Record<string, unknown> | null)[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          } | null;
        }>(operation, query, variables);
        for (const e of result.errors.slice(0, 3))
          addError(`${stream}: GraphQL: ${e.message}`);
        const page = result.data?.page;
        if (!page) throw new Error(`Scope returned no ${rootField} connection`);
        return {
          nodes: page.nodes.filter(
            (n): n is Record<string, unknown> =>
              n !== null && typeof n === 'object'
          ),
          hasNextPage: page.pageInfo.hasNextPage,
          endCursor: page.pageInfo.endCursor
        };
      };

      let buffer: ReconcileItem[] = [];
      let pendingPages = 0;
      let cursor = after;
      const flush = async () => {
        if (options.reconciler && buffer.length > 0) {
          try {
            const result = await options.reconciler.reconcile(buffer, {
              runId
            });
            summary.reconcile.checked += result.checked;
            summary.reconcile.repaired += result.repaired;
            summary.reconcile.failed += result.failed;
            summary.reconcile.skipped += result.skipped;
            for (const e of result.errors) addError(`reconcile: ${e}`);
            metrics.repaired(result.repaired);
          } catch (error) {
            // Salesforce unreachable: the import goes on; the next pass compares these nodes again.
            summary.reconcile.failed += buffer.length;
            addError(
              `reconcile: ${error instanceof Error ? error.message : String(error)}`
            );
          }
        }
        buffer = [];
        await pool.query(SQL.saveCursor, [stream, cursor, pendingPages]);
        pendingPages = 0;
        await saveRun();
      };

      for await (const page of pageStream({
        fetchPage,
        after,
        signal: options.signal,
        onRetry: (attempt, reason) =>
          logger?.warn(
            { runId, stream, attempt, reason },
            'Scope page failed: retrying'
          )
      })) {
        const sessions: NormalizedSession[] = [];
        const calls: NormalizedCall[] = [];
        for (const node of page.nodes) {
          const normalized = normalizeNode(kind, node, {
            mapping: options.mapping,
            paths
          });
          if (!normalized.ok) {
            addError(
              `${stream}: node ${normalized.id ?? '(no id)'}: ${normalized.reason}`
            );
            continue;
          }
          if (normalized.value.kind === 'Call') calls.push(normalized.value);
          else {
            sessions.push(normalized.value);
            if (normalized.value.truncated.length > 0) {
              logger?.warn(
                {
                  sessionId: normalized.value.row.session_id,
                  truncated: normalized.value.truncated
                },
                'nested page cut'
              );
            }
          }
        }
        const rows =
          kind === 'Call'
            ? calls.map((c) => c.row)
            : sessions.map((s) => s.row);
        const ids = rows.map((r) =>
          'call_id' in r ? r.call_id : r.session_id
        );
        const stored = await storedHashes(pool, kind, ids);
        const isChanged = (id: string, hash: string) => stored.get(id) !== hash;
        const changedSessions = sessions.filter((s) =>
          isChanged(s.row.session_id, s.row.content_hash)
        );
        const changedCalls = calls.filter((c) =>
          isChanged(c.row.call_id, c.row.content_hash)
        );
        let written = 0;
        if (changedSessions.length + changedCalls.length > 0) {
          const result = await withTransaction(pool, (client) =>
            kind === 'Call'
              ? writeCalls(client, changedCalls)
              : writeSessions(client, changedSessions)
          );
          written = result.written;
          summary.steps += result.steps;
          summary.events += result.events;
        }
        counts.seen += rows.length;
        counts.written += written;
        counts.unchanged += rows.length - written;
        metrics.written(kind === 'Call' ? 'call' : 'scenario_session', written);
        summary.pages += 1;
        pendingPages += 1;
        cursor = page.endCursor ?? cursor;
        for (const node of page.nodes)
          buffer.push({ kind, node: baseNode(node) });
        if (!options.reconciler || buffer.length >= reconcileBatch)
          await flush();
        options.onProgress?.({
          stream,
          seen: counts.seen,
          written: counts.written,
          ...(total === undefined ? {} : { total })
        });
      }
      await flush();
      await pool.query(SQL.completeStream, [stream]);
      logger?.info(
        { runId, stream, seen: counts.seen, written: counts.written },
        'sync stream finished'
      );
    }
  } finally {
    if (locked)
      await lockClient
        .query(SQL.unlock, [SYNC_LOCK_KEY])
        .catch(() => undefined);
    lockClient.release();
  }
}

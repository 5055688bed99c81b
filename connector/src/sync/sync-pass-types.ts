// The sync pass's vocabulary: its options, the summary it returns, and the per-pass context its stages
// (run-sync-pass.ts, sync-stream.ts, sync-page.ts) share.
import type { ResourceKind } from '../contracts.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { MappingOptions, NodeFieldPaths } from '../mapping/index.ts';
import type { Execute, ScopeClient } from '../scope/index.ts';
import type { Reconciler } from './reconciler.ts';
import type { SyncMetrics, SyncOutcome } from './sync-metrics.ts';

export type SyncStream = 'scenario_sessions' | 'calls';
export const SYNC_STREAMS: readonly SyncStream[] = [
  'scenario_sessions',
  'calls'
];

export type SyncLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface SyncProgress {
  stream: SyncStream;
  seen: number;
  written: number;
  /** Known when the connection has totalCount and the pass reads everything. */
  total?: number;
}

export interface SyncPassOptions {
  pool: Pool;
  scope: Pick<
    ScopeClient,
    'execute' | 'currentSelections' | 'callSchema' | 'capabilities'
  >;
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
  /** Work order, asset and case rollups recomputed by reconciliation and the recent-outcomes step. */
  rollups?: { checked: number; updated: number; failed: number };
  errors: string[];
  error?: string;
  capabilities?: {
    sessionsSince?: string;
    callsSince?: string;
    callsAvailable: boolean;
  };
}

/** Adds rollup counts (reconciliation, the recent-outcomes step) to the pass's summary. */
export function addRollups(
  summary: SyncSummary,
  counts: { checked: number; updated: number; failed: number }
): void {
  const totals = (summary.rollups ??= { checked: 0, updated: 0, failed: 0 });
  totals.checked += counts.checked;
  totals.updated += counts.updated;
  totals.failed += counts.failed;
}

/** What every stage of one pass reads (settings resolved once) and adds to (the summary). */
export interface PassContext {
  options: SyncPassOptions;
  pool: Pool;
  logger: SyncLogger | undefined;
  metrics: SyncMetrics;
  pageSize: number;
  mode: 'incremental' | 'full';
  reconcileBatch: number;
  overlapMs: number;
  paths: Record<ResourceKind, NodeFieldPaths>;
  runId: number;
  summary: SyncSummary;
  /** The Scope client's request, counted in summary.graphqlRequests. */
  execute: Execute;
}

const MAX_ERRORS = 100;

/** Keeps the first MAX_ERRORS messages of a pass. */
export function addError(summary: SyncSummary, message: string): void {
  if (summary.errors.length < MAX_ERRORS) summary.errors.push(message);
}

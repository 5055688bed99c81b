// What the heartbeat reports, read where it already is: accepted deliveries and the last one from the
// deliveries table (all replicas), rejections and auth outcomes from this process's Prometheus counters
// (worklink_deliveries_total, worklink_api_calls_total, compared between ticks), the queue from
// pg-boss, the last sync pass from analytics.sync_runs, and the org's API usage from the last
// Sforce-Limit-Info header. Reading it makes no Salesforce or Scope call.
import type { Registry } from 'prom-client';
import { ANALYTICS_SQL } from '../analytics/sql.ts';
import type { Pool } from '../db/pool.ts';
import { SQL } from '../db/sql.ts';
import { getQueueStats } from '../queue/queue-stats.ts';
import type { AuthState, ConnectorState } from './heartbeat-record.ts';
import type { SetupState } from './setup-check.ts';

const HOUR_MS = 3_600_000;

/** Delivery outcomes that are rejections, by the reason the record shows. */
const REJECTIONS: Record<string, string> = {
  rejected_signature: 'signature',
  rejected_malformed: 'malformed',
  rejected_too_large: 'too_large',
  rejected_media_type: 'media_type',
  error: 'error'
};

type Counts = Record<string, number>;
interface Snapshot {
  at: number;
  rejections: Counts;
}
interface ApiCall {
  system: string;
  operation: string;
  status: string;
  value: number;
}

async function counterValues(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  const { values } = await metric.get();
  return values.map((v) => ({
    value: v.value,
    labels: v.labels as Record<string, string | number | undefined>
  }));
}

async function rejectionCounts(registry: Registry): Promise<Counts> {
  const counts: Counts = {};
  for (const { value, labels } of await counterValues(
    registry,
    'worklink_deliveries_total'
  )) {
    const reason = REJECTIONS[String(labels.outcome)];
    if (reason) counts[reason] = (counts[reason] ?? 0) + value;
  }
  return counts;
}

async function apiCalls(registry: Registry): Promise<ApiCall[]> {
  return (await counterValues(registry, 'worklink_api_calls_total')).map(
    ({ value, labels }) => ({
      system: String(labels.system),
      operation: String(labels.operation),
      status: String(labels.status),
      value
    })
  );
}

const minus = (a: Counts, b: Counts): Counts =>
  Object.fromEntries(
    Object.entries(a)
      .map(([k, v]) => [k, v - (b[k] ?? 0)] as const)
      .filter(([, v]) => v > 0)
  );

/** The newest snapshot taken at or before `at`, else the oldest one. */
function snapshotAt(snapshots: readonly Snapshot[], at: number): Snapshot {
  let chosen = snapshots[0] as Snapshot;
  for (const s of snapshots) if (s.at <= at) chosen = s;
  return chosen;
}

const isAuthFailure = (status: string) => status === '401' || status === '403';
const isSuccess = (status: string) => /^2\d\d$/.test(status);

/**
 * An API's auth state from the calls since the last tick: a refused credential with no accepted
 * call → Failing (the error names status and operation only); any accepted call → OK; no call → as
 * before. Salesforce answers an expired session with 401 and the client re-authenticates, so there only
 * a refused token request counts as failing.
 */
function authState(
  calls: readonly ApiCall[],
  previous: { state: AuthState; lastError: string | null },
  isRefused: (call: ApiCall) => boolean,
  label: string
): { state: AuthState; lastError: string | null } {
  const refused = calls.find(isRefused);
  if (calls.some((c) => isSuccess(c.status)))
    return { state: 'OK', lastError: previous.lastError };
  if (refused)
    return {
      state: 'Failing',
      lastError: `${label} answered HTTP ${refused.status} to ${refused.operation}`
    };
  return previous;
}

export interface StateCollectorOptions {
  pool: Pool;
  registry: Registry;
  deploymentId: string;
  version: string;
  startedAt: Date;
  apiUsage: () => { used: number; max: number } | undefined;
  /** The integration user's setup (setup-check.ts), refreshed on its own schedule. */
  setup?: () => Promise<SetupState>;
  now?: () => number;
}

type DatabaseState = Pick<
  ConnectorState,
  | 'lastDeliveryAt'
  | 'acceptedLastHour'
  | 'queueDepth'
  | 'oldestPendingAt'
  | 'deadLetters'
  | 'lastSync'
>;

/** Deliveries, queue and the last sync pass, as every replica sees them. */
async function readDatabaseState(
  pool: Pool,
  at: number
): Promise<DatabaseState> {
  const [deliveries, queue, lastRun] = await Promise.all([
    pool.query<{ last_received_at: Date | null; last_hour: number }>(
      SQL.heartbeatDeliveries
    ),
    getQueueStats(pool),
    pool
      .query<{
        started_at: Date;
        finished_at: Date | null;
        outcome: string;
        repaired: number;
      }>(ANALYTICS_SQL.lastRun)
      // analytics.sync_runs exists once a sync has run (its migrations run with the first pass)
      .catch(() => ({ rows: [] }))
  ]);
  const delivered = deliveries.rows[0];
  const run = lastRun.rows[0];
  return {
    lastDeliveryAt: delivered?.last_received_at ?? null,
    acceptedLastHour: delivered?.last_hour ?? 0,
    queueDepth: queue.depth,
    oldestPendingAt:
      queue.depth > 0 ? new Date(at - queue.oldestPendingSeconds * 1000) : null,
    deadLetters: queue.deadLetters,
    lastSync: run
      ? {
          at: run.finished_at ?? run.started_at,
          outcome: run.outcome,
          repaired: run.repaired
        }
      : null
  };
}

/** Rejections of the last hour and of the hour before, from counter snapshots kept for two hours. */
function createRejectionWindow(startedAt: Date) {
  const snapshots: Snapshot[] = [{ at: startedAt.getTime(), rejections: {} }];
  return (at: number, rejections: Counts) => {
    snapshots.push({ at, rejections });
    while (
      snapshots.length > 2 &&
      (snapshots[1] as Snapshot).at <= at - 2 * HOUR_MS
    )
      snapshots.shift();
    const hourAgo = snapshotAt(snapshots, at - HOUR_MS);
    const twoHoursAgo = snapshotAt(snapshots, at - 2 * HOUR_MS);
    return {
      lastHour: minus(rejections, hourAgo.rejections),
      signaturePriorHour:
        (hourAgo.rejections.signature ?? 0) -
        (twoHoursAgo.rejections.signature ?? 0)
    };
  };
}

const callKey = (c: ApiCall) => `${c.system} ${c.operation} ${c.status}`;

/** Scope and Salesforce auth state from the API calls counted since the previous reading. */
function createAuthTracker() {
  let previous = new Map<string, number>();
  let scope: ConnectorState['scope'] = { state: 'Unknown', lastError: null };
  let salesforce: ConnectorState['salesforce'] = { ...scope };
  return (calls: readonly ApiCall[]) => {
    const since = (system: string) =>
      calls
        .filter((c) => c.system === system)
        .map((c) => ({
          ...c,
          value: c.value - (previous.get(callKey(c)) ?? 0)
        }))
        .filter((c) => c.value > 0);
    scope = authState(
      since('scope'),
      scope,
      (c) => isAuthFailure(c.status),
      'Scope'
    );
    salesforce = authState(
      since('salesforce'),
      salesforce,
      (c) => c.operation === 'token' && /^4\d\d$/.test(c.status),
      'Salesforce'
    );
    previous = new Map(calls.map((c) => [callKey(c), c.value]));
    return { scope, salesforce };
  };
}

export function createStateCollector(options: StateCollectorOptions): {
  collect(): Promise<ConnectorState>;
} {
  const now = options.now ?? Date.now;
  const rejectionWindow = createRejectionWindow(options.startedAt);
  const authTracker = createAuthTracker();
  return {
    async collect() {
      const at = now();
      const rejected = rejectionWindow(
        at,
        await rejectionCounts(options.registry)
      );
      const auth = authTracker(await apiCalls(options.registry));
      return {
        deploymentId: options.deploymentId,
        version: options.version,
        startedAt: options.startedAt,
        ...(await readDatabaseState(options.pool, at)),
        rejectedLastHour: rejected.lastHour,
        signatureFailuresPriorHour: rejected.signaturePriorHour,
        apiUsage: options.apiUsage() ?? null,
        // after the auth reading: the describe calls show in the next tick's auth state
        setup: options.setup ? await options.setup() : null,
        ...auth
      };
    }
  };
}

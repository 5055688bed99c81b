// One run of the connector (worker on, embedded PostgreSQL) against the schedule: post every delivery at
// its time, wait until every session's record in the Salesforce sandbox carries Scope's final state,
// then read the calls the sandboxes counted and the latencies the write log saw.
import { join } from 'node:path';
import { loadConfig } from '../../connector/src/config.ts';
import { startEmbeddedPostgres } from '../../connector/src/db/embedded-postgres.ts';
import { ensureDatabase } from '../../connector/src/db/open-database.ts';
import type { Pool } from '../../connector/src/db/pool.ts';
import { createMetrics } from '../../connector/src/metrics.ts';
import { readDirtyStats } from '../../connector/src/rollups/dirty-parents.ts';
import { createConnector } from '../../connector/src/runtime/create-connector.ts';
import { createProcessing } from '../../connector/src/runtime/create-processing.ts';
import { postSchedule, SECRET } from './poster.ts';
import { scopeIdle, scopeIdleRequests } from './sandboxes.ts';
import type { Counters, Sandboxes } from './sandboxes.ts';
import type { DeliveryKind, ScheduledDelivery } from './schedule.ts';
import { createWriteLog } from './observe-writes.ts';

const DRAIN_TIMEOUT_MS = 600_000;

export interface ConnectorRun extends Counters {
  label: string;
  deliveries: number;
  postSeconds: number;
  drainSeconds: number;
  /** From the start until no parent's rollup waits for a drain (ROLLUP_INTERVAL_SECONDS; = drain when 0). */
  rollupsSettledSeconds: number;
  /** How late the poster sent, against the schedule (p95, ms). */
  sendLagP95Ms: number;
  latencies: Record<DeliveryKind, number[]>;
  recordsOk: number;
  /** Of the Salesforce calls, the rollup stage's (its reads, and its Collections updates). */
  rollupCalls: { queries: number; updates: number };
}

/** The work order, asset and case rollup calls, by operation, from the connector's own call counter. */
const ROLLUP_QUERIES = [
  'rollupWorkOrders',
  'rollupSessions',
  'rollupAssets',
  'rollupCases'
];

async function rollupCalls(
  metrics: ReturnType<typeof createMetrics>
): Promise<{ queries: number; updates: number }> {
  const counter = metrics.registry.getSingleMetric('worklink_api_calls_total');
  const values = counter ? (await counter.get()).values : [];
  const sum = (operations: readonly string[]) =>
    values
      .filter(
        (v) =>
          v.labels.system === 'salesforce' &&
          operations.includes(String(v.labels.operation))
      )
      .reduce((n, v) => n + v.value, 0);
  return { queries: sum(ROLLUP_QUERIES), updates: sum(['updateRollups']) };
}

export interface Workload {
  root: string;
  ids: string[];
  databaseIds: number[];
  schedule: ScheduledDelivery[][];
}

function benchConfig(
  sb: Sandboxes,
  databaseUrl: string,
  env: Record<string, string>
) {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    WEBHOOK_SECRETS: SECRET,
    SCOPE_BASE_URL: sb.scopeUrl,
    SCOPE_API_TOKEN: 'sandbox-company-token',
    SCOPE_PERMALINK: 'sandbox',
    SF_LOGIN_URL: sb.sfUrl,
    SF_AUTH_FLOW: 'client_credentials',
    SF_CLIENT_ID: sb.clientId,
    SF_CLIENT_SECRET: sb.clientSecret,
    SF_API_VERSION: sb.apiVersion,
    // the heartbeat's own writes are not part of the sessions' cost
    HEARTBEAT_ENABLED: 'false',
    ...env
  });
}

/**
 * Starts the schedule on a boundary of the coalescing grid (queue/job-timing.ts aligns windows to the
 * clock), so that two runs see the same window phases rather than whatever the clock happened to show.
 */
async function alignToWindows(windows: {
  progressSeconds: number;
  finalSeconds: number;
}): Promise<void> {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const [p, f] = [windows.progressSeconds, windows.finalSeconds].map(
    Math.round
  ) as [number, number];
  const period = p > 0 && f > 0 ? (p * f) / gcd(p, f) : Math.max(p, f);
  if (period <= 0) return;
  const step = period * 1000;
  const wait = Math.ceil(Date.now() / step) * step - Date.now();
  await new Promise((resolve) => setTimeout(resolve, wait + 50));
}

async function waitDrained(
  sb: Sandboxes,
  expected: Map<string, number>
): Promise<number> {
  const since = Date.now();
  for (;;) {
    const records = await sb.sessions();
    const byId = new Map(records.map((r) => [r.Scope_Id__c, r]));
    const ok = [...expected].filter(
      ([id, idle]) => Number(byId.get(id)?.Idle_Duration_Seconds__c) === idle
    ).length;
    if (ok === expected.size) return ok;
    if (Date.now() - since > DRAIN_TIMEOUT_MS)
      throw new Error(
        `not drained after ${DRAIN_TIMEOUT_MS} ms (${ok}/${expected.size})`
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Until the dirty set is empty: every rollup the run marked has been recomputed by a drain. */
async function waitRollupsSettled(pool: Pool): Promise<void> {
  const since = Date.now();
  while ((await readDirtyStats(pool)).waiting > 0) {
    if (Date.now() - since > DRAIN_TIMEOUT_MS)
      throw new Error(`rollups not settled after ${DRAIN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runConnector(
  sb: Sandboxes,
  w: Workload,
  label: string,
  env: Record<string, string>
): Promise<ConnectorRun> {
  const server = await startEmbeddedPostgres({
    dataDir: join(w.root, `pg-${Date.now()}`),
    port: 55_000 + Math.floor(Math.random() * 4000)
  });
  await ensureDatabase(server.connectionString('postgres'), 'bench_efficiency');
  const config = benchConfig(
    sb,
    server.connectionString('bench_efficiency'),
    env
  );
  const metrics = createMetrics();
  const processing = createProcessing(config, { metrics });
  const log = createWriteLog(w.schedule);
  const connector = createConnector({
    config,
    metrics,
    processing: ({ pool }) => {
      const rollupDrainer = processing.attachRollupInterval(pool);
      return {
        processor: log.wrap(processing.processor),
        ...(rollupDrainer ? { rollupDrainer } : {})
      };
    }
  });
  try {
    await sb.resetSalesforce();
    const { url } = await connector.start();
    await alignToWindows(config.worker.coalesce);
    await sb.clearCounters();
    const started = Date.now();
    const lags = await postSchedule(
      {
        url,
        sandboxes: sb,
        ids: w.ids,
        databaseIds: w.databaseIds,
        acknowledged: log.acknowledged
      },
      w.schedule
    );
    const posted = Date.now();
    // the state every record must reach: Scope's own, read once everything is sent (its requests are
    // taken off the GraphQL count below)
    const expected = await scopeIdle(sb, w.ids);
    const recordsOk = await waitDrained(sb, expected);
    const drained = Date.now();
    await waitRollupsSettled(connector.database.pool);
    const settled = Date.now();
    const counters = await sb.counters();
    return {
      label,
      ...counters,
      graphqlRequests:
        counters.graphqlRequests - scopeIdleRequests(w.ids.length),
      deliveries: w.schedule.reduce((n, life) => n + life.length, 0),
      postSeconds: (posted - started) / 1000,
      drainSeconds: (drained - started) / 1000,
      rollupsSettledSeconds: (settled - started) / 1000,
      sendLagP95Ms: lags[Math.floor(0.95 * (lags.length - 1))] ?? Number.NaN,
      latencies: log.latencies(),
      recordsOk,
      rollupCalls: await rollupCalls(metrics)
    };
  } finally {
    await connector.stop();
    await server.stop();
  }
}

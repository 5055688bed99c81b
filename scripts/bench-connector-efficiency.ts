// npm run bench:connector — efficiency part: 10,000 signed deliveries for 2,000 Scope sessions (several
// changes each, some duplicates) posted as fast as they are accepted to the real connector (worker on,
// embedded PostgreSQL), drained through both sandboxes (default latency); then the naive design of the
// reference demo (one GraphQL fetch + one single-record Salesforce upsert per delivery) really executed
// against the same sandboxes. API calls are counted by the sandboxes themselves (Salesforce request
// log, Scope /sandbox/stats). Writes its section of BENCHMARKS.md between
// <!-- bench:connector:efficiency --> markers.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSalesforceSandbox } from '../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../sandboxes/scope/index.ts';
import { encodeNodeId } from '../sandboxes/scope/node-id.ts';
import { FIRST_SESSION_ID } from '../sandboxes/scope/seed/historical.ts';
import { loadConfig } from '../connector/src/config.ts';
import { startEmbeddedPostgres } from '../connector/src/db/embedded-postgres.ts';
import { ensureDatabase } from '../connector/src/db/open-database.ts';
import { createConnector } from '../connector/src/runtime/create-connector.ts';
import { createProcessing } from '../connector/src/runtime/create-processing.ts';
import { createMetrics } from '../connector/src/metrics.ts';
import { gen2Request } from '../test/connector/receiving/support/fixtures.ts';
import { writeBenchmarkSection } from './bench-support.ts';

const SECRET = 'bench-secret-0123456789';
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 2000);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 10_000);
/** Of the deliveries, this share re-sends an earlier one with the same X-Scope-Webhook-Id. */
const DUPLICATE_SHARE = 0.1;
const CONCURRENCY = 50;
const NAIVE_CONCURRENCY = 10;
const DRAIN_TIMEOUT_MS = 600_000;
const GOAL_SALESFORCE = 30;
const GOAL_GRAPHQL = 200;
const MARK_START = '<!-- bench:connector:efficiency -->';
const MARK_END = '<!-- /bench:connector:efficiency -->';
/** Every 25th historical record of the Scope sandbox belongs to the other company. */
const FOREIGN_EVERY = 25;

interface Planned {
  sessionIndex: number;
  deliveryId: string;
  duplicate: boolean;
  body: string;
}

export interface EfficiencyRun {
  label: string;
  deliveries: number;
  salesforceCalls: number;
  graphqlRequests: number;
  postSeconds: number;
  drainSeconds: number;
  p50LatencyMs?: number;
  p95LatencyMs?: number;
  recordsOk: number;
}

function sessionIds(count: number): { ids: string[]; databaseIds: number[] } {
  const ids: string[] = [];
  const databaseIds: number[] = [];
  for (let index = 0; ids.length < count; index++) {
    if (index % FOREIGN_EVERY === FOREIGN_EVERY - 1) continue;
    databaseIds.push(FIRST_SESSION_ID + index);
    ids.push(encodeNodeId('ScenarioSession', FIRST_SESSION_ID + index));
  }
  return { ids, databaseIds };
}

/** Rounds over all sessions (each session changes several times), duplicates sprinkled in. */
function plan(ids: readonly string[], scopeUrl: string): Planned[] {
  const planned: Planned[] = [];
  const unique = Math.round(DELIVERIES * (1 - DUPLICATE_SHARE));
  for (let n = 0; n < unique; n++) {
    const sessionIndex = n % ids.length;
    const id = ids[sessionIndex] as string;
    planned.push({
      sessionIndex,
      deliveryId: randomUUID(),
      duplicate: false,
      body: JSON.stringify({
        data: {
          id,
          url: `${scopeUrl}/api/v3/graphql/object/${id}`,
          type: 'ScenarioSession'
        }
      })
    });
  }
  // a duplicate follows its original a little later (Scope retrying a delivery it thinks was lost)
  for (let d = 0; planned.length < DELIVERIES; d++) {
    const original = planned[(d * 7919) % unique] as Planned;
    const at = Math.min(
      planned.length,
      ((d * 7919) % unique) + 1 + ((d * 31) % 400)
    );
    planned.splice(at, 0, { ...original, duplicate: true });
  }
  return planned;
}

function headersFor(p: Planned): Record<string, string> {
  return gen2Request(p.body, {
    topic: 'scenario_session/updated',
    secret: SECRET,
    webhookId: p.deliveryId
  }).headers;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url} → ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

async function runLanes(
  count: number,
  lanes: number,
  work: (i: number) => Promise<void>
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await work(next++);
    })
  );
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ] as number;
}

interface Sandboxes {
  scopeUrl: string;
  sfUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  counters(): Promise<{ salesforceCalls: number; graphqlRequests: number }>;
  clearCounters(): Promise<void>;
  resetSalesforce(): Promise<void>;
  sessions(): Promise<
    {
      Scope_Id__c: string;
      Idle_Duration_Seconds__c: number | null;
      Last_Synced_At__c: string | null;
    }[]
  >;
  touch(databaseId: number): Promise<void>;
  close(): Promise<void>;
}

async function startSandboxes(): Promise<Sandboxes> {
  const scope = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    seed: {
      historicalSessions: Math.ceil(SESSIONS * 1.05) + 10,
      historicalCalls: 0
    }
  });
  const salesforce = await startSalesforceSandbox({ port: 0 });
  return {
    scopeUrl: scope.url,
    sfUrl: salesforce.url,
    clientId: salesforce.clientId,
    clientSecret: salesforce.clientSecret,
    apiVersion: salesforce.apiVersion,
    async counters() {
      const log = await json<unknown[]>(`${salesforce.url}/sandbox/requests`);
      const stats = await json<{ graphqlRequests: number }>(
        `${scope.url}/sandbox/stats`
      );
      return {
        salesforceCalls: log.length,
        graphqlRequests: stats.graphqlRequests
      };
    },
    async clearCounters() {
      await json(`${salesforce.url}/sandbox/requests`, { method: 'DELETE' });
      await json(`${scope.url}/sandbox/stats`, { method: 'DELETE' });
    },
    async resetSalesforce() {
      await json(`${salesforce.url}/sandbox/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"reloadMetadata":false}'
      });
    },
    sessions: () =>
      json(`${salesforce.url}/sandbox/records/Scope_AR_Session__c`),
    async touch(databaseId) {
      await json(`${scope.url}/sandbox/sessions/${databaseId}/touch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"notify":false}'
      });
    },
    close: async () => {
      await Promise.all([scope.close(), salesforce.close()]);
    }
  };
}

/** Scope's current idleDuration of every session (read before the counters are cleared). */
async function scopeIdle(
  sb: Sandboxes,
  ids: readonly string[]
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (let start = 0; start < ids.length; start += 100) {
    const chunk = ids.slice(start, start + 100);
    const query = `{ ${chunk.map((id, i) => `n${i}: node(id: ${JSON.stringify(id)}) { ... on ScenarioSession { idleDuration } }`).join(' ')} }`;
    const body = await json<{
      data: Record<string, { idleDuration: number } | null>;
    }>(`${sb.scopeUrl}/api/v3/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Token token=sandbox-company-token'
      },
      body: JSON.stringify({ permalink: 'sandbox', query })
    });
    chunk.forEach((id, i) =>
      result.set(id, body.data[`n${i}`]?.idleDuration ?? Number.NaN)
    );
  }
  return result;
}

async function runConnector(
  sb: Sandboxes,
  root: string,
  ids: string[],
  databaseIds: number[]
): Promise<EfficiencyRun> {
  const server = await startEmbeddedPostgres({
    dataDir: join(root, 'efficiency'),
    port: 55_000 + Math.floor(Math.random() * 4000)
  });
  await ensureDatabase(server.connectionString('postgres'), 'bench_efficiency');
  const config = loadConfig({
    DATABASE_URL: server.connectionString('bench_efficiency'),
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
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) =>
        /^(WORKER_|SCOPE_FETCH_BATCH_SIZE)/.test(k)
      )
    )
  });
  const metrics = createMetrics();
  const processing = createProcessing(config, { metrics });
  const connector = createConnector({
    config,
    metrics,
    processing: () => ({ processor: processing.processor })
  });
  const planned = plan(ids, sb.scopeUrl);
  try {
    const { url } = await connector.start();
    const initial = await scopeIdle(sb, ids);
    const changes = new Map<string, number>();
    for (const p of planned)
      if (!p.duplicate)
        changes.set(
          ids[p.sessionIndex] as string,
          (changes.get(ids[p.sessionIndex] as string) ?? 0) + 1
        );
    const expected = new Map(
      ids.map((id) => [
        id,
        (initial.get(id) ?? Number.NaN) + 5 * (changes.get(id) ?? 0)
      ])
    );
    await sb.clearCounters();
    const lastAck = new Map<string, number>();
    const started = Date.now();
    await runLanes(planned.length, CONCURRENCY, async (i) => {
      const p = planned[i] as Planned;
      // the change in Scope that the delivery reports (a duplicate reports nothing new)
      if (!p.duplicate) await sb.touch(databaseIds[p.sessionIndex] as number);
      for (;;) {
        const response = await fetch(`${url}/webhooks/scope`, {
          method: 'POST',
          headers: headersFor(p),
          body: p.body
        });
        await response.arrayBuffer();
        if (response.ok) break;
        if (response.status !== 503)
          throw new Error(`delivery answered ${response.status}`);
      }
      if (!p.duplicate) lastAck.set(ids[p.sessionIndex] as string, Date.now());
    });
    const posted = Date.now();
    // drained = every session's record carries Scope's final idleDuration (initial + 5 s per change)
    let records: Awaited<ReturnType<Sandboxes['sessions']>> = [];
    let ok = 0;
    for (;;) {
      records = await sb.sessions();
      const byId = new Map(records.map((r) => [r.Scope_Id__c, r]));
      ok = ids.filter(
        (id) =>
          Number(byId.get(id)?.Idle_Duration_Seconds__c) === expected.get(id)
      ).length;
      if (ok === ids.length) break;
      if (Date.now() - posted > DRAIN_TIMEOUT_MS)
        throw new Error(
          `not drained after ${DRAIN_TIMEOUT_MS} ms (${ok}/${ids.length})`
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    const drained = Date.now();
    const counters = await sb.counters();
    // delivery-to-record latency: the session's last acknowledged (non-duplicate) delivery → the
    // Last_Synced_At__c of the write that carried its final state (the connector stamps it when it maps)
    const latencies = records
      .filter((r) => lastAck.has(r.Scope_Id__c) && r.Last_Synced_At__c)
      .map((r) =>
        Math.max(
          0,
          Date.parse(r.Last_Synced_At__c as string) -
            (lastAck.get(r.Scope_Id__c) as number)
        )
      );
    return {
      label: 'connector (coalesce + batch)',
      deliveries: planned.length,
      salesforceCalls: counters.salesforceCalls,
      graphqlRequests: counters.graphqlRequests,
      postSeconds: (posted - started) / 1000,
      drainSeconds: (drained - started) / 1000,
      p50LatencyMs: percentile(latencies, 50),
      p95LatencyMs: percentile(latencies, 95),
      recordsOk: ok
    };
  } finally {
    await connector.stop();
    await server.stop();
  }
}

/**
 * The reference demo's design, really executed: for every delivery, one GraphQL node fetch and one
 * single-record upsert by external id (no deduplication, no coalescing, no batching).
 */
async function runNaive(sb: Sandboxes, ids: string[]): Promise<EfficiencyRun> {
  const planned = plan(ids, sb.scopeUrl);
  await sb.resetSalesforce();
  await sb.clearCounters();
  const started = Date.now();
  const token = await json<{ access_token: string; instance_url: string }>(
    `${sb.sfUrl}/services/oauth2/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sb.clientId,
        client_secret: sb.clientSecret
      }).toString()
    }
  );
  const perDelivery: number[] = [];
  await runLanes(planned.length, NAIVE_CONCURRENCY, async (i) => {
    const p = planned[i] as Planned;
    const t0 = Date.now();
    const id = ids[p.sessionIndex] as string;
    const body = await json<{
      data: {
        node: {
          state: string | null;
          idleDuration: number | null;
          numberOfStepsViewed: number | null;
        } | null;
      };
    }>(`${sb.scopeUrl}/api/v3/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Token token=sandbox-company-token'
      },
      body: JSON.stringify({
        permalink: 'sandbox',
        query:
          'query($id: ID!) { node(id: $id) { ... on ScenarioSession { state idleDuration numberOfStepsViewed } } }',
        variables: { id }
      })
    });
    const node = body.data.node;
    await json(
      `${token.instance_url}/services/data/v${sb.apiVersion}/sobjects/Scope_AR_Session__c/Scope_Id__c/${encodeURIComponent(id)}`,
      {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token.access_token}`
        },
        body: JSON.stringify({
          Kind__c: 'Scenario Session',
          Link_Status__c: 'Unmatched',
          State__c: node?.state ?? null,
          Idle_Duration_Seconds__c: node?.idleDuration ?? null,
          Steps_Viewed__c: node?.numberOfStepsViewed ?? null,
          Last_Synced_At__c: new Date().toISOString()
        })
      }
    );
    perDelivery.push(Date.now() - t0);
  });
  const finished = Date.now();
  const counters = await sb.counters();
  const records = await sb.sessions();
  return {
    label: 'naive (reference demo design)',
    deliveries: planned.length,
    salesforceCalls: counters.salesforceCalls,
    graphqlRequests: counters.graphqlRequests,
    postSeconds: Number.NaN,
    drainSeconds: (finished - started) / 1000,
    p50LatencyMs: percentile(perDelivery, 50),
    p95LatencyMs: percentile(perDelivery, 95),
    recordsOk: new Set(records.map((r) => r.Scope_Id__c)).size
  };
}

function writeSection(runs: EfficiencyRun[], note: string): void {
  const [connector, naive] = runs as [EfficiencyRun, EfficiencyRun | undefined];
  const met =
    connector.salesforceCalls <= GOAL_SALESFORCE &&
    connector.graphqlRequests <= GOAL_GRAPHQL;
  const fmt = (n: number | undefined, digits = 0) =>
    n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits);
  const lines = [
    MARK_START,
    '## Connector efficiency',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:connector\` on ${cpus().length} cores, Node ${process.version}: ` +
      `${connector.deliveries.toLocaleString('en-US')} signed generation-2 deliveries for ${SESSIONS.toLocaleString('en-US')} Scope sessions ` +
      `(${Math.round(DUPLICATE_SHARE * 100)} % re-sent with the same X-Scope-Webhook-Id, the rest one change each in Scope), posted at ` +
      `${CONCURRENCY} connections as fast as they were acknowledged while the worker ran, then drained through both sandboxes ` +
      '(default latency 0 ms, in the same process). API calls are counted by the sandboxes: every request in the Salesforce ' +
      "sandbox's log (token requests included) and every GraphQL request in the Scope sandbox's stats. The naive design is " +
      `really executed against the same sandboxes in the same run (${NAIVE_CONCURRENCY} lanes). Load average at the end: ` +
      `${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}.`,
    '',
    '| design | deliveries | Salesforce API calls | GraphQL requests | posting s | drain s | p50 ms | p95 ms | records right |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.label} | ${r.deliveries} | ${r.salesforceCalls} | ${r.graphqlRequests} | ${fmt(r.postSeconds, 1)} | ${fmt(r.drainSeconds, 1)} | ${fmt(r.p50LatencyMs)} | ${fmt(r.p95LatencyMs)} | ${r.recordsOk} |`
    ),
    '',
    `Goal (≤ ${GOAL_SALESFORCE} Salesforce API calls and ≤ ${GOAL_GRAPHQL} GraphQL requests in all): **${met ? 'met' : 'not met'}**` +
      (naive
        ? `; ${(naive.salesforceCalls / Math.max(1, connector.salesforceCalls)).toFixed(0)}× fewer Salesforce calls and ` +
          `${(naive.graphqlRequests / Math.max(1, connector.graphqlRequests)).toFixed(0)}× fewer GraphQL requests than the naive design.`
        : '.'),
    '',
    'Latency, connector: for each session, from the 2xx acknowledgement of its last change to the `Last_Synced_At__c` of the ' +
      'write that carried its final state (the connector stamps it when it maps the fetched node, just before the upsert; same ' +
      'machine clock). "drain s" runs from the first post to the moment every record in the Salesforce sandbox carries ' +
      "Scope's final state (polled every 100 ms). Naive: p50/p95 are the time to process one delivery (fetch + upsert), drain is " +
      'the time to process all of them.',
    ...(note ? ['', note] : []),
    MARK_END
  ];
  writeBenchmarkSection(
    'BENCHMARKS.md',
    MARK_START,
    MARK_END,
    lines.join('\n')
  );
}

export async function runEfficiencyBenchmark(): Promise<EfficiencyRun[]> {
  const root = mkdtempSync(join(tmpdir(), 'worklink-bench-eff-'));
  chmodSync(root, 0o755);
  const sb = await startSandboxes();
  try {
    const { ids, databaseIds } = sessionIds(SESSIONS);
    const runs: EfficiencyRun[] = [];
    const connector = await runConnector(sb, root, ids, databaseIds);
    console.log(JSON.stringify(connector));
    runs.push(connector);
    if (process.env.BENCH_SKIP_NAIVE !== '1') {
      const naive = await runNaive(sb, ids);
      console.log(JSON.stringify(naive));
      runs.push(naive);
    }
    if (process.env.BENCH_WRITE !== '0')
      writeSection(runs, process.env.BENCH_EFFICIENCY_NOTE ?? '');
    return runs;
  } finally {
    await sb.close();
    rmSync(root, { recursive: true, force: true });
  }
}

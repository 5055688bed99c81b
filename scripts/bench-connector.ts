// npm run bench:connector — ingest part: signed generation-2 deliveries at 50 connections against the
// real connector on an embedded PostgreSQL (fake processor, worker off, so only ingest is measured):
// durable acknowledgement (group commit) vs. the same HTTP server and app acknowledging without storing;
// the load comes from a process of its own.
// Writes its section of BENCHMARKS.md between <!-- bench:connector:ingest --> markers.
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../connector/src/config.ts';
import { startEmbeddedPostgres } from '../connector/src/db/embedded-postgres.ts';
import { ensureDatabase } from '../connector/src/db/open-database.ts';
import type { ConnectorConfig } from '../connector/src/config.ts';
import { createApp } from '../connector/src/http/create-app.ts';
import { listenHttp } from '../connector/src/http/http-server.ts';
import { createReadiness } from '../connector/src/http/readiness.ts';
import { createMetrics } from '../connector/src/metrics.ts';
import { createConnector } from '../connector/src/runtime/create-connector.ts';
import type { DeliveryRecord } from '../connector/src/webhooks/receive-delivery.ts';
import type { LoadOptions, LoadResult } from './bench-ingest/load-generator.ts';
import { runEfficiencyBenchmark } from './bench-connector-efficiency.ts';
import { writeBenchmarkSection } from './bench-support.ts';

const SECRET = 'bench-secret-0123456789';
const CONNECTIONS = 50;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 15);
const MARK_START = '<!-- bench:connector:ingest -->';
const MARK_END = '<!-- /bench:connector:ingest -->';
const run = promisify(execFile);
const LOAD_GENERATOR = fileURLToPath(
  new URL('./bench-ingest/load-generator.ts', import.meta.url)
);

interface Run extends LoadResult {
  label: string;
  stored?: number;
}

/** The load, from a process of its own (scripts/bench-ingest/load-generator.ts). */
async function measure(label: string, url: string): Promise<Run> {
  const options: LoadOptions = {
    url,
    connections: CONNECTIONS,
    durationSeconds: DURATION_SECONDS,
    secret: SECRET
  };
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', LOAD_GENERATOR, JSON.stringify(options)],
    { maxBuffer: 1024 * 1024 }
  );
  const lines = stdout.trim().split('\n');
  return { label, ...(JSON.parse(lines.at(-1) ?? '{}') as LoadResult) };
}

/**
 * The baseline: the connector's own HTTP server and app (signature check, parsing, routing) with a
 * store that acknowledges without writing, so the difference to the durable run is the storage alone.
 */
async function startUnstoredBaseline(
  config: ConnectorConfig
): Promise<{ url: string; stop(): Promise<void> }> {
  const http = await listenHttp({ ...config.http, keepAliveTimeoutMs: 65_000 });
  const acknowledge = async (record: DeliveryRecord) => ({
    status: 'accepted' as const,
    deliveryId: record.deliveryId
  });
  http.attach(
    createApp({
      webhook: { policy: config.webhook, store: acknowledge },
      bodyLimitBytes: config.webhook.bodyLimitBytes,
      readiness: createReadiness({}),
      metrics: createMetrics()
    })
  );
  return {
    url: http.url,
    stop: () =>
      new Promise<void>((resolve) => {
        http.server.closeAllConnections();
        http.server.close(() => resolve());
      })
  };
}

async function countDeliveries(connectionString: string): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM deliveries'
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

async function measureServer(
  label: string,
  server: { url: string; stop(): Promise<void> }
): Promise<Run> {
  try {
    const result = await measure(label, server.url);
    console.log(JSON.stringify(result));
    return result;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'worklink-bench-'));
  chmodSync(root, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(root, 'data'),
    port: 55_000 + Math.floor(Math.random() * 4000)
  });
  const runs: Run[] = [];
  try {
    const databaseUrl = server.connectionString('bench');
    await ensureDatabase(server.connectionString('postgres'), 'bench');
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
      WEBHOOK_SECRETS: SECRET,
      DATABASE_POOL_SIZE: '12'
    });
    runs.push(
      await measureServer(
        'no storage (baseline)',
        await startUnstoredBaseline(config)
      )
    );
    const connector = createConnector({ config });
    const { url } = await connector.start();
    const durable = await measureServer('durable ack (group commit)', {
      url,
      stop: () => connector.stop()
    });
    durable.stored = await countDeliveries(databaseUrl);
    runs.push(durable);
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
  writeSection(runs);
}

function writeSection(runs: Run[]): void {
  const durable = runs.find((r) => r.label.startsWith('durable'));
  const baseline = runs.find((r) => r.label.startsWith('no storage'));
  const ratio = durable && baseline ? durable.rps / baseline.rps : 0;
  const goal = durable ? durable.rps >= 1000 && durable.p99 <= 100 : false;
  const lines = [
    MARK_START,
    '## Connector ingest',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:connector\` on ${cpus().length} cores, Node ${process.version}: ` +
      `${CONNECTIONS} connections for ${DURATION_SECONDS} s each, every request a new signed generation-2 delivery ` +
      '(unique X-Scope-Webhook-Id, base64 HMAC-SHA256) against the real connector and an embedded PostgreSQL 18 ' +
      '(fsync on, synchronous_commit on); the worker is off, so only receiving is measured. autocannon runs in a ' +
      `process of its own (scripts/bench-ingest/load-generator.ts, after a warm-up of 500 requests). Load average at the end of the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' / '
        )} (other processes share the machine; figures above 2 mean the cores were contended).`,
    '',
    '| mode | deliveries/s | p50 ms | p99 ms | requests | errors | non-2xx | rows stored |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.label} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.errors} | ${r.non2xx} | ${r.stored ?? '—'} |`
    ),
    '',
    `Durable / baseline throughput: **${(ratio * 100).toFixed(0)} %**. Goal (≥ 1,000 durable deliveries/s with p99 ≤ 100 ms): **${goal ? 'met' : 'not met'}**.`,
    '',
    'Each acknowledgement waits for the COMMIT that holds both the delivery row and its pg-boss job; concurrent requests ' +
      'are grouped (≤ 3 ms or 200 deliveries per transaction, up to 8 transactions in flight).',
    MARK_END
  ];
  writeBenchmarkSection(
    'BENCHMARKS.md',
    MARK_START,
    MARK_END,
    lines.join('\n')
  );
  console.log(
    `BENCHMARKS.md updated (durable ${Math.round(durable?.rps ?? 0)}/s, p99 ${durable?.p99} ms)`
  );
}

// BENCH_PARTS=ingest|efficiency runs one part only (default: both)
const parts = (process.env.BENCH_PARTS ?? 'ingest,efficiency').split(',');
if (parts.includes('ingest')) await main();
if (parts.includes('efficiency')) await runEfficiencyBenchmark();
process.exit(0);

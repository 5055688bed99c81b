// npm run bench:sync — import of 100,000 seeded Scope sessions into the analytics schema, against a
// baseline of 10,000 in the same run: wall time, sessions/s, peak RSS of the importing process and the
// GraphQL requests it made. Each import runs in a child process (this script with --child) that samples
// its own process.memoryUsage().rss every 50 ms; the Scope sandbox and PostgreSQL run outside it, so
// the peak is the sync engine's alone. Results go between the bench:sync markers of BENCHMARKS.md.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startScopeSandbox } from '../sandboxes/scope/index.ts';
import { startEmbeddedPostgres } from '../connector/src/db/embedded-postgres.ts';
import { ensureDatabase } from '../connector/src/db/open-database.ts';
import { migrate } from '../connector/src/db/migrate.ts';
import { createPool } from '../connector/src/db/pool.ts';
import { createScopeClient } from '../connector/src/scope/index.ts';
import { runSyncPass } from '../connector/src/sync/run-sync-pass.ts';
import type { SyncSummary } from '../connector/src/sync/run-sync-pass.ts';
import { freePort, makeTempDir } from '../test/support/postgres.ts';
import { writeBenchmarkSection } from './bench-support.ts';

const SIZES = (process.env.BENCH_SYNC_SIZES ?? '10000,100000')
  .split(',')
  .map(Number);
const PAGE_SIZE = Number(process.env.SYNC_PAGE_SIZE ?? 25);
const RSS_GOAL_MB = 300;
const MARK_START = '<!-- bench:sync -->';
const MARK_END = '<!-- /bench:sync -->';

interface ChildResult {
  summary: SyncSummary;
  wallMs: number;
  peakRss: number;
  startRss: number;
  samples: number;
  peakHeapUsed: number;
  /** Peak RSS within each quarter of the run (by sessions imported): a plateau means flat memory. */
  quarterPeaks: number[];
}

async function child(): Promise<void> {
  const samples: number[] = [];
  const expected = Number(process.env.BENCH_EXPECTED ?? 0);
  const quarterPeaks = [0, 0, 0, 0];
  let seen = 0;
  let peakHeapUsed = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    samples.push(usage.rss);
    peakHeapUsed = Math.max(peakHeapUsed, usage.heapUsed);
    const quarter =
      expected > 0 ? Math.min(3, Math.floor((seen / expected) * 4)) : 0;
    quarterPeaks[quarter] = Math.max(quarterPeaks[quarter] ?? 0, usage.rss);
  };
  sample();
  const timer = setInterval(sample, 50);
  const pool = createPool(process.env.BENCH_DATABASE_URL as string, { max: 4 });
  const scope = createScopeClient({
    baseUrl: process.env.BENCH_SCOPE_URL as string,
    auth: { kind: 'token', token: 'sandbox-company-token', scheme: 'token' },
    permalink: 'sandbox'
  });
  const started = performance.now();
  const summary = await runSyncPass({
    pool,
    scope,
    mapping: {
      workOrderIdKeys: ['work_order_id'],
      workOrderNumberKeys: ['work_order_number'],
      caseIdKeys: ['case_id'],
      lineItemIdKeys: ['work_order_line_item_id'],
      serviceAppointmentIdKeys: ['service_appointment_id'],
      durationUnit: 'seconds',
      percentScale: 'percent'
    },
    pageSize: PAGE_SIZE,
    mode: 'full',
    trigger: 'backfill',
    streams: ['scenario_sessions'],
    onProgress: (p) => {
      seen = p.seen;
    }
  });
  const wallMs = performance.now() - started;
  clearInterval(timer);
  sample();
  await pool.end();
  const result: ChildResult = {
    summary,
    wallMs,
    peakRss: Math.max(...samples),
    startRss: samples[0] ?? 0,
    samples: samples.length,
    peakHeapUsed,
    quarterPeaks
  };
  process.send?.(result, () => process.exit(0));
}

async function importInChild(
  databaseUrl: string,
  scopeUrl: string,
  expected: number
): Promise<ChildResult> {
  const script = fileURLToPath(import.meta.url);
  const proc = fork(script, ['--child'], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_SCOPE_URL: scopeUrl,
      BENCH_EXPECTED: String(expected)
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  return new Promise((resolve, reject) => {
    let result: ChildResult | undefined;
    proc.on('message', (message) => {
      result = message as ChildResult;
    });
    proc.on('error', reject);
    proc.on('exit', (code) =>
      result
        ? resolve(result)
        : reject(new Error(`import child exited with ${code}`))
    );
  });
}

interface Row {
  seeded: number;
  imported: number;
  wallS: number;
  perSecond: number;
  peakMb: number;
  startMb: number;
  graphql: number;
  pages: number;
  outcome: string;
  heapMb: number;
  quartersMb: number[];
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const root = makeTempDir('worklink-bench-sync-');
  const server = await startEmbeddedPostgres({
    dataDir: join(root, 'data'),
    port: await freePort()
  });
  const rows: Row[] = [];
  try {
    for (const size of SIZES) {
      const name = `bench_sync_${size}`;
      await ensureDatabase(server.connectionString('postgres'), name);
      const url = server.connectionString(name);
      const pool = createPool(url, { max: 2 });
      await migrate(pool);
      await pool.end();
      const scope = await startScopeSandbox({
        port: 0,
        clock: { manual: true },
        seed: { historicalSessions: size, historicalCalls: 0 }
      });
      try {
        process.stderr.write(`importing ${size} seeded sessions…\n`);
        const result = await importInChild(
          url,
          scope.url,
          size - Math.floor((size + 1) / 25)
        );
        const stats = scope.stats();
        const imported = result.summary.sessions.written;
        rows.push({
          seeded: size,
          imported,
          wallS: Math.round(result.wallMs / 100) / 10,
          perSecond: Math.round(imported / (result.wallMs / 1000)),
          peakMb: mb(result.peakRss),
          startMb: mb(result.startRss),
          graphql: stats.graphqlRequests,
          pages: result.summary.pages,
          outcome: result.summary.outcome,
          heapMb: mb(result.peakHeapUsed),
          quartersMb: result.quarterPeaks.map(mb)
        });
        process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
      } finally {
        await scope.close();
      }
    }
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
  report(rows);
}

function report(rows: Row[]): void {
  const base = rows[0];
  const big = rows.at(-1);
  const ratio =
    base && big ? Math.round((big.peakMb / base.peakMb) * 100) / 100 : NaN;
  const quarters = big?.quartersMb ?? [];
  const plateau =
    quarters[1] && quarters[3]
      ? Math.round((quarters[3] / quarters[1]) * 100) / 100
      : NaN;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const lines = [
    MARK_START,
    '## Sync import',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:sync\` on 2 cores, Node ${process.version}: a full pass (\`connector backfill\` without reconciliation) of the seeded Scope sandbox sessions into the analytics schema of an embedded PostgreSQL 18, page size ${PAGE_SIZE}. The import runs in its own process, which samples \`process.memoryUsage().rss\` every 50 ms; the Scope sandbox (which generates each page on request) runs in the parent process. One in 25 seeded sessions belongs to another company and is invisible to the token, so 100,000 seeded = 96,000 imported. Load average at the end: ${load} (other processes share the machine).`,
    '',
    '| seeded sessions | imported | wall time s | sessions/s | RSS at start MB | peak RSS MB | peak RSS per quarter of the run MB | peak heap used MB | GraphQL requests | pages | outcome |',
    '|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.seeded} | ${r.imported} | ${r.wallS} | ${r.perSecond} | ${r.startMb} | ${r.peakMb} | ${r.quartersMb.join(' / ')} | ${r.heapMb} | ${r.graphql} | ${r.pages} | ${r.outcome} |`
    ),
    '',
    `Peak RSS ${big?.seeded ?? '?'} vs ${base?.seeded ?? '?'} sessions: **×${ratio}**; within the ${big?.seeded ?? '?'}-session run, last quarter vs second quarter: **×${plateau}** (≈ 1 = a plateau: memory does not grow with the number of sessions). Goal (flat, under ${RSS_GOAL_MB} MB): **${big && big.peakMb < RSS_GOAL_MB && plateau < 1.15 ? 'met' : 'not met'}**.`,
    'GraphQL requests = 2 introspection queries + one per page (each page also carries the steps and events of its sessions as nested connections).',
    MARK_END
  ];
  const block = lines.join('\n');
  writeBenchmarkSection(
    join(process.cwd(), 'BENCHMARKS.md'),
    MARK_START,
    MARK_END,
    block
  );
  process.stdout.write(`${block}\n`);
}

if (process.argv.includes('--child')) {
  child().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}

// npm run bench:connector — efficiency part (issue #20): a seeded, rate-driven schedule of deliveries
// (scripts/bench-efficiency/schedule.ts) sent at their times to the real connector (worker on, embedded
// PostgreSQL) twice, then the naive per-delivery design against the same sandboxes; calls are counted by
// the sandboxes, latency by event kind from acknowledgement to the write carrying that state. Writes
// its section of BENCHMARKS.md between <!-- bench:connector:efficiency --> markers; with
// BENCH_TRADEOFF=progress:final,… (e.g. 5:1,20:2,60:2) it instead runs those coalescing settings once
// each and writes the trade-off table between <!-- bench:connector:coalescing --> markers.
// Env: BENCH_SESSIONS, BENCH_SEED, BENCH_COMPRESSION, BENCH_START_SPREAD_MINUTES (workload size),
// BENCH_RUNS (default 2), BENCH_SKIP_NAIVE=1, BENCH_WRITE=0 (print only), WORKER_* and
// SCOPE_FETCH_BATCH_SIZE, SYNC_STEPS, ROLLUP_INTERVAL_SECONDS, SF_COMPOSITE (passed to the connector).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../connector/src/config.ts';
import { runConnector } from './bench-efficiency/connector-run.ts';
import type {
  ConnectorRun,
  Workload
} from './bench-efficiency/connector-run.ts';
import { runNaive } from './bench-efficiency/naive-run.ts';
import type { NaiveRun } from './bench-efficiency/naive-run.ts';
import {
  describeWorkload,
  efficiencyTables,
  floorsFor,
  machine,
  reproducibility,
  tradeoffRows,
  verdict
} from './bench-efficiency/report.ts';
import type { Floors } from './bench-efficiency/report.ts';
import { sessionIds, startSandboxes } from './bench-efficiency/sandboxes.ts';
import type { Sandboxes } from './bench-efficiency/sandboxes.ts';
import { buildSchedule, scheduleFromEnv } from './bench-efficiency/schedule.ts';
import type { ScheduleOptions } from './bench-efficiency/schedule.ts';
import { writeBenchmarkSection } from './bench-support.ts';
import { percentile } from '../connector/src/report/ttr-stats.ts';

const MARKS = {
  efficiency: [
    '<!-- bench:connector:efficiency -->',
    '<!-- /bench:connector:efficiency -->'
  ],
  coalescing: [
    '<!-- bench:connector:coalescing -->',
    '<!-- /bench:connector:coalescing -->'
  ]
} as const;

export interface EfficiencyResult {
  runs: ConnectorRun[];
  naive?: NaiveRun;
  floors: Floors;
  reproducible: boolean;
}

const connectorEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        /^(WORKER_|SCOPE_FETCH_BATCH_SIZE|SYNC_STEPS|ROLLUP_INTERVAL_SECONDS|SF_COMPOSITE)/.test(
          entry[0]
        ) && entry[1] !== undefined
    )
  );

function windowsOf(env: Record<string, string>): {
  progress: number;
  final: number;
  fetchBatch: number;
  rollupInterval: number;
} {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  return {
    rollupInterval: config.worker.rollupIntervalSeconds,
    progress: config.worker.coalesce.progressSeconds,
    final: config.worker.coalesce.finalSeconds,
    fetchBatch: config.scope.fetchBatchSize
  };
}

function section(mark: keyof typeof MARKS, lines: string[]): void {
  const [start, end] = MARKS[mark];
  if (process.env.BENCH_WRITE === '0') return;
  writeBenchmarkSection(
    'BENCHMARKS.md',
    start,
    end,
    [start, ...lines, end].join('\n')
  );
}

function writeEfficiency(
  s: ScheduleOptions,
  w: Workload,
  result: EfficiencyResult,
  note: string
): void {
  const env = connectorEnv();
  const { progress, final, rollupInterval } = windowsOf(env);
  const resent = w.schedule.flat().filter((d) => d.resent).length;
  const [first] = result.runs;
  section('efficiency', [
    '## Connector efficiency',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:connector\` on ${machine()}. Workload: ` +
      `${describeWorkload(s, w.schedule.flat().length, resent)}, to the real connector (worker on, embedded PostgreSQL, ` +
      `WORKER_PROGRESS_COALESCE_SECONDS=${progress}, WORKER_FINAL_COALESCE_SECONDS=${final}, ROLLUP_INTERVAL_SECONDS=${rollupInterval}, heartbeat off), drained through ` +
      'both sandboxes in the same process. Calls are counted by the sandboxes (every request in the Salesforce sandbox’s log, ' +
      'tokens included; every GraphQL request in the Scope sandbox’s stats). The connector runs twice on the same schedule; the ' +
      'naive design (one fetch and one single-record upsert per delivery) runs once against the same sandboxes. ' +
      'Of the connector’s calls, the rollups’ (the work order, session, asset and case reads of the rollup stage and its ' +
      'Collections updates of the parents; the connector’s own worklink_api_calls_total by operation) are shown apart; ' +
      'a run ends when every record is final and no rollup waits for a drain (rollups settled).',
    '',
    ...efficiencyTables(result.runs, result.naive, result.floors),
    '',
    `Reproducibility: ${reproducibility(result.runs).text}.`,
    '',
    ...(first ? [verdict(first, result.floors), ''] : []),
    'Floor: ⌈sessions / 200⌉ Collections upserts + as many work-order queries + 1 token; GraphQL ⌈sessions / ' +
      'SCOPE_FETCH_BATCH_SIZE⌉ — every session written once, in full batches, which no design that writes a completion ' +
      'within seconds of it can reach while sessions complete over minutes. Prompt floor: the fewest writes that carry every ' +
      'completion within 5 s of its sending (a greedy cover of the completion times with 5 s intervals, computed from the ' +
      'schedule), each one call, plus the work-order queries and the token; GraphQL at least one fetch per write and never ' +
      'below the floor — what any design meeting the latency goal must spend. Latency: from the 2xx acknowledgement of a ' +
      'delivery to the return of the first Salesforce upsert whose batch had loaded that delivery or a later one of the ' +
      'same session (the batch fetches the node after loading them); send lag: how late the poster sent against the schedule.',
    ...(note ? ['', note] : [])
  ]);
}

/** p50 / p95 ms by event kind, for the console. */
const latencySummary = (run: ConnectorRun) =>
  Object.fromEntries(
    Object.entries(run.latencies).map(([kind, values]) => [
      kind,
      [0.5, 0.95].map((q) => Math.round(percentile(values, q) ?? Number.NaN))
    ])
  );

/** When each session's completion is sent (ms from the start of the run). */
const completionTimes = (w: Workload) =>
  w.schedule
    .flat()
    .filter((d) => d.kind === 'completed')
    .map((d) => d.atMs);

async function efficiency(
  sb: Sandboxes,
  w: Workload
): Promise<EfficiencyResult> {
  const env = connectorEnv();
  const floors = floorsFor(
    w.ids.length,
    windowsOf(env).fetchBatch,
    completionTimes(w)
  );
  const runs: ConnectorRun[] = [];
  const count = Number(process.env.BENCH_RUNS ?? 2);
  for (let i = 1; i <= count; i++) {
    const run = await runConnector(sb, w, `connector, run ${i}`, env);
    console.log(JSON.stringify({ ...run, latencies: latencySummary(run) }));
    runs.push(run);
  }
  const check = reproducibility(runs);
  console.log(check.text);
  const naive =
    process.env.BENCH_SKIP_NAIVE === '1'
      ? undefined
      : await runNaive(sb, w.ids, w.schedule);
  if (naive) console.log(JSON.stringify(naive));
  return { runs, ...(naive ? { naive } : {}), floors, reproducible: check.ok };
}

async function tradeoff(
  sb: Sandboxes,
  w: Workload,
  s: ScheduleOptions,
  settings: string
): Promise<void> {
  const env = connectorEnv();
  const floors = floorsFor(
    w.ids.length,
    windowsOf(env).fetchBatch,
    completionTimes(w)
  );
  const rows: { progress: number; final: number; run: ConnectorRun }[] = [];
  for (const setting of settings.split(',')) {
    const [progress = 20, final = 2] = setting.split(':').map(Number);
    const run = await runConnector(sb, w, `${progress}:${final}`, {
      ...env,
      WORKER_PROGRESS_COALESCE_SECONDS: String(progress),
      WORKER_FINAL_COALESCE_SECONDS: String(final)
    });
    console.log(JSON.stringify({ ...run, latencies: latencySummary(run) }));
    rows.push({ progress, final, run });
  }
  section('coalescing', [
    '### Coalescing windows: the trade-off',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, one run per setting on the efficiency workload above ` +
      `(${s.sessions} sessions, seed ${s.seed}, ${s.compression}× compression). Floors: ${floors.salesforce} Salesforce calls, ${floors.graphql} GraphQL requests; ` +
      `prompt floors (${floors.promptWrites} writes carry every completion within 5 s): ${floors.promptSalesforce} and ${floors.promptGraphql}.`,
    '',
    ...tradeoffRows(rows, floors)
  ]);
}

export async function runEfficiencyBenchmark(): Promise<
  EfficiencyResult | undefined
> {
  const root = mkdtempSync(join(tmpdir(), 'worklink-bench-eff-'));
  chmodSync(root, 0o755);
  const s = scheduleFromEnv(process.env);
  const sb = await startSandboxes(s.sessions);
  try {
    const { ids, databaseIds } = sessionIds(s.sessions);
    const w: Workload = { root, ids, databaseIds, schedule: buildSchedule(s) };
    if (process.env.BENCH_TRADEOFF) {
      await tradeoff(sb, w, s, process.env.BENCH_TRADEOFF);
      return undefined;
    }
    const result = await efficiency(sb, w);
    writeEfficiency(s, w, result, process.env.BENCH_EFFICIENCY_NOTE ?? '');
    return result;
  } finally {
    await sb.close();
    rmSync(root, { recursive: true, force: true });
  }
}

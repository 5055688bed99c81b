// The efficiency benchmark's figures as BENCHMARKS.md shows them: calls against their floors, latency by
// event kind, the check that two runs agree within 5 %, and the coalescing trade-off table.
import { cpus, loadavg } from 'node:os';
import { percentile } from '../../connector/src/report/ttr-stats.ts';
import type { ConnectorRun } from './connector-run.ts';
import type { NaiveRun } from './naive-run.ts';
import type { ScheduleOptions } from './schedule.ts';

export const GOALS = {
  salesforceRatio: 1.5,
  graphqlRatio: 1.5,
  completedP95Ms: 5000
};
/** Two runs' call counts may differ by this share (issue #20). */
export const REPRODUCIBLE_WITHIN = 0.05;

export interface Floors {
  salesforce: number;
  graphql: number;
  /** The fewest writes that carry every completion within GOALS.completedP95Ms of its sending. */
  promptWrites: number;
  /** With those writes: promptWrites + ⌈sessions/200⌉ work-order queries + 1 token. */
  promptSalesforce: number;
  /** With those writes: at least one fetch each, and never fewer than the floor. */
  promptGraphql: number;
}

/**
 * ⌈sessions/200⌉ upserts + as many work-order queries + 1 token; ⌈sessions/fetch batch⌉ GraphQL (the
 * issue's floors); and the floors of a design whose writes are prompt: a write at time t can carry the
 * completions sent in [t − L, t], so covering the completion times with such intervals greedily gives the
 * fewest writes (optimal for covering points with intervals of one length).
 */
export function floorsFor(
  sessions: number,
  fetchBatch: number,
  completionTimesMs: readonly number[] = []
): Floors {
  const collections = Math.ceil(sessions / 200);
  const graphql = Math.ceil(sessions / fetchBatch);
  const promptWrites = promptWriteCount(
    completionTimesMs,
    GOALS.completedP95Ms
  );
  return {
    salesforce: 2 * collections + 1,
    graphql,
    promptWrites,
    promptSalesforce: promptWrites + collections + 1,
    promptGraphql: Math.max(promptWrites, graphql)
  };
}

export function promptWriteCount(
  timesMs: readonly number[],
  withinMs: number
): number {
  const sorted = [...timesMs].sort((a, b) => a - b);
  let writes = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const t of sorted) {
    if (t <= coveredUntil) continue;
    writes++;
    coveredUntil = t + withinMs;
  }
  return writes;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === undefined || n === null || Number.isNaN(n) ? '—' : n.toFixed(digits);
const p = (values: number[], q: number) => percentile(values, q) ?? Number.NaN;

export function spread(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, a, b);
}

/** The two-run check, printed and shown: both call counts within REPRODUCIBLE_WITHIN. */
export function reproducibility(runs: readonly ConnectorRun[]): {
  ok: boolean;
  text: string;
} {
  const [a, b] = runs;
  if (!a || !b)
    return { ok: false, text: 'only one run: reproducibility not checked' };
  const sf = spread(a.salesforceCalls, b.salesforceCalls);
  const gql = spread(a.graphqlRequests, b.graphqlRequests);
  const ok = sf <= REPRODUCIBLE_WITHIN && gql <= REPRODUCIBLE_WITHIN;
  return {
    ok,
    text:
      `two runs: Salesforce calls ${a.salesforceCalls} / ${b.salesforceCalls} (${fmt(sf * 100, 1)} % apart), ` +
      `GraphQL requests ${a.graphqlRequests} / ${b.graphqlRequests} (${fmt(gql * 100, 1)} % apart): ` +
      `${ok ? 'within' : 'NOT within'} ${REPRODUCIBLE_WITHIN * 100} %`
  };
}

function callRows(
  runs: readonly ConnectorRun[],
  naive: NaiveRun | undefined,
  floors: Floors
): string[] {
  const byKind = (r: { salesforceByKind: Record<string, number> }) =>
    ['token', 'query', 'collections', 'composite', 'steps', 'other']
      .map((k) => r.salesforceByKind[k] ?? 0)
      .join(' / ');
  return [
    '| design | deliveries | Salesforce calls (token / query / collections / composite / steps / other) | of which rollups (queries / updates) | × floor / × prompt floor | GraphQL requests | × floor / × prompt floor | drain s | rollups settled s | records right |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| floor | — | ${floors.salesforce} | — | 1.0 / — | ${floors.graphql} | 1.0 / — | — | — | — |`,
    `| prompt floor (${floors.promptWrites} writes) | — | ${floors.promptSalesforce} | — | ${fmt(floors.promptSalesforce / floors.salesforce, 2)} / 1.0 | ${floors.promptGraphql} | ${fmt(floors.promptGraphql / floors.graphql, 2)} / 1.0 | — | — | — |`,
    ...runs.map(
      (r) =>
        `| ${r.label} | ${r.deliveries} | ${r.salesforceCalls} (${byKind(r)}) | ` +
        `${r.rollupCalls.queries + r.rollupCalls.updates} (${r.rollupCalls.queries} / ${r.rollupCalls.updates}) | ${ratios(r.salesforceCalls, floors.salesforce, floors.promptSalesforce)} | ` +
        `${r.graphqlRequests} | ${ratios(r.graphqlRequests, floors.graphql, floors.promptGraphql)} | ${fmt(r.drainSeconds, 1)} | ${fmt(r.rollupsSettledSeconds, 1)} | ${r.recordsOk} |`
    ),
    ...(naive
      ? [
          `| ${naive.label} | ${naive.deliveries} | ${naive.salesforceCalls} (${byKind(naive)}) | — | ${fmt(naive.salesforceCalls / floors.salesforce, 0)} | ` +
            `${naive.graphqlRequests} | ${fmt(naive.graphqlRequests / floors.graphql, 0)} | ${fmt(naive.drainSeconds, 1)} | — | — |`
        ]
      : [])
  ];
}

const ratios = (value: number, floor: number, prompt: number) =>
  `${fmt(value / floor, 2)} / ${fmt(value / prompt, 2)}`;

function latencyRows(runs: readonly ConnectorRun[]): string[] {
  const kinds = ['created', 'progress', 'completed'] as const;
  return [
    '| run | send lag p95 ms | created p50 / p95 ms | progress p50 / p95 ms | completed p50 / p95 / max ms |',
    '|---|---:|---:|---:|---:|',
    ...runs.map((r) => {
      const cells = kinds.map((k) => {
        const l = r.latencies[k];
        const tail = k === 'completed' ? ` / ${fmt(l[l.length - 1])}` : '';
        return `${fmt(p(l, 0.5))} / ${fmt(p(l, 0.95))}${tail}`;
      });
      return `| ${r.label} | ${fmt(r.sendLagP95Ms)} | ${cells.join(' | ')} |`;
    })
  ];
}

export function verdict(run: ConnectorRun, floors: Floors): string {
  const sf = run.salesforceCalls / floors.salesforce;
  const gql = run.graphqlRequests / floors.graphql;
  const completed = p(run.latencies.completed, 0.95);
  const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
  return (
    `Goals (${run.label}): Salesforce calls ≤ ${GOALS.salesforceRatio}× floor — ${fmt(sf, 2)}×, ${mark(sf <= GOALS.salesforceRatio)}; ` +
    `GraphQL ≤ ${GOALS.graphqlRatio}× floor — ${fmt(gql, 2)}×, ${mark(gql <= GOALS.graphqlRatio)}; ` +
    `completed p95 ≤ ${GOALS.completedP95Ms / 1000} s — ${fmt(completed / 1000, 1)} s, ${mark(completed <= GOALS.completedP95Ms)}. ` +
    `Against the prompt floor (the fewest writes that carry every completion within ${GOALS.completedP95Ms / 1000} s): ` +
    `Salesforce ${fmt(run.salesforceCalls / floors.promptSalesforce, 2)}×, GraphQL ${fmt(run.graphqlRequests / floors.promptGraphql, 2)}×.`
  );
}

export function describeWorkload(
  s: ScheduleOptions,
  deliveries: number,
  resent: number
): string {
  return (
    `${s.sessions.toLocaleString('en-US')} Scope sessions (seed ${s.seed}), each created, then ${s.progressUpdates[0]}–${s.progressUpdates[1]} ` +
    `progress updates spread uniformly over a life of ${s.lifeMinutes[0]}–${s.lifeMinutes[1]} simulated minutes, then completed; ` +
    `sessions start uniformly over ${s.startSpreadMinutes} simulated minutes; simulated time runs ${s.compression}× faster than real time. ` +
    `${deliveries.toLocaleString('en-US')} deliveries (one change in Scope each) plus ${resent.toLocaleString('en-US')} re-sent with the same ` +
    `X-Scope-Webhook-Id (${s.resendShare * 100} %), each sent at its scheduled time (mulberry32 schedule)`
  );
}

export function machine(): string {
  return `${cpus().length} cores, Node ${process.version}, load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
}

export function efficiencyTables(
  runs: readonly ConnectorRun[],
  naive: NaiveRun | undefined,
  floors: Floors
): string[] {
  return [...callRows(runs, naive, floors), '', ...latencyRows(runs)];
}

/** One row per coalescing setting: calls, ratios and latency by kind. */
export function tradeoffRows(
  rows: readonly { progress: number; final: number; run: ConnectorRun }[],
  floors: Floors
): string[] {
  return [
    '| progress s | final s | Salesforce calls | × floor | GraphQL | × floor | progress p95 ms | completed p95 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ progress, final, run }) =>
        `| ${progress} | ${final} | ${run.salesforceCalls} | ${fmt(run.salesforceCalls / floors.salesforce, 2)} | ` +
        `${run.graphqlRequests} | ${fmt(run.graphqlRequests / floors.graphql, 2)} | ${fmt(p(run.latencies.progress, 0.95))} | ` +
        `${fmt(p(run.latencies.completed, 0.95))} |`
    )
  ];
}

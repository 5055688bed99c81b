// Prometheus metrics (prom-client) behind a small interface. The processing modules receive a
// `ConnectorMetrics` (or nothing) and only call its methods; they never touch prom-client.
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics
} from 'prom-client';

export type DeliveryOutcome =
  | 'accepted'
  | 'duplicate'
  | 'ignored'
  | 'rejected_signature'
  | 'rejected_malformed'
  | 'rejected_too_large'
  | 'rejected_media_type'
  | 'error';

export type ApiSystem = 'scope' | 'salesforce';

/** What the worker / clients report. Every method is cheap and never throws. */
export interface ProcessingMetrics {
  /** One HTTP request to an external API (status: HTTP status, or 'network' for a transport error). */
  apiCall(
    system: ApiSystem,
    operation: string,
    status: number | 'network'
  ): void;
  /** Resources by processor outcome (counted by the job runner). */
  outcome(
    status: 'written' | 'retry' | 'dead' | 'skipped',
    count?: number
  ): void;
  /** Salesforce daily API usage from Sforce-Limit-Info (used / max). */
  salesforceApiUsage(used: number, max: number): void;
  /** Rollup recomputations that failed (a read, or a parent record's write); reconciliation heals them. */
  rollupFailure?(count?: number): void;
}

export interface ConnectorMetrics extends ProcessingMetrics {
  readonly registry: Registry;
  delivery(outcome: DeliveryOutcome, count?: number): void;
  ackLatency(seconds: number): void;
  ingestBatch(size: number): void;
  retry(count?: number): void;
  deadLetter(count?: number): void;
  /** Called at scrape time to refresh gauges (queue depth, oldest pending age). */
  setQueueProbe(probe: QueueProbe): void;
  /** Called at scrape time for the Salesforce API budget gauges (budget, spend, projection). */
  setBudgetProbe(probe: BudgetProbe): void;
  /** Called at scrape time for the files queue and the photos copied or skipped. */
  setFilesProbe(probe: FilesProbe): void;
  /** Called at scrape time for the parents whose rollups wait for the drainer (ROLLUP_INTERVAL_SECONDS). */
  setRollupProbe(probe: RollupProbe): void;
}

export interface RollupFigures {
  waiting: number;
  oldestSeconds: number;
}

export type RollupProbe = () => Promise<RollupFigures>;

export interface FilesFigures {
  depth: number;
  copied: number;
  skipped: number;
}

export type FilesProbe = () => Promise<FilesFigures>;

export interface BudgetFigures {
  dailyBudget?: number;
  spent24h: number;
  projected24h: number;
}

export type BudgetProbe = () => Promise<BudgetFigures>;

export interface QueueFigures {
  depth: number;
  oldestPendingSeconds: number;
  deadLetters: number;
}

export type QueueProbe = () => Promise<QueueFigures>;

export const noopProcessingMetrics: ProcessingMetrics = {
  apiCall: () => undefined,
  outcome: () => undefined,
  salesforceApiUsage: () => undefined
};

type GaugeSpec<F> = [
  name: string,
  help: string,
  read: (f: F) => number | undefined
];

/**
 * Gauges filled at scrape time from one probe shared by all of them (prom-client collects them in
 * parallel); a failed probe keeps the previous values (/readyz reports the problem). Returns the setter.
 */
function registerProbedGauges<F>(
  registry: Registry,
  specs: readonly GaugeSpec<F>[]
): (probe: () => Promise<F>) => void {
  let probe: (() => Promise<F>) | undefined;
  let last: F | undefined;
  let inFlight: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (!probe) return Promise.resolve();
    inFlight ??= probe()
      .then((value) => {
        last = value;
      })
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  for (const [name, help, read] of specs)
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        await refresh();
        const value = last === undefined ? undefined : read(last);
        if (value !== undefined) this.set(value);
      }
    });
  return (next) => {
    probe = next;
  };
}

const QUEUE_GAUGES: readonly GaugeSpec<QueueFigures>[] = [
  [
    'worklink_queue_depth',
    'Jobs waiting or retrying in the scope-resource queue',
    (f) => f.depth
  ],
  [
    'worklink_queue_oldest_pending_seconds',
    'Age of the oldest job not yet completed',
    (f) => f.oldestPendingSeconds
  ],
  [
    'worklink_dead_letters_pending',
    'Dead letters not yet replayed',
    (f) => f.deadLetters
  ]
];

/** Photos copied into Salesforce Files (files/): the files queue and what became of the photos. */
const FILES_GAUGES: readonly GaugeSpec<FilesFigures>[] = [
  [
    'worklink_files_queue_depth',
    'Jobs waiting or retrying in the scope-files queue',
    (f) => f.depth
  ],
  [
    'worklink_files_copied',
    'Photos copied into Salesforce Files',
    (f) => f.copied
  ],
  [
    'worklink_files_skipped',
    'Photos not copied (over FILES_MAX_BYTES, gone from Scope); reasons in connector status',
    (f) => f.skipped
  ]
];

/** The Salesforce API budget (salesforce/api-budget.ts). */
const BUDGET_GAUGES: readonly GaugeSpec<BudgetFigures>[] = [
  [
    'worklink_salesforce_api_budget_calls',
    'The connector’s Salesforce API budget per 24 h (SF_API_BUDGET)',
    (f) => f.dailyBudget
  ],
  [
    'worklink_salesforce_api_spent_24h_calls',
    'Salesforce API calls the connector made in the last 24 h',
    (f) => f.spent24h
  ],
  [
    'worklink_salesforce_api_projected_24h_calls',
    'The last hour’s Salesforce API calls × 24',
    (f) => f.projected24h
  ]
];

/** Dirty parents (rollups/dirty-parents.ts) waiting for the next rollup drain. */
const ROLLUP_GAUGES: readonly GaugeSpec<RollupFigures>[] = [
  [
    'worklink_rollup_dirty_parents',
    'Work orders, assets and cases whose rollups wait for the next drain (ROLLUP_INTERVAL_SECONDS)',
    (f) => f.waiting
  ],
  [
    'worklink_rollup_dirty_oldest_seconds',
    'Age of the oldest rollup waiting for a drain (0 when none waits)',
    (f) => f.oldestSeconds
  ]
];

function registerCounters(registry: Registry) {
  const registers = [registry];
  return {
    deliveries: new Counter({
      name: 'worklink_deliveries_total',
      help: 'Webhook deliveries by outcome',
      labelNames: ['outcome'] as const,
      registers
    }),
    apiCalls: new Counter({
      name: 'worklink_api_calls_total',
      help: 'HTTP requests to external APIs',
      labelNames: ['system', 'operation', 'status'] as const,
      registers
    }),
    outcomes: new Counter({
      name: 'worklink_process_outcomes_total',
      help: 'Resources processed by outcome',
      labelNames: ['status'] as const,
      registers
    }),
    retries: new Counter({
      name: 'worklink_retries_total',
      help: 'Jobs sent back for retry',
      registers
    }),
    deadLetters: new Counter({
      name: 'worklink_dead_letters_total',
      help: 'Resources moved to the dead-letter store',
      registers
    }),
    rollupFailures: new Counter({
      name: 'worklink_rollup_failures_total',
      help: 'Work order, asset and case rollup writes (or their reads) that failed; the sync pass recomputes them',
      registers
    }),
    ack: new Histogram({
      name: 'worklink_ack_latency_seconds',
      help: 'Time from request body received to durable acknowledgement',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers
    }),
    batch: new Histogram({
      name: 'worklink_ingest_batch_size',
      help: 'Deliveries committed per ingest transaction',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers
    }),
    sfUsage: new Gauge({
      name: 'worklink_salesforce_api_usage_ratio',
      help: 'Salesforce daily API requests used / allowed (Sforce-Limit-Info)',
      registers
    })
  };
}

export function createMetrics(
  options: { defaultMetrics?: boolean } = {}
): ConnectorMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'worklink_' });
  const m = registerCounters(registry);
  const setQueueProbe = registerProbedGauges(registry, QUEUE_GAUGES);
  const setBudgetProbe = registerProbedGauges(registry, BUDGET_GAUGES);
  const setFilesProbe = registerProbedGauges(registry, FILES_GAUGES);
  const setRollupProbe = registerProbedGauges(registry, ROLLUP_GAUGES);
  return {
    registry,
    delivery: (outcome, count = 1) => m.deliveries.inc({ outcome }, count),
    ackLatency: (seconds) => m.ack.observe(seconds),
    ingestBatch: (size) => m.batch.observe(size),
    retry: (count = 1) => m.retries.inc(count),
    deadLetter: (count = 1) => m.deadLetters.inc(count),
    rollupFailure: (count = 1) => m.rollupFailures.inc(count),
    apiCall: (system, operation, status) =>
      m.apiCalls.inc({ system, operation, status: String(status) }),
    outcome: (status, count = 1) => m.outcomes.inc({ status }, count),
    salesforceApiUsage: (used, max) => m.sfUsage.set(max > 0 ? used / max : 0),
    setQueueProbe,
    setBudgetProbe,
    setFilesProbe,
    setRollupProbe
  };
}

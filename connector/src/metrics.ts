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
}

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

/** The three queue gauges, filled at scrape time by one shared probe (prom-client collects in parallel). */
function registerQueueGauges(registry: Registry): (probe: QueueProbe) => void {
  let probe: QueueProbe | undefined;
  let last: QueueFigures | undefined;
  let inFlight: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (!probe) return Promise.resolve();
    inFlight ??= probe()
      .then((value) => {
        last = value;
      })
      .catch(() => undefined) // keep the previous values; /readyz reports the database problem
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const gauge = (
    name: string,
    help: string,
    read: (f: QueueFigures) => number
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        await refresh();
        this.set(last ? read(last) : 0);
      }
    });
  gauge(
    'worklink_queue_depth',
    'Jobs waiting or retrying in the scope-resource queue',
    (f) => f.depth
  );
  gauge(
    'worklink_queue_oldest_pending_seconds',
    'Age of the oldest job not yet completed',
    (f) => f.oldestPendingSeconds
  );
  gauge(
    'worklink_dead_letters_pending',
    'Dead letters not yet replayed',
    (f) => f.deadLetters
  );
  return (next) => {
    probe = next;
  };
}

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
  const setQueueProbe = registerQueueGauges(registry);
  return {
    registry,
    delivery: (outcome, count = 1) => m.deliveries.inc({ outcome }, count),
    ackLatency: (seconds) => m.ack.observe(seconds),
    ingestBatch: (size) => m.batch.observe(size),
    retry: (count = 1) => m.retries.inc(count),
    deadLetter: (count = 1) => m.deadLetters.inc(count),
    apiCall: (system, operation, status) =>
      m.apiCalls.inc({ system, operation, status: String(status) }),
    outcome: (status, count = 1) => m.outcomes.inc({ status }, count),
    salesforceApiUsage: (used, max) => m.sfUsage.set(max > 0 ? used / max : 0),
    setQueueProbe
  };
}

// Wiring of one connector process: HTTP port (bound first, so a busy port fails before anything runs)
// → database and pg-boss (open-queue.ts) → job runner → delivery store → app → heartbeat. start() and
// stop() are idempotent; stop() is the graceful shutdown of graceful-stop.ts.
import type PgBoss from 'pg-boss';
import type { ConnectorConfig } from '../config.ts';
import type { BatchProcessor } from '../contracts.ts';
import type { Database } from '../db/open-database.ts';
import type { Pool } from '../db/pool.ts';
import { startDeliveryRetention } from '../db/delivery-retention.ts';
import { SQL } from '../db/sql.ts';
import { createConnectorHeartbeat } from '../health/connector-heartbeat.ts';
import type { Heartbeat } from '../health/heartbeat.ts';
import { createApp } from '../http/create-app.ts';
import { listenHttp } from '../http/http-server.ts';
import { createReadiness } from '../http/readiness.ts';
import type { ReadinessCheck } from '../http/readiness.ts';
import type { Logger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { guardBossRejections } from '../queue/boss-compat.ts';
import { createDeliveryStore } from '../queue/delivery-store.ts';
import type { DeliveryStore } from '../queue/delivery-store.ts';
import { getQueueStats } from '../queue/queue-stats.ts';
import { nextWindowEndMs } from '../queue/job-timing.ts';
import { FILES_QUEUE } from '../queue/files-queue.ts';
import { enqueueFilesJobs, filesEvents } from '../files/enqueue-files.ts';
import { readFileCopyStats } from '../files/file-copies.ts';
import { readDirtyStats } from '../rollups/dirty-parents.ts';
import type { RollupDrainer } from '../rollups/rollup-drainer.ts';
import { createJobRunner } from '../worker/job-runner.ts';
import type { JobRunner } from '../worker/job-runner.ts';
import { stopGracefully } from './graceful-stop.ts';
import type { RunningParts } from './graceful-stop.ts';
import { openQueue } from './open-queue.ts';
import type { OpenQueue } from './open-queue.ts';

export interface ProcessingPlugin {
  processor: BatchProcessor;
  /** Extra /readyz checks, e.g. { scope: () => scope.ping(), salesforce: () => salesforce.ping() }. */
  checks?: Record<string, ReadinessCheck>;
  /** Asked before each batch: ms the worker waits first (the Salesforce API budget). */
  admission?: () => Promise<number>;
  /** Asked before each batch: seconds progress updates wait beyond their window (the budget runs low). */
  progressDelay?: () => Promise<number>;
  /** Asked before each files batch: ms it waits first (the photos' share of the API budget). */
  filesAdmission?: () => Promise<number>;
  /** Copies written sessions' photos into Salesforce Files (files queue); omitted or SYNC_FILES=false: off. */
  files?: BatchProcessor;
  /** Recomputes the dirty parents' rollups every ROLLUP_INTERVAL_SECONDS; runs only with the worker. */
  rollupDrainer?: RollupDrainer;
}

export interface ConnectorOptions {
  config: ConnectorConfig;
  logger?: Logger;
  metrics?: ConnectorMetrics;
  /** Builds the processor once metrics exist; omitted → no worker runs (ingest only). */
  processing?: (deps: {
    metrics: ConnectorMetrics;
    logger?: Logger;
    /** The connector's open database (for state the replicas share). */
    pool: Pool;
  }) => ProcessingPlugin;
  /** Run the worker loop (default true when processing is given). */
  worker?: boolean;
}

export interface Connector {
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  readonly database: Database;
  readonly boss: PgBoss;
  readonly metrics: ConnectorMetrics;
  readonly runner: JobRunner | undefined;
  readonly filesRunner: JobRunner | undefined;
}

interface ConnectorState extends RunningParts {
  draining: boolean;
  unguard?: () => void;
  stopRetention?: () => void;
  heartbeat?: Heartbeat;
}

/** The WorkLink_Connector_Status__c record the Health page reads (needs the Salesforce credentials). */
function startHeartbeat(
  config: ConnectorConfig,
  queue: OpenQueue,
  metrics: ConnectorMetrics,
  logger?: Logger
): Heartbeat | undefined {
  if (!config.heartbeat.enabled || !config.salesforce.clientId)
    return undefined;
  try {
    const heartbeat = createConnectorHeartbeat({
      config,
      pool: queue.database.pool,
      metrics,
      logger
    });
    heartbeat.start();
    return heartbeat;
  } catch (error) {
    logger?.warn(
      { err: error },
      'no heartbeat: Salesforce auth settings incomplete'
    );
    return undefined;
  }
}

const filesOn = (options: ConnectorOptions, plugin: ProcessingPlugin) =>
  options.config.files.enabled && plugin.files !== undefined;

function startWorker(
  options: ConnectorOptions,
  queue: OpenQueue,
  plugin: ProcessingPlugin,
  metrics: ConnectorMetrics
): JobRunner {
  const { worker } = options.config;
  return createJobRunner({
    ...(filesOn(options, plugin)
      ? { beforeRecord: enqueueFilesJobs(queue.boss) }
      : {}),
    boss: queue.boss,
    pool: queue.database.pool,
    processor: plugin.processor,
    ...(plugin.admission ? { admission: plugin.admission } : {}),
    ...(plugin.progressDelay ? { progressDelay: plugin.progressDelay } : {}),
    batchSize: worker.batchSize,
    pollingIntervalSeconds: worker.pollingIntervalSeconds,
    nextWindowEnd: (nowMs) => nextWindowEndMs(worker.coalesce, nowMs),
    concurrency: worker.concurrency,
    leaseSeconds: worker.leaseSeconds,
    maxHoldSeconds: worker.expireInSeconds,
    retryDelaySeconds: worker.retryDelaySeconds,
    retryMaxDelaySeconds: worker.retryMaxDelaySeconds,
    metrics,
    logger: options.logger?.child({ component: 'worker' })
  });
}

/** The files queue's runner: its own loops, so photo downloads never hold up session records. */
function startFilesWorker(
  options: ConnectorOptions,
  queue: OpenQueue,
  plugin: ProcessingPlugin & { files: BatchProcessor },
  metrics: ConnectorMetrics
): JobRunner {
  const { worker, files: settings } = options.config;
  return createJobRunner({
    queue: FILES_QUEUE,
    // uploads are Salesforce calls like any other, but they wait first: within FILES_BUDGET_SHARE
    ...(plugin.filesAdmission ? { admission: plugin.filesAdmission } : {}),
    load: async (jobs) => filesEvents(jobs),
    boss: queue.boss,
    pool: queue.database.pool,
    processor: plugin.files,
    batchSize: settings.batchSize,
    pollingIntervalSeconds: worker.pollingIntervalSeconds,
    concurrency: settings.concurrency,
    leaseSeconds: worker.leaseSeconds,
    maxHoldSeconds: worker.expireInSeconds,
    retryDelaySeconds: worker.retryDelaySeconds,
    retryMaxDelaySeconds: worker.retryMaxDelaySeconds,
    metrics,
    logger: options.logger?.child({ component: 'files' })
  });
}

function openDeliveryStore(
  config: ConnectorConfig,
  queue: OpenQueue,
  metrics: ConnectorMetrics,
  logger?: Logger
): DeliveryStore {
  return createDeliveryStore({
    pool: queue.database.pool,
    boss: queue.boss,
    windowMs: config.webhook.batchWindowMs,
    maxBatch: config.webhook.batchMax,
    // the worker and the retention need connections of their own
    maxConcurrentFlushes: Math.max(
      1,
      Math.min(8, config.database.poolSize - 2)
    ),
    logger,
    onBatch: (size) => metrics.ingestBatch(size),
    windows: config.worker.coalesce
  });
}

function buildApp(
  options: ConnectorOptions,
  state: ConnectorState,
  deliveries: DeliveryStore,
  plugin: ProcessingPlugin | undefined,
  metrics: ConnectorMetrics
) {
  const { config, logger } = options;
  const pool = state.database?.pool;
  return createApp({
    webhook: {
      policy: config.webhook,
      store: deliveries.submit,
      metrics,
      logger: logger?.child({ component: 'webhook' })
    },
    bodyLimitBytes: config.webhook.bodyLimitBytes,
    readiness: createReadiness({
      database: () => pool!.query(SQL.ping),
      ...plugin?.checks
    }),
    metrics,
    logger,
    isDraining: () => state.draining
  });
}

async function start(
  options: ConnectorOptions,
  state: ConnectorState,
  metrics: ConnectorMetrics
): Promise<{ url: string; port: number }> {
  const { config, logger } = options;
  const http = await listenHttp({ ...config.http, keepAliveTimeoutMs: 65_000 });
  state.http = http;
  state.unguard = guardBossRejections(logger);
  const queue = await openQueue(config, logger);
  Object.assign(state, queue);
  const { pool } = queue.database;
  metrics.setQueueProbe(() => getQueueStats(pool));
  metrics.setFilesProbe(async () => {
    const [queue, copies] = await Promise.all([
      getQueueStats(pool, FILES_QUEUE),
      readFileCopyStats(pool, 0)
    ]);
    return {
      depth: queue.depth,
      copied: copies.copied,
      skipped: copies.skipped
    };
  });
  metrics.setRollupProbe(() => readDirtyStats(pool));
  const plugin = options.processing?.({ metrics, logger, pool });
  if (plugin && (options.worker ?? true)) {
    state.runner = startWorker(options, queue, plugin, metrics);
    await state.runner.start();
    plugin.rollupDrainer?.start();
    state.rollupDrainer = plugin.rollupDrainer;
    if (plugin.files && filesOn(options, plugin)) {
      state.filesRunner = startFilesWorker(
        options,
        queue,
        { ...plugin, files: plugin.files },
        metrics
      );
      await state.filesRunner.start();
    }
  }
  const deliveries = openDeliveryStore(config, queue, metrics, logger);
  state.drainDeliveries = () => deliveries.drain();
  state.stopRetention = startDeliveryRetention({
    pool,
    retentionDays: config.deliveryRetentionDays,
    logger: logger?.child({ component: 'retention' })
  });
  http.attach(buildApp(options, state, deliveries, plugin, metrics));
  state.heartbeat = startHeartbeat(config, queue, metrics, logger);
  const embeddedDatabase = Boolean(queue.database.embedded);
  logger?.info(
    { url: http.url, embeddedDatabase, worker: Boolean(state.runner) },
    'connector listening'
  );
  return { url: http.url, port: http.port };
}

export function createConnector(options: ConnectorOptions): Connector {
  const metrics = options.metrics ?? createMetrics();
  const state: ConnectorState = { draining: false, logger: options.logger };
  let starting: Promise<{ url: string; port: number }> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    if (starting) await starting.catch(() => undefined);
    state.draining = true;
    state.stopRetention?.();
    await state.heartbeat?.stop();
    await stopGracefully(state, options.config.shutdownTimeoutSeconds * 1000);
    state.unguard?.();
  };
  return {
    start: () => (starting ??= start(options, state, metrics)),
    stop: () => (stopping ??= stop()),
    get database() {
      if (!state.database) throw new Error('connector not started');
      return state.database;
    },
    get boss() {
      if (!state.boss) throw new Error('connector not started');
      return state.boss;
    },
    metrics,
    get runner() {
      return state.runner;
    },
    get filesRunner() {
      return state.filesRunner;
    }
  };
}

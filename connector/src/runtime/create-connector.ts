// Wiring of one connector process: HTTP port (bound first, so a busy port fails before anything runs)
// → database (embedded or DATABASE_URL) → pg-boss → job runner → ingest batcher → app → heartbeat. start() and
// stop() are idempotent; stop() is the graceful shutdown within ONE deadline (SHUTDOWN_TIMEOUT_SECONDS):
// new requests get 503, those in flight finish, the worker finishes or hands back its batch (both at
// once), then pg-boss, the pool and the embedded database close in the time left.
import type PgBoss from 'pg-boss';
import type { ConnectorConfig } from '../config.ts';
import type { BatchProcessor } from '../contracts.ts';
import { openDatabase } from '../db/open-database.ts';
import type { Database } from '../db/open-database.ts';
import { startDeliveryRetention } from '../db/delivery-retention.ts';
import { withMigrationLock } from '../db/migrate.ts';
import { SQL } from '../db/sql.ts';
import { createConnectorHeartbeat } from '../health/connector-heartbeat.ts';
import type { Heartbeat } from '../health/heartbeat.ts';
import { createApp } from '../http/create-app.ts';
import { listenHttp } from '../http/http-server.ts';
import type { HttpServer } from '../http/http-server.ts';
import { createReadiness } from '../http/readiness.ts';
import type { ReadinessCheck } from '../http/readiness.ts';
import type { Logger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { createIngestBatcher } from '../queue/ingest-batcher.ts';
import { createJobRunner } from '../queue/job-runner.ts';
import type { JobRunner } from '../queue/job-runner.ts';
import { getQueueStats, releaseOrphanedJobs } from '../queue/queue-stats.ts';
import { guardBossRejections } from '../queue/boss-rejections.ts';
import { createBoss, ensureResourceQueue } from '../queue/resource-queue.ts';

export interface ProcessingPlugin {
  processor: BatchProcessor;
  /** Extra /readyz checks, e.g. { scope: () => scope.ping(), salesforce: () => salesforce.ping() }. */
  checks?: Record<string, ReadinessCheck>;
}

export interface ConnectorOptions {
  config: ConnectorConfig;
  logger?: Logger;
  metrics?: ConnectorMetrics;
  /** Builds the processor once metrics exist; omitted → no worker runs (ingest only). */
  processing?: (deps: {
    metrics: ConnectorMetrics;
    logger?: Logger;
  }) => ProcessingPlugin;
  /** 'none' acknowledges without storing: only for the ingest benchmark's baseline. */
  ackMode?: 'durable' | 'none';
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
}

export function createConnector(options: ConnectorOptions): Connector {
  const { config, logger } = options;
  const metrics = options.metrics ?? createMetrics();
  let database: Database | undefined;
  let boss: PgBoss | undefined;
  let runner: JobRunner | undefined;
  let http: HttpServer | undefined;
  let draining = false;
  let starting: Promise<{ url: string; port: number }> | undefined;
  let stopping: Promise<void> | undefined;
  let drainIngest: () => Promise<void> = async () => undefined;
  let unguard: () => void = () => undefined;
  let stopRetention: () => void = () => undefined;
  let heartbeat: Heartbeat | undefined;

  const start = async (): Promise<{ url: string; port: number }> => {
    http = await listenHttp({
      host: config.http.host,
      port: config.http.port,
      requestTimeoutMs: config.http.requestTimeoutMs,
      headersTimeoutMs: config.http.headersTimeoutMs,
      keepAliveTimeoutMs: 65_000,
      maxConnections: config.http.maxConnections
    });
    database = await openDatabase(config, { logger });
    const { pool } = database;
    unguard = guardBossRejections(logger);
    const queue = createBoss(pool, { logger });
    boss = queue;
    // one replica at a time: pg-boss's own schema creation is not safe against a concurrent start
    await withMigrationLock(pool, async () => {
      await queue.start();
      await ensureResourceQueue(queue, config.worker);
    });
    if (database.embedded) {
      // a single-node embedded database has no other replica: jobs active at a crash are orphans
      const released = await releaseOrphanedJobs(pool);
      if (released > 0)
        logger?.warn(
          { jobs: released },
          'released jobs left active by a previous run'
        );
    }
    metrics.setQueueProbe(() => getQueueStats(pool));

    const plugin = options.processing?.({ metrics, logger });
    if (plugin && (options.worker ?? true)) {
      runner = createJobRunner({
        boss,
        pool,
        processor: plugin.processor,
        batchSize: config.worker.batchSize,
        pollingIntervalSeconds: config.worker.pollingIntervalSeconds,
        concurrency: config.worker.concurrency,
        leaseSeconds: config.worker.leaseSeconds,
        maxHoldSeconds: config.worker.expireInSeconds,
        retryDelaySeconds: config.worker.retryDelaySeconds,
        retryMaxDelaySeconds: config.worker.retryMaxDelaySeconds,
        metrics,
        logger: logger?.child({ component: 'worker' })
      });
      await runner.start();
    }

    const batcher = createIngestBatcher({
      pool,
      boss,
      windowMs: config.webhook.batchWindowMs,
      maxBatch: config.webhook.batchMax,
      maxConcurrentFlushes: Math.max(
        1,
        Math.min(8, config.database.poolSize - 2)
      ),
      logger,
      onBatch: (size) => metrics.ingestBatch(size)
    });
    drainIngest = () => batcher.drain();
    stopRetention = startDeliveryRetention({
      pool,
      retentionDays: config.deliveryRetentionDays,
      logger: logger?.child({ component: 'retention' })
    });
    const readiness = createReadiness({
      database: () => pool.query(SQL.ping),
      ...plugin?.checks
    });
    const app = createApp({
      webhook: {
        policy: {
          secrets: config.webhook.secrets,
          encoding: config.webhook.encoding,
          mode: config.webhook.mode,
          pathToken: config.webhook.pathToken,
          allowUnsigned: config.webhook.allowUnsigned
        },
        store: options.ackMode === 'none' ? 'none' : batcher.submit,
        metrics,
        logger: logger?.child({ component: 'webhook' })
      },
      bodyLimitBytes: config.webhook.bodyLimitBytes,
      readiness,
      metrics,
      logger,
      isDraining: () => draining
    });
    http.attach(app);
    // The WorkLink_Connector_Status__c record the Health page reads (needs the Salesforce credentials).
    if (config.heartbeat.enabled && config.salesforce.clientId) {
      try {
        heartbeat = createConnectorHeartbeat({ config, pool, metrics, logger });
        heartbeat.start();
      } catch (error) {
        logger?.warn(
          { err: error },
          'no heartbeat: Salesforce auth settings incomplete'
        );
      }
    }
    const { url, port } = http;
    logger?.info(
      {
        url,
        embeddedDatabase: Boolean(database.embedded),
        worker: Boolean(runner)
      },
      'connector listening'
    );
    return { url, port };
  };

  /**
   * New requests get 503 + `Connection: close` for `lingerMs` while the port stays open (a balancer or
   * a keep-alive client still sending here gets an answer it retries elsewhere, not a reset); then the
   * port closes and the requests in flight finish; at `deadline` whatever is left is cut.
   */
  const closeHttp = async (lingerMs: number, deadline: number) => {
    if (!http) return;
    const { server } = http;
    await new Promise((resolve) => setTimeout(resolve, lingerMs));
    const closed = new Promise<void>((resolve) =>
      server.close(() => resolve())
    );
    // connections become idle as their last response goes out; close them as they do
    const idle = setInterval(() => server.closeIdleConnections(), 250);
    const forced = setTimeout(
      () => server.closeAllConnections(),
      Math.max(0, deadline - Date.now())
    );
    await closed;
    clearInterval(idle);
    clearTimeout(forced);
  };

  const stop = async (): Promise<void> => {
    const begun = Date.now();
    const budgetMs = config.shutdownTimeoutSeconds * 1000;
    // the graceful part ends early enough to hand jobs back and close everything before the deadline
    const graceDeadline = begun + budgetMs - Math.min(3000, budgetMs * 0.2);
    if (starting) await starting.catch(() => undefined);
    draining = true;
    stopRetention();
    await heartbeat?.stop();
    await Promise.all([
      closeHttp(Math.min(2000, budgetMs * 0.1), graceDeadline).then(() =>
        drainIngest()
      ),
      runner
        ?.stop(graceDeadline)
        .catch((error: unknown) =>
          logger?.warn({ err: error }, 'stopping the worker failed')
        )
    ]);
    // the worker loop is ours (not boss.work): pg-boss only has its maintenance timers left to stop
    await boss
      ?.stop({ graceful: false, close: false })
      .catch((error: unknown) => {
        logger?.warn({ err: error }, 'stopping pg-boss failed');
      });
    await database?.close();
    unguard();
    logger?.info({ ms: Date.now() - begun }, 'connector stopped');
  };

  return {
    start: () => {
      starting ??= start();
      return starting;
    },
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
    get database() {
      if (!database) throw new Error('connector not started');
      return database;
    },
    get boss() {
      if (!boss) throw new Error('connector not started');
      return boss;
    },
    metrics,
    get runner() {
      return runner;
    }
  };
}

// Wiring of one connector process: database (embedded or DATABASE_URL) → pg-boss → job runner →
// ingest batcher → HTTP. start() and stop() are idempotent; stop() is the graceful shutdown:
// refuse new requests, finish those in flight, let the worker finish or hand back its batch,
// close the pool, stop the embedded database.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type PgBoss from 'pg-boss';
import type { ConnectorConfig } from '../config.ts';
import type { BatchProcessor } from '../contracts.ts';
import { openDatabase } from '../db/open-database.ts';
import type { Database } from '../db/open-database.ts';
import { startDeliveryRetention } from '../db/delivery-retention.ts';
import { withMigrationLock } from '../db/migrate.ts';
import { SQL } from '../db/sql.ts';
import { createApp } from '../http/create-app.ts';
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
  let server: Server | undefined;
  let draining = false;
  let starting: Promise<{ url: string; port: number }> | undefined;
  let stopping: Promise<void> | undefined;
  let drainIngest: () => Promise<void> = async () => undefined;
  let unguard: () => void = () => undefined;
  let stopRetention: () => void = () => undefined;

  const start = async (): Promise<{ url: string; port: number }> => {
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
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.http.port, config.http.host, () =>
        resolve(s)
      );
      s.once('error', reject);
    });
    server.keepAliveTimeout = 65_000;
    const port = (server.address() as AddressInfo).port;
    const url = `http://${config.http.host}:${port}`;
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

  const stop = async (): Promise<void> => {
    if (starting) await starting.catch(() => undefined);
    draining = true;
    const timeoutMs = config.shutdownTimeoutSeconds * 1000;
    if (server) {
      const s = server;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeIdleConnections();
      const forced = setTimeout(
        () => s.closeAllConnections(),
        timeoutMs
      ).unref();
      await closed;
      clearTimeout(forced);
    }
    stopRetention();
    await drainIngest();
    await runner
      ?.stop()
      .catch((error: unknown) =>
        logger?.warn({ err: error }, 'stopping the worker failed')
      );
    // graceful: the batch in hand finishes, or is failed back to the queue ("handed back") at the timeout
    await boss
      ?.stop({ graceful: true, timeout: timeoutMs, close: false })
      .catch((error: unknown) => {
        logger?.warn({ err: error }, 'stopping pg-boss failed');
      });
    await database?.close();
    unguard();
    logger?.info('connector stopped');
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

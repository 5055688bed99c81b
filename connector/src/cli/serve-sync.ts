// The SYNC_CRON schedule of a serving connector: the scheduled sync pass (Scope → analytics schema,
// reconciliation with Salesforce) started next to `connector serve`; off when SYNC_CRON is empty.
import type { ConnectorConfig } from '../config.ts';
import { createPostgresLedger } from '../db/api-spend.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { mappingOptions } from '../runtime/create-processing.ts';
import {
  createSyncReconciler,
  createSyncScopeClient
} from '../sync/create-sync.ts';
import { createSyncMetrics } from '../sync/sync-metrics.ts';
import { startSyncScheduler } from '../sync/sync-scheduler.ts';
import type { SyncScheduler } from '../sync/sync-scheduler.ts';

/**
 * Starts the schedule (undefined when SYNC_CRON is empty). It stops before the connector closes its
 * pool: on SIGTERM/SIGINT, and through the returned scheduler.
 */
export async function startServeSync(
  connector: { database: Database; metrics: ConnectorMetrics },
  config: ConnectorConfig,
  logger?: Logger
): Promise<SyncScheduler | undefined> {
  if (!config.syncCron) return undefined;
  const metrics = createSyncMetrics(connector.metrics.registry);
  let reconciler;
  try {
    reconciler = createSyncReconciler(config, {
      metrics: connector.metrics,
      logger,
      // its Salesforce calls count against the deployment's budget, like the worker's
      ledger: createPostgresLedger(connector.database.pool)
    });
  } catch (error) {
    logger?.warn({ err: error }, 'scheduled sync runs without reconciliation');
  }
  const scheduler = await startSyncScheduler({
    pool: connector.database.pool,
    cron: config.syncCron,
    logger,
    pass: {
      scope: createSyncScopeClient(config, {
        metrics: connector.metrics,
        logger
      }),
      ...(reconciler ? { reconciler } : {}),
      mapping: mappingOptions(config),
      pageSize: config.syncPageSize,
      metrics,
      logger: logger?.child({ component: 'sync' })
    }
  });
  const stop = () => void scheduler.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return scheduler;
}

// Builds what a sync pass needs from the connector config: a Scope client (the processing side's
// options), and — when Salesforce is configured — the reconciler over the worker's batch processor.
import type { SpendLedger } from '../salesforce/api-budget.ts';
import type { ConnectorConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import {
  ProcessingConfigError,
  createProcessing,
  mappingOptions,
  salesforceClientOptions,
  scopeClientOptions
} from '../runtime/create-processing.ts';
import { createSalesforceClient } from '../salesforce/index.ts';
import type { SoqlReader } from '../salesforce/index.ts';
import {
  CALL_PATHS,
  SESSION_PATHS,
  createScopeClient
} from '../scope/index.ts';
import type { ScopeClient } from '../scope/index.ts';
import { createReconciler } from './reconciler.ts';
import type { Reconciler } from './reconciler.ts';

export class SyncConfigError extends Error {}

/** The sync commands report configuration problems as SyncConfigError (exit code "config"). */
function asSyncConfig<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ProcessingConfigError)
      throw new SyncConfigError(error.message);
    throw error;
  }
}

export function createSyncScopeClient(
  config: ConnectorConfig,
  deps: { metrics?: ProcessingMetrics; logger?: Logger } = {}
): ScopeClient {
  return createScopeClient(
    asSyncConfig(() =>
      scopeClientOptions(config, {
        metrics: deps.metrics,
        logger: deps.logger?.child({ component: 'sync-scope' })
      })
    )
  );
}

/** A Salesforce client for the TTR report, which only reads. */
export function createSyncSoqlReader(
  config: ConnectorConfig,
  deps: { metrics?: ProcessingMetrics; logger?: Logger } = {}
): SoqlReader {
  return createSalesforceClient(
    asSyncConfig(() =>
      salesforceClientOptions(config, {
        metrics: deps.metrics,
        logger: deps.logger?.child({ component: 'salesforce' })
      })
    )
  );
}

/** Reconciliation needs the worker's processor (Salesforce configured); throws a SyncConfigError otherwise. */
export function createSyncReconciler(
  config: ConnectorConfig,
  deps: {
    metrics?: ProcessingMetrics;
    logger?: Logger;
    /** The deployment's Salesforce API spend ledger (in serve); a per-process one otherwise. */
    ledger?: SpendLedger;
  } = {}
): Reconciler {
  let processing;
  try {
    processing = createProcessing(config, {
      metrics: deps.metrics,
      logger: deps.logger
    });
  } catch (error) {
    throw new SyncConfigError(
      `reconciliation needs Salesforce: ${(error as Error).message} (or pass --no-reconcile)`
    );
  }
  if (deps.ledger) processing.budget.attachLedger(deps.ledger);
  return createReconciler({
    // The processor's own client: one token, one API usage count for reads and writes.
    reader: processing.salesforce,
    processor: processing.processor,
    mapping: mappingOptions(config),
    paths: { ScenarioSession: SESSION_PATHS, Call: CALL_PATHS },
    rollups: { client: processing.salesforce, outcomes: config.outcomes }
  });
}

// Builds what a sync pass needs from the connector config: a Scope client (the processing engineer's,
// same auth options), and — when Salesforce is configured — the reconciler over their batch processor.
import type { ConnectorConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { MappingOptions } from '../mapping/index.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import { createProcessing } from '../runtime/create-processing.ts';
import {
  CALL_PATHS,
  SESSION_PATHS,
  createScopeClient
} from '../scope/index.ts';
import type { ScopeAuthOptions, ScopeClient } from '../scope/index.ts';
import { createReconciler } from './reconciler.ts';
import type { Reconciler } from './reconciler.ts';
import { createSoqlReader } from './soql-reader.ts';
import type { SoqlReader } from './soql-reader.ts';

export class SyncConfigError extends Error {}

export function mappingOptions(config: ConnectorConfig): MappingOptions {
  return {
    ...config.mapping,
    durationUnit: config.scope.durationUnit,
    percentScale: config.scope.percentScale
  };
}

function scopeAuth(config: ConnectorConfig): ScopeAuthOptions {
  const { scope } = config;
  // Same defaults as runtime/create-processing.ts: a company token is `Token token=…` unless configured.
  if (scope.apiToken)
    return {
      kind: 'token',
      token: scope.apiToken,
      scheme: scope.authScheme ?? 'token'
    };
  if (scope.email && scope.password) {
    return {
      kind: 'sign-in',
      baseUrl: scope.baseUrl,
      email: scope.email,
      password: scope.password,
      scheme: scope.authScheme
    };
  }
  throw new SyncConfigError(
    'SCOPE_API_TOKEN (or SCOPE_EMAIL and SCOPE_PASSWORD) must be set'
  );
}

export function createSyncScopeClient(
  config: ConnectorConfig,
  deps: { metrics?: ProcessingMetrics; logger?: Logger } = {}
): ScopeClient {
  return createScopeClient({
    baseUrl: config.scope.baseUrl,
    auth: scopeAuth(config),
    permalink: config.scope.permalink,
    permalinkIn: config.scope.permalinkIn,
    privateAccessCode: config.scope.privateAccessCode,
    fetchBatchSize: config.scope.fetchBatchSize,
    metrics: deps.metrics,
    logger: deps.logger?.child({ component: 'sync-scope' })
  });
}

export function createSyncSoqlReader(
  config: ConnectorConfig,
  deps: { metrics?: ProcessingMetrics } = {}
): SoqlReader {
  const sf = config.salesforce;
  if (!sf.clientId) throw new SyncConfigError('SF_CLIENT_ID must be set');
  return createSoqlReader({
    auth: {
      loginUrl: sf.loginUrl,
      flow: sf.authFlow,
      clientId: sf.clientId,
      clientSecret: sf.clientSecret,
      username: sf.username,
      privateKeyPem: sf.privateKey
    },
    apiVersion: sf.apiVersion,
    metrics: deps.metrics
  });
}

/** Reconciliation needs the worker's processor (Salesforce configured); throws a SyncConfigError otherwise. */
export function createSyncReconciler(
  config: ConnectorConfig,
  deps: { metrics?: ProcessingMetrics; logger?: Logger } = {}
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
  return createReconciler({
    reader: createSyncSoqlReader(config, deps),
    processor: processing.processor,
    mapping: mappingOptions(config),
    paths: { ScenarioSession: SESSION_PATHS, Call: CALL_PATHS }
  });
}

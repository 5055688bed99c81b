// The one place where the processing side (Scope client, Salesforce client, batch processor) is built
// from the connector config. Receiving and the queue only see the BatchProcessor contract.
import type { ConnectorConfig } from '../config.ts';
import type { BatchProcessor } from '../contracts.ts';
import type { Pool } from '../db/pool.ts';
import { createFilesProcessor } from '../files/files-processor.ts';
import type { Logger } from '../logger.ts';
import type { MappingOptions } from '../mapping/index.ts';
import { WRITTEN_SESSION_FIELDS } from '../mapping/session-record.ts';
import { STEP_OBJECT, WRITTEN_STEP_FIELDS } from '../mapping/step-record.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import { createApiBudget } from '../salesforce/api-budget.ts';
import { EVENT_ID_FIELD } from '../salesforce/content-documents.ts';
import type { ApiBudget } from '../salesforce/api-budget.ts';
import { createSalesforceClient } from '../salesforce/index.ts';
import type {
  FieldCheck,
  SalesforceClient,
  SalesforceClientOptions
} from '../salesforce/index.ts';
import { CALL_NESTED_NODES, CALL_TYPE } from '../scope/call-fields.ts';
import { createScopeClient } from '../scope/index.ts';
import { createTechnicianCache } from '../salesforce/technician-cache.ts';
import { createWorkOrderCache } from '../salesforce/work-order-cache.ts';
import { markDirtyParents } from '../rollups/dirty-parents.ts';
import { createRollupDrainer } from '../rollups/rollup-drainer.ts';
import type {
  RollupDrainer,
  RollupDrainerOptions
} from '../rollups/rollup-drainer.ts';
import type {
  ScopeAuthOptions,
  ScopeClient,
  ScopeClientOptions
} from '../scope/index.ts';
import { createBatchProcessor } from '../worker/index.ts';
import type { RollupSettings } from '../worker/processor-settings.ts';

export interface Processing {
  processor: BatchProcessor;
  /** The worker asks it before each batch; attach the shared ledger once the database is open. */
  budget: ApiBudget;
  scope: ScopeClient;
  salesforce: SalesforceClient;
  /** For /readyz and `doctor`. */
  pingScope(): Promise<unknown>;
  pingSalesforce(): Promise<unknown>;
  checkWritableFields(): Promise<FieldCheck[]>;
  /**
   * ROLLUP_INTERVAL_SECONDS > 0: from now on batches mark their parents dirty in `pool`, and the
   * returned drainer recomputes them (start it where the worker runs); 0: undefined, batches recompute.
   */
  attachRollupInterval(
    pool: Pool,
    deps?: Pick<RollupDrainerOptions, 'admission' | 'logger'>
  ): RollupDrainer | undefined;
}

export class ProcessingConfigError extends Error {}

/** The files queue's processor (photos into Salesforce Files) on the processing side's clients. */
export function filesProcessorFor(
  config: ConnectorConfig,
  processing: Pick<Processing, 'scope' | 'salesforce'>,
  pool: Pool,
  logger?: Logger
): BatchProcessor | undefined {
  if (!config.files.enabled) return undefined;
  return createFilesProcessor({
    scope: processing.scope,
    salesforce: processing.salesforce.files,
    pool,
    maxBytes: config.files.maxBytes,
    base64MaxBytes: config.files.base64MaxBytes,
    ...(logger ? { logger: logger.child({ component: 'files' }) } : {})
  });
}

interface OptionDeps {
  metrics?: ProcessingMetrics;
  /** Shared by every Salesforce client of the process; one is made from the config when omitted. */
  budget?: ApiBudget;
  /** Used as given: the caller names the component. */
  logger?: Logger;
}

function scopeAuth(config: ConnectorConfig): ScopeAuthOptions {
  const { scope } = config;
  // A company token is sent as `Token token=…` unless SCOPE_AUTH_SCHEME says otherwise.
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
  throw new ProcessingConfigError(
    'SCOPE_API_TOKEN (or SCOPE_EMAIL and SCOPE_PASSWORD) must be set'
  );
}

/** Scope client options from the config (the worker's and the sync's client alike). */
export function scopeClientOptions(
  config: ConnectorConfig,
  deps: OptionDeps = {}
): ScopeClientOptions {
  return {
    baseUrl: config.scope.baseUrl,
    auth: scopeAuth(config),
    permalink: config.scope.permalink,
    permalinkIn: config.scope.permalinkIn,
    privateAccessCode: config.scope.privateAccessCode,
    fetchBatchSize: config.scope.fetchBatchSize,
    callTypeName: config.scope.callType,
    callsRootField: config.scope.callsField,
    ...(config.scope.callFields
      ? {
          selections: {
            Call: {
              typeName: config.scope.callType ?? CALL_TYPE,
              selection: config.scope.callFields,
              nestedNodes: CALL_NESTED_NODES
            }
          }
        }
      : {}),
    metrics: deps.metrics,
    logger: deps.logger
  };
}

/** Salesforce client options from the config; throws a ProcessingConfigError when the auth flow lacks a setting. */
export function salesforceClientOptions(
  config: ConnectorConfig,
  deps: OptionDeps = {}
): SalesforceClientOptions {
  const { salesforce: sf } = config;
  if (!sf.clientId) throw new ProcessingConfigError('SF_CLIENT_ID must be set');
  if (sf.authFlow === 'jwt' && (!sf.username || !sf.privateKey)) {
    throw new ProcessingConfigError(
      'SF_AUTH_FLOW=jwt needs SF_USERNAME and SF_PRIVATE_KEY (or SF_PRIVATE_KEY_FILE)'
    );
  }
  if (sf.authFlow === 'client_credentials' && !sf.clientSecret) {
    throw new ProcessingConfigError(
      'SF_AUTH_FLOW=client_credentials needs SF_CLIENT_SECRET'
    );
  }
  return {
    auth: {
      loginUrl: sf.loginUrl,
      audience: sf.jwtAudience,
      flow: sf.authFlow,
      clientId: sf.clientId,
      clientSecret: sf.clientSecret,
      username: sf.username,
      privateKeyPem: sf.privateKey
    },
    apiVersion: sf.apiVersion,
    apiUsageSlowdown: sf.apiUsageSlowdown,
    budget: deps.budget ?? apiBudgetFor(config, deps.logger),
    metrics: deps.metrics,
    logger: deps.logger
  };
}

/** The connector's Salesforce API budget from SF_API_BUDGET (a per-process ledger until one is attached). */
export function apiBudgetFor(
  config: ConnectorConfig,
  logger?: Logger
): ApiBudget {
  const { salesforce: sf } = config;
  return createApiBudget({
    ...(sf.apiBudget ? { setting: sf.apiBudget } : {}),
    windowSeconds: sf.apiBudgetWindowSeconds,
    orgYieldAt: sf.apiUsageSlowdown,
    filesShare: config.files.budgetShare,
    logger
  });
}

export function mappingOptions(config: ConnectorConfig): MappingOptions {
  return {
    ...config.mapping,
    durationUnit: config.scope.durationUnit,
    percentScale: config.scope.percentScale
  };
}

/**
 * The processor's rollup settings and the attachment of the dirty set: with ROLLUP_INTERVAL_SECONDS > 0,
 * once a database is attached batches mark their parents there and the drainer recomputes them; until
 * then (and with 0) batches recompute them themselves.
 */
function rollupsOnInterval(
  config: ConnectorConfig,
  salesforce: SalesforceClient,
  metrics: ProcessingMetrics | undefined
): {
  settings: RollupSettings;
  attach: Processing['attachRollupInterval'];
} {
  let dirtySet: Pool | undefined;
  return {
    settings: {
      client: salesforce,
      outcomes: config.outcomes,
      ...(metrics ? { metrics } : {}),
      markDirty: async (parents) => {
        if (!dirtySet) return false;
        await markDirtyParents(dirtySet, parents);
        return true;
      }
    },
    attach(pool, drainerDeps = {}) {
      const intervalSeconds = config.worker.rollupIntervalSeconds;
      if (intervalSeconds <= 0) return undefined;
      dirtySet = pool;
      return createRollupDrainer({
        pool,
        client: salesforce,
        outcomes: config.outcomes,
        intervalSeconds,
        ...(metrics ? { metrics } : {}),
        ...drainerDeps
      });
    }
  };
}

export function createProcessing(
  config: ConnectorConfig,
  deps: { metrics?: ProcessingMetrics; logger?: Logger } = {}
): Processing {
  // Salesforce first: its configuration errors are reported before Scope's, as they always were.
  const budget = apiBudgetFor(
    config,
    deps.logger?.child({ component: 'api-budget' })
  );
  const sfOptions = salesforceClientOptions(config, {
    budget,
    metrics: deps.metrics,
    logger: deps.logger?.child({ component: 'salesforce' })
  });
  const scope = createScopeClient(
    scopeClientOptions(config, {
      metrics: deps.metrics,
      logger: deps.logger?.child({ component: 'scope' })
    })
  );
  const salesforce = createSalesforceClient({
    ...sfOptions,
    batchReads: config.salesforce.composite
  });
  const rollups = rollupsOnInterval(config, salesforce, deps.metrics);
  const processor = createBatchProcessor({
    scope,
    salesforce: {
      upsertSessions: (records) => salesforce.upsertSessions(records),
      upsertSteps: (records) => salesforce.upsertSteps(records),
      ...compositePort(config, salesforce),
      readStoredSessions: (scopeIds) => salesforce.readStoredSessions(scopeIds),
      resolveWorkOrders: createWorkOrderCache(
        (keys) => salesforce.resolveWorkOrders(keys),
        { ttlMs: config.salesforce.workOrderCacheSeconds * 1000 }
      ),
      findTechnicianUsers: createTechnicianCache(
        (match, values) => salesforce.findTechnicianUsers(match, values),
        { ttlMs: config.salesforce.workOrderCacheSeconds * 1000 }
      )
    },
    ...(config.salesforce.technicians
      ? { technicians: config.salesforce.technicians }
      : {}),
    mapping: mappingOptions(config),
    rollups: rollups.settings,
    writeSteps: config.salesforce.writeSteps,
    logger: deps.logger?.child({ component: 'processor' })
  });
  return {
    processor,
    budget,
    scope,
    salesforce,
    pingScope: () => scope.ping(),
    pingSalesforce: () => salesforce.ping(),
    attachRollupInterval: rollups.attach,
    checkWritableFields: async () => [
      ...(await salesforce.checkWritableFields(WRITTEN_SESSION_FIELDS)),
      ...(config.salesforce.writeSteps
        ? (
            await salesforce.checkWritableFields(
              WRITTEN_STEP_FIELDS,
              STEP_OBJECT
            )
          ).map((c) => ({ ...c, field: `${STEP_OBJECT}.${c.field}` }))
        : []),
      // photos as Files: the Scope event id the connector sets on each ContentVersion it creates
      ...(config.files.enabled
        ? (
            await salesforce.checkWritableFields(
              [EVENT_ID_FIELD],
              'ContentVersion'
            )
          ).map((c) => ({ ...c, field: `ContentVersion.${c.field}` }))
        : [])
    ]
  };
}

/** Sessions and their steps in one Composite call, unless SF_COMPOSITE=false. */
function compositePort(
  config: ConnectorConfig,
  salesforce: SalesforceClient
): Partial<Pick<SalesforceClient, 'upsertSessionsWithSteps' | 'upsertSteps'>> {
  return config.salesforce.composite
    ? {
        upsertSessionsWithSteps: (sessions, steps) =>
          salesforce.upsertSessionsWithSteps(sessions, steps),
        // the steps the session calls could not carry: ≤ 1,000 a call
        upsertSteps: (records) => salesforce.upsertStepsInComposites(records)
      }
    : {};
}

// The heartbeat of a running connector: its own Salesforce client (so its calls, tokens included, are
// counted against the heartbeat's daily cap and, in the shared ledger, against SF_API_BUDGET), the state
// collector and the throttled writer.
import { readFileSync } from 'node:fs';
import type { ConnectorConfig } from '../config.ts';
import { createPostgresLedger } from '../db/api-spend.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import {
  apiBudgetFor,
  salesforceClientOptions
} from '../runtime/create-processing.ts';
import {
  SESSION_OBJECT,
  WRITTEN_SESSION_FIELDS
} from '../mapping/session-record.ts';
import { STEP_OBJECT, WRITTEN_STEP_FIELDS } from '../mapping/step-record.ts';
import { createSalesforceClient } from '../salesforce/salesforce-client.ts';
import { createStateCollector } from './connector-state.ts';
import { createHeartbeat } from './heartbeat.ts';
import type { Heartbeat } from './heartbeat.ts';
import {
  HEARTBEAT_EXTERNAL_ID_FIELD,
  HEARTBEAT_OBJECT,
  WRITTEN_HEARTBEAT_FIELDS
} from './heartbeat-record.ts';
import { createSetupCheck } from './setup-check.ts';

/** The package.json version of this checkout (what the Health page shows as the connector version). */
export const CONNECTOR_VERSION: string = (
  JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')
  ) as { version: string }
).version;

export function createConnectorHeartbeat(deps: {
  config: ConnectorConfig;
  pool: Pool;
  metrics: ConnectorMetrics;
  logger?: Logger;
  startedAt?: Date;
}): Heartbeat {
  const { config, pool, metrics } = deps;
  const logger = deps.logger?.child({ component: 'heartbeat' });
  // the client reports its calls to the heartbeat created below (both need each other)
  const calls = { count: () => undefined as void };
  // its calls count against SF_API_BUDGET in the deployment's shared ledger, like the worker's
  const budget = apiBudgetFor(config, logger);
  budget.attachLedger(createPostgresLedger(pool));
  const salesforce = createSalesforceClient(
    salesforceClientOptions(config, {
      logger,
      budget,
      metrics: {
        ...metrics,
        apiCall(system, operation, status) {
          metrics.apiCall(system, operation, status);
          if (system === 'salesforce') calls.count();
        }
      }
    })
  );
  const setupCheck = createSetupCheck({
    targets: [
      { sobject: SESSION_OBJECT, fields: WRITTEN_SESSION_FIELDS },
      ...(config.salesforce.writeSteps
        ? [{ sobject: STEP_OBJECT, fields: WRITTEN_STEP_FIELDS }]
        : []),
      { sobject: HEARTBEAT_OBJECT, fields: WRITTEN_HEARTBEAT_FIELDS }
    ],
    checkFields: (fields, sobject) =>
      salesforce.checkWritableFields(fields, sobject)
  });
  const state = createStateCollector({
    pool,
    registry: metrics.registry,
    deploymentId: config.heartbeat.deploymentId,
    version: CONNECTOR_VERSION,
    startedAt: deps.startedAt ?? new Date(),
    apiUsage: () => salesforce.apiUsage(),
    setup: setupCheck.current
  });
  const heartbeat = createHeartbeat({
    collect: () => state.collect(),
    write: async (record) => {
      await salesforce.upsertRecord(
        'heartbeat',
        {
          sobject: HEARTBEAT_OBJECT,
          field: HEARTBEAT_EXTERNAL_ID_FIELD,
          value: config.heartbeat.deploymentId
        },
        record
      );
    },
    intervalMs: config.heartbeat.intervalSeconds * 1000,
    maxSilenceMs: config.heartbeat.maxSilenceSeconds * 1000,
    logger
  });
  calls.count = () => heartbeat.countCall();
  return heartbeat;
}

// Both sandboxes, a fresh database with the connector's migrations (analytics included), and the real
// clients, processor and reconciler wired to them: what every sync test starts from.
import pg from 'pg';
import { startSalesforceSandbox } from '../../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../../../../sandboxes/scope/index.ts';
import type {
  ScopeSandbox,
  ScopeSandboxOptions
} from '../../../../sandboxes/scope/index.ts';
import { migrate } from '../../../../connector/src/db/migrate.ts';
import { createPool } from '../../../../connector/src/db/pool.ts';
import type { Pool } from '../../../../connector/src/db/pool.ts';
import type { MappingOptions } from '../../../../connector/src/mapping/index.ts';
import { createSalesforceClient } from '../../../../connector/src/salesforce/index.ts';
import type { SoqlReader } from '../../../../connector/src/salesforce/index.ts';
import { createScopeClient } from '../../../../connector/src/scope/index.ts';
import type { ScopeClient } from '../../../../connector/src/scope/index.ts';
import { createReconciler } from '../../../../connector/src/sync/reconciler.ts';
import type { Reconciler } from '../../../../connector/src/sync/reconciler.ts';
import { runSyncPass } from '../../../../connector/src/sync/run-sync-pass.ts';
import type {
  SyncPassOptions,
  SyncSummary
} from '../../../../connector/src/sync/run-sync-pass.ts';
import {
  CALL_PATHS,
  SESSION_PATHS
} from '../../../../connector/src/scope/index.ts';
import { createBatchProcessor } from '../../../../connector/src/worker/index.ts';
import type { BatchProcessor } from '../../../../connector/src/contracts.ts';
import type { OutcomeSettings } from '../../../../connector/src/rollups/compute-outcomes.ts';
import { markDirtyParents } from '../../../../connector/src/rollups/dirty-parents.ts';
import { createRollupDrainer } from '../../../../connector/src/rollups/rollup-drainer.ts';
import type {
  RollupDrainer,
  RollupDrainerOptions
} from '../../../../connector/src/rollups/rollup-drainer.ts';
import { startTestPostgres } from '../../../support/postgres.ts';
import type { TestPostgres } from '../../../support/postgres.ts';

export const MAPPING: MappingOptions = {
  workOrderIdKeys: ['work_order_id'],
  workOrderNumberKeys: ['work_order_number'],
  caseIdKeys: ['case_id'],
  lineItemIdKeys: ['work_order_line_item_id'],
  serviceAppointmentIdKeys: ['service_appointment_id'],
  durationUnit: 'seconds',
  percentScale: 'percent'
};

export const PATHS = { ScenarioSession: SESSION_PATHS, Call: CALL_PATHS };

export interface SyncHarness {
  scope: ScopeSandbox;
  salesforce: SalesforceSandbox;
  pool: Pool;
  connectionString: string;
  scopeClient: ScopeClient;
  reader: SoqlReader;
  reconciler: Reconciler;
  processor: BatchProcessor;
  /** A drainer of the dirty rollups (rollupInterval), on the harness's pool unless `pool` says otherwise. */
  drainer(options?: Partial<RollupDrainerOptions>): RollupDrainer;
  pass(overrides?: Partial<SyncPassOptions>): Promise<SyncSummary>;
  count(table: string): Promise<number>;
  scopeStats(): Promise<{ graphqlRequests: number }>;
  /** Scope_AR_Session__c rows in the Salesforce sandbox. */
  salesforceSessions(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

let shared: TestPostgres | undefined;
let users = 0;

/** One embedded PostgreSQL per test file (started on first use), a new database per harness. */
export async function startSyncHarness(
  options: {
    scope?: ScopeSandboxOptions;
    salesforce?: boolean;
    /** Keep the work order, asset and case rollups (processor and reconciler), as `serve` does. */
    rollups?: OutcomeSettings;
    /** ROLLUP_INTERVAL_SECONDS > 0: batches mark their parents dirty; `drainer()` recomputes them. */
    rollupInterval?: boolean;
  } = {}
): Promise<SyncHarness> {
  shared ??= await startTestPostgres();
  users += 1;
  const connectionString = await shared.createDatabase();
  const pool = createPool(connectionString, { max: 6 });
  await migrate(pool);
  const scope = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    ...options.scope
  });
  const salesforce = await startSalesforceSandbox({
    port: 0,
    seed: { closedWorkOrders: 40 }
  });
  const scopeClient = createScopeClient({
    baseUrl: scope.url,
    auth: { kind: 'token', token: 'sandbox-company-token', scheme: 'token' },
    permalink: 'sandbox'
  });
  const sfAuth = {
    loginUrl: salesforce.url,
    flow: 'jwt' as const,
    clientId: salesforce.clientId,
    username: salesforce.username,
    privateKeyPem: salesforce.jwtPrivateKeyPem
  };
  const salesforceClient = createSalesforceClient({
    auth: sfAuth,
    apiVersion: salesforce.apiVersion
  });
  const rollups = options.rollups
    ? {
        client: salesforceClient,
        outcomes: options.rollups,
        ...(options.rollupInterval
          ? {
              markDirty: async (
                parents: Parameters<typeof markDirtyParents>[1]
              ) => {
                await markDirtyParents(pool, parents);
                return true;
              }
            }
          : {})
      }
    : undefined;
  const processor = createBatchProcessor({
    scope: scopeClient,
    salesforce: salesforceClient,
    mapping: MAPPING,
    ...(rollups ? { rollups } : {})
  });
  const reconciler = createReconciler({
    reader: salesforceClient,
    processor,
    mapping: MAPPING,
    paths: PATHS,
    ...(rollups ? { rollups } : {})
  });
  const json = async <T>(url: string): Promise<T> => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    scope,
    salesforce,
    pool,
    connectionString,
    scopeClient,
    reader: salesforceClient,
    reconciler,
    processor,
    drainer: (overrides = {}) =>
      createRollupDrainer({
        pool,
        client: salesforceClient,
        outcomes: options.rollups ?? { windowDays: 30, resolvedStatuses: [] },
        intervalSeconds: 30,
        ...overrides
      }),
    pass: (overrides = {}) =>
      runSyncPass({
        pool,
        scope: scopeClient,
        mapping: MAPPING,
        pageSize: 25,
        ...(options.salesforce === false ? {} : { reconciler }),
        ...overrides
      }),
    async count(table) {
      const result = await pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM analytics.${pg.escapeIdentifier(table).slice(1, -1)}`
      );
      return result.rows[0]?.count ?? 0;
    },
    scopeStats: () => json(`${scope.url}/sandbox/stats`),
    salesforceSessions: () =>
      json(`${salesforce.url}/sandbox/records/Scope_AR_Session__c`),
    async close() {
      await pool.end();
      await Promise.all([scope.close(), salesforce.close()]);
      users -= 1;
      if (users === 0 && shared) {
        const server = shared;
        shared = undefined;
        await server.stop();
      }
    }
  };
}

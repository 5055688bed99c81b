// Both sandboxes on random ports plus the real clients and processor wired to them, and the small HTTP
// helpers the integration tests use to steer and inspect the sandboxes (only over their /sandbox/* API).
import { startSalesforceSandbox } from '../../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../../../../sandboxes/scope/index.ts';
import type { ScopeSandbox } from '../../../../sandboxes/scope/index.ts';
import type {
  ResourceEvent,
  ResourceKind
} from '../../../../connector/src/contracts.ts';
import { sandboxSalesforceClient } from '../../../support/sandbox-salesforce-client.ts';
import type { SalesforceClient } from '../../../../connector/src/salesforce/index.ts';
import { createScopeClient } from '../../../../connector/src/scope/index.ts';
import type { ScopeClient } from '../../../../connector/src/scope/index.ts';
import { createBatchProcessor } from '../../../../connector/src/worker/index.ts';
import type { BatchProcessor } from '../../../../connector/src/contracts.ts';
import type { TechnicianSettings } from '../../../../connector/src/worker/processor-settings.ts';
import { MAPPING } from './fixtures.ts';

export interface Harness {
  scope: ScopeSandbox;
  salesforce: SalesforceSandbox;
  scopeClient: ScopeClient;
  salesforceClient: SalesforceClient;
  processor: BatchProcessor;
  /**
   * Both sandboxes back to their seed, counters cleared, and a new processor: a reset gives Scope's
   * ids out again, which a processor remembering its writes (written-sessions.ts) would take for
   * deleted records.
   */
  reset(): Promise<void>;
  /** Every Scope_AR_Session__c row the Salesforce sandbox holds. */
  sessions(): Promise<Record<string, unknown>[]>;
  workOrder(
    number: string
  ): Promise<{ Id: string; CaseId: string | null; AssetId: string | null }>;
  salesforceRequests(): Promise<SalesforceLogEntry[]>;
  salesforceFaults(faults: Record<string, unknown>): Promise<void>;
  clearCounters(): Promise<void>;
  close(): Promise<void>;
}

/** One entry of the Salesforce sandbox's request log; a Composite lists its subrequests. */
export interface SalesforceLogEntry {
  method: string;
  path: string;
  status: number;
  records: number;
  subrequests?: { method: string; path: string; status: number }[];
}

/**
 * The Collections upserts by external id of `sobject` in a request log, whether sent as a call of
 * their own or as a subrequest of a Composite call (SF_COMPOSITE), in order.
 */
export function collectionsUpserts(
  log: readonly SalesforceLogEntry[],
  sobject: string
): { status: number; composite: boolean }[] {
  const isUpsert = (r: { method: string; path: string }) =>
    r.method === 'PATCH' &&
    new RegExp(`/composite/sobjects/${sobject}/[^/]+$`).test(r.path);
  return log.flatMap((r): { status: number; composite: boolean }[] =>
    r.subrequests
      ? r.subrequests
          .filter(isUpsert)
          .map((s) => ({ status: s.status, composite: true }))
      : isUpsert(r)
        ? [{ status: r.status, composite: false }]
        : []
  );
}

export async function startHarness(
  options: {
    fetchBatchSize?: number;
    technicians?: TechnicianSettings;
    /** false: the processor gets no Composite upsert (SF_COMPOSITE=false). */
    composite?: boolean;
  } = {}
): Promise<Harness> {
  const scope = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    seed: { historicalSessions: 0, historicalCalls: 0 }
  });
  const salesforce = await startSalesforceSandbox({ port: 0 });
  const scopeClient = createScopeClient({
    baseUrl: scope.url,
    auth: { kind: 'token', token: 'sandbox-company-token', scheme: 'token' },
    permalink: 'sandbox',
    fetchBatchSize: options.fetchBatchSize ?? 50
  });
  const salesforceClient = sandboxSalesforceClient(salesforce);
  const { upsertSessionsWithSteps, ...withoutComposite } = salesforceClient;
  const newProcessor = () =>
    createBatchProcessor({
      scope: scopeClient,
      salesforce:
        options.composite === false
          ? withoutComposite
          : {
              ...withoutComposite,
              upsertSessionsWithSteps,
              upsertSteps: salesforceClient.upsertStepsInComposites
            },
      mapping: MAPPING,
      ...(options.technicians ? { technicians: options.technicians } : {})
    });
  let current = newProcessor();
  const processor: BatchProcessor = {
    process: (events) => current.process(events)
  };
  const json = async <T>(url: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(url, init);
    if (!response.ok)
      throw new Error(`${init?.method ?? 'GET'} ${url} → ${response.status}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const clearCounters = async () => {
    await json(`${salesforce.url}/sandbox/requests`, { method: 'DELETE' });
    await json(`${scope.url}/sandbox/stats`, { method: 'DELETE' });
  };
  return {
    scope,
    salesforce,
    scopeClient,
    salesforceClient,
    processor,
    async reset() {
      scope.reset();
      current = newProcessor();
      await json(`${salesforce.url}/sandbox/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}'
      });
      await clearCounters();
    },
    sessions: () =>
      json(`${salesforce.url}/sandbox/records/Scope_AR_Session__c`),
    async workOrder(number) {
      const rows = await json<
        {
          Id: string;
          WorkOrderNumber: string;
          CaseId: string | null;
          AssetId: string | null;
        }[]
      >(`${salesforce.url}/sandbox/records/WorkOrder`);
      const row = rows.find((r) => r.WorkOrderNumber === number);
      if (!row) throw new Error(`no seeded work order ${number}`);
      return row;
    },
    salesforceRequests: () => json(`${salesforce.url}/sandbox/requests`),
    async salesforceFaults(faults) {
      await json(`${salesforce.url}/sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults)
      });
    },
    clearCounters,
    async close() {
      await Promise.all([scope.close(), salesforce.close()]);
    }
  };
}

let sequence = 0;
export function eventFor(
  resource: { id: string; resourceType: ResourceKind },
  overrides: Partial<ResourceEvent> = {}
): ResourceEvent {
  sequence += 1;
  return {
    resourceId: resource.id,
    resourceType: resource.resourceType,
    event: 'updated',
    deliveryId: `delivery-${sequence}`,
    receivedAt: new Date().toISOString(),
    ...overrides
  };
}

/** Moves the simulated app until nothing is running (sessions completed, calls ended). */
export async function runToCompletion(scope: ScopeSandbox): Promise<void> {
  for (let i = 0; i < 100; i++) if ((await scope.advance()) === 0) return;
  throw new Error('the simulator did not finish within 100 ticks');
}

export function launchLink(query: Record<string, string>): string {
  const params = Object.entries(query)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return `worklink://resource?action=fetch_catalog&${params}`;
}

// The end-to-end world: both sandboxes on random ports, and the small HTTP helpers the end-to-end tests
// use to steer and inspect them (only over their public and /sandbox/* APIs, as an operator would).
// The connector itself runs as a real OS process (see test/support/replicas/replica-process.ts).
import { startSalesforceSandbox } from '../../../../sandboxes/salesforce/index.ts';
import type {
  SalesforceSandbox,
  SalesforceSandboxOptions
} from '../../../../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../../../../sandboxes/scope/index.ts';
import type {
  ScopeSandbox,
  ScopeSandboxOptions
} from '../../../../sandboxes/scope/index.ts';

export const E2E_SECRET = 'whsec-e2e-0123456789abcdef';
export const E2E_PATH_TOKEN = 'gen1-e2e-path-token-0123456789';
export const SCOPE_TOKEN = 'sandbox-company-token';

export interface SalesforceRequest {
  method: string;
  path: string;
  status: number;
  records: number;
  time: string;
  /** A Composite call's subrequests (SF_COMPOSITE). */
  subrequests?: { method: string; path: string; status: number }[];
}

export type SalesforceRow = Record<string, unknown> & { Id: string };

export interface ScopeDelivery {
  id: string;
  generation: 1 | 2;
  url: string;
  topic: string;
  resourceId: string;
  statuses: (number | null)[];
  /** `sequence` orders the attempts as the sandbox sent them (timestamps may tie). */
  attempts: { sequence: number; at: string; status: number | null }[];
  outcome: 'pending' | 'delivered' | 'failed' | 'dropped';
  duplicate: boolean;
  createdAt: string;
  body: string;
  headers: Record<string, string>;
}

export interface E2eWorld {
  scope: ScopeSandbox;
  salesforce: SalesforceSandbox;
  /** The connector's environment: only variables, as deployed. `extra` overrides. */
  env(extra?: Record<string, string>): Record<string, string>;
  sfRecords(sobject: string): Promise<SalesforceRow[]>;
  sfSessions(): Promise<SalesforceRow[]>;
  workOrder(number: string): Promise<SalesforceRow>;
  sfRequests(): Promise<SalesforceRequest[]>;
  clearSfRequests(): Promise<void>;
  sfFaults(faults: Record<string, unknown>): Promise<void>;
  scopeFaults(faults: Record<string, unknown>): Promise<void>;
  scopeStats(): Promise<{
    graphqlRequests: number;
    injectedFaults: Record<string, number>;
  }>;
  clearScopeStats(): Promise<void>;
  scopeDeliveries(): Promise<{ pending: number; deliveries: ScopeDelivery[] }>;
  /** POST /sandbox/open with a worklink:// link, as the WorkLink app does when a technician taps it. */
  open(link: string): Promise<{
    resourceType: 'ScenarioSession' | 'Call';
    id: string;
    databaseId: string;
    externalData: Record<string, unknown>;
  }>;
  /** Steps the simulated app until nothing runs any more (sessions completed, calls ended). */
  runToCompletion(): Promise<void>;
  /** Scope's own view of a node, read through the sandbox's control plane (never under injected faults). */
  scopeNode(id: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(
      `${init?.method ?? 'GET'} ${url} → ${response.status}: ${await response.text()}`
    );
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const put = (body: unknown): RequestInit => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body)
});
const post = (body: unknown): RequestInit => ({ ...put(body), method: 'POST' });

const NODE_QUERY = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) {
      __typename
      ... on ScenarioSession {
        state
        numberOfStepsPossible
        numberOfStepsViewed
        percentOfStepsViewed
        idleDuration
        externalData
        scenarioRelease {
          scenario {
            name
          }
        }
      }
      ... on Call {
        callState: state
        externalData
      }
    }
  }
`;

export async function startE2eWorld(
  options: {
    scope?: ScopeSandboxOptions;
    salesforce?: SalesforceSandboxOptions;
  } = {}
): Promise<E2eWorld> {
  const scope = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    seed: { historicalSessions: 0, historicalCalls: 0 },
    // Scope's own retries of a refused delivery: quick, so tests do not wait for them
    webhook: { backoffBaseMs: 200, backoffMaxMs: 2000, maxAttempts: 8 },
    ...options.scope
  });
  const salesforce = await startSalesforceSandbox({
    port: 0,
    ...options.salesforce
  });
  const sf = salesforce.url;
  const world: E2eWorld = {
    scope,
    salesforce,
    env: (extra = {}) => ({
      LOG_LEVEL: 'info',
      WEBHOOK_SECRETS: E2E_SECRET,
      WEBHOOK_PATH_TOKEN: E2E_PATH_TOKEN,
      SCOPE_BASE_URL: scope.url,
      SCOPE_API_TOKEN: SCOPE_TOKEN,
      SCOPE_PERMALINK: 'sandbox',
      SF_LOGIN_URL: sf,
      SF_AUTH_FLOW: 'client_credentials',
      SF_CLIENT_ID: salesforce.clientId,
      SF_CLIENT_SECRET: salesforce.clientSecret,
      SF_API_VERSION: salesforce.apiVersion,
      WORKER_POLL_SECONDS: '0.5',
      // no coalescing delay: these tests wait on records, not on windows
      WORKER_PROGRESS_COALESCE_SECONDS: '0',
      WORKER_FINAL_COALESCE_SECONDS: '0',
      RETRY_DELAY_SECONDS: '1',
      RETRY_MAX_DELAY_SECONDS: '4',
      JOB_EXPIRE_SECONDS: '60',
      SHUTDOWN_TIMEOUT_SECONDS: '10',
      DATABASE_POOL_SIZE: '6',
      ...extra
    }),
    sfRecords: (sobject) =>
      json<SalesforceRow[]>(`${sf}/sandbox/records/${sobject}`),
    sfSessions: () => world.sfRecords('Scope_AR_Session__c'),
    async workOrder(number) {
      const row = (await world.sfRecords('WorkOrder')).find(
        (r) => r.WorkOrderNumber === number
      );
      if (!row) throw new Error(`no seeded work order ${number}`);
      return row;
    },
    sfRequests: () => json<SalesforceRequest[]>(`${sf}/sandbox/requests`),
    clearSfRequests: () => json(`${sf}/sandbox/requests`, { method: 'DELETE' }),
    sfFaults: (faults) => json(`${sf}/sandbox/faults`, put(faults)),
    scopeFaults: (faults) => json(`${scope.url}/sandbox/faults`, put(faults)),
    scopeStats: () => json(`${scope.url}/sandbox/stats`),
    clearScopeStats: () =>
      json(`${scope.url}/sandbox/stats`, { method: 'DELETE' }),
    scopeDeliveries: () => json(`${scope.url}/sandbox/deliveries`),
    open: (link) => json(`${scope.url}/sandbox/open`, post({ url: link })),
    async runToCompletion() {
      for (let i = 0; i < 100; i++) {
        const { active } = await json<{ active: number }>(
          `${scope.url}/sandbox/advance`,
          post({ steps: 1 })
        );
        if (active === 0) return;
      }
      throw new Error('the simulator did not finish within 100 steps');
    },
    async scopeNode(id) {
      const body = await json<{
        data?: { node: Record<string, unknown> | null };
        errors?: { message: string }[];
      }>(
        `${scope.url}/sandbox/graphql`,
        post({ query: NODE_QUERY, variables: { id } })
      );
      if (!body.data?.node)
        throw new Error(
          `Scope has no node ${id}: ${JSON.stringify(body.errors)}`
        );
      const { callState, ...node } = body.data.node;
      return callState === undefined ? node : { ...node, state: callState };
    },
    async close() {
      await Promise.all([scope.close(), salesforce.close()]);
    }
  };
  return world;
}

/** The Scope_AR_Session__c rows of one Scope node id. */
export async function sessionsOf(
  world: E2eWorld,
  scopeId: string
): Promise<SalesforceRow[]> {
  return (await world.sfSessions()).filter((r) => r.Scope_Id__c === scopeId);
}

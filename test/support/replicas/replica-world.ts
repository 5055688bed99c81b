// Everything around the replicas: both sandboxes, the environment every replica gets, the Scope sessions
// the stream is about, and the checks against the Salesforce sandbox at the end.
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../../../sandboxes/scope/index.ts';
import type { ScopeSandbox } from '../../../sandboxes/scope/index.ts';
import { encodeNodeId } from '../../../sandboxes/scope/node-id.ts';
import { FIRST_SESSION_ID } from '../../../sandboxes/scope/seed/historical.ts';
import { eventually } from '../wait-for.ts';
import type { WaitOptions } from '../wait-for.ts';

export const WEBHOOK_SECRET = 'whsec-replicas-0123456789abcdef';
/** Every 25th historical record belongs to the other company (see the Scope sandbox seed). */
const FOREIGN_EVERY = 25;

export interface SessionState {
  state: string | null;
  idleDuration: number | null;
}

export interface SalesforceSession {
  Scope_Id__c: string;
  State__c: string | null;
  Idle_Duration_Seconds__c: number | null;
}

export interface ReplicaWorld {
  scope: ScopeSandbox;
  salesforce: SalesforceSandbox;
  /** The environment of one replica on the given database (only environment variables, as deployed). */
  env(
    databaseUrl: string,
    extra?: Record<string, string>
  ): Record<string, string>;
  /** `count` sessions of the `sandbox` company, as Scope node ids. */
  sessionIds(count: number): string[];
  /** A technician changes the session in Scope (idleDuration +5 s). */
  touch(sessionId: string): Promise<void>;
  /** Scope's current state of each session, read through the sandbox's control plane (never under
   * the faults a test injects into the API the connector uses). */
  scopeStates(ids: readonly string[]): Promise<Map<string, SessionState>>;
  salesforceSessions(): Promise<SalesforceSession[]>;
  close(): Promise<void>;
}

export interface ReplicaWorldOptions {
  historicalSessions?: number;
  /** Salesforce sandbox latency per request (makes batches take a while). */
  salesforceLatencyMs?: number;
  /** Scope sandbox latency per request. */
  scopeLatencyMs?: number;
}

export async function startReplicaWorld(
  options: ReplicaWorldOptions = {}
): Promise<ReplicaWorld> {
  const historicalSessions = options.historicalSessions ?? 1100;
  const scope = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    ...(options.scopeLatencyMs
      ? { faults: { latencyMs: options.scopeLatencyMs } }
      : {}),
    seed: { historicalSessions, historicalCalls: 0 }
  });
  const salesforce = await startSalesforceSandbox({
    port: 0,
    latencyMs: options.salesforceLatencyMs ?? 0
  });
  const touchIds = new Map<string, number>();
  const json = async <T>(url: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(url, init);
    if (!response.ok)
      throw new Error(`${init?.method ?? 'GET'} ${url} → ${response.status}`);
    return (await response.json()) as T;
  };

  return {
    scope,
    salesforce,
    env: (databaseUrl, extra = {}) => ({
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      WEBHOOK_SECRETS: WEBHOOK_SECRET,
      SCOPE_BASE_URL: scope.url,
      SCOPE_API_TOKEN: 'sandbox-company-token',
      SCOPE_PERMALINK: 'sandbox',
      SF_LOGIN_URL: salesforce.url,
      SF_AUTH_FLOW: 'client_credentials',
      SF_CLIENT_ID: salesforce.clientId,
      SF_CLIENT_SECRET: salesforce.clientSecret,
      SF_API_VERSION: salesforce.apiVersion,
      WORKER_POLL_SECONDS: '0.5',
      // no coalescing delay: these tests wait on records, not on windows
      WORKER_PROGRESS_COALESCE_SECONDS: '0',
      WORKER_FINAL_COALESCE_SECONDS: '0',
      RETRY_DELAY_SECONDS: '1',
      RETRY_MAX_DELAY_SECONDS: '3',
      JOB_EXPIRE_SECONDS: '30',
      SHUTDOWN_TIMEOUT_SECONDS: '10',
      DATABASE_POOL_SIZE: '8',
      ...extra
    }),
    sessionIds(count) {
      const ids: string[] = [];
      for (let index = 0; ids.length < count; index++) {
        if (index >= historicalSessions)
          throw new Error(`only ${ids.length} sandbox sessions are seeded`);
        if (index % FOREIGN_EVERY === FOREIGN_EVERY - 1) continue;
        const databaseId = FIRST_SESSION_ID + index;
        const id = encodeNodeId('ScenarioSession', databaseId);
        touchIds.set(id, databaseId);
        ids.push(id);
      }
      return ids;
    },
    async touch(sessionId) {
      const databaseId = touchIds.get(sessionId);
      if (databaseId === undefined)
        throw new Error(`unknown session ${sessionId}`);
      await json(`${scope.url}/sandbox/sessions/${databaseId}/touch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ notify: false })
      });
    },
    async scopeStates(ids) {
      const states = new Map<string, SessionState>();
      for (let start = 0; start < ids.length; start += 100) {
        const chunk = ids.slice(start, start + 100);
        const body = await json<{
          data?: Record<
            string,
            { state?: unknown; idleDuration?: unknown } | null
          >;
          errors?: { message: string }[];
        }>(`${scope.url}/sandbox/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ ${chunk
              .map(
                (id, index) =>
                  `n${index}: node(id: ${JSON.stringify(id)}) { ... on ScenarioSession { state idleDuration } }`
              )
              .join(' ')} }`
          })
        });
        chunk.forEach((id, index) => {
          const node = body.data?.[`n${index}`];
          if (!node)
            throw new Error(
              `Scope has no session ${id}: ${JSON.stringify(body.errors)}`
            );
          states.set(id, {
            state: typeof node.state === 'string' ? node.state : null,
            idleDuration:
              typeof node.idleDuration === 'number' ? node.idleDuration : null
          });
        });
      }
      return states;
    },
    salesforceSessions: () =>
      json<SalesforceSession[]>(
        `${salesforce.url}/sandbox/records/Scope_AR_Session__c`
      ),
    async close() {
      await Promise.all([scope.close(), salesforce.close()]);
    }
  };
}

/** What is still wrong in Salesforce compared with Scope (empty when every session is there once, final). */
export function salesforceMismatches(
  expected: Map<string, SessionState>,
  records: readonly SalesforceSession[]
): string[] {
  const byId = new Map<string, SalesforceSession[]>();
  for (const record of records) {
    const list = byId.get(record.Scope_Id__c) ?? [];
    list.push(record);
    byId.set(record.Scope_Id__c, list);
  }
  const problems: string[] = [];
  for (const [id, want] of expected) {
    const found = byId.get(id) ?? [];
    if (found.length !== 1) {
      problems.push(`${id}: ${found.length} records`);
      continue;
    }
    const record = found[0] as SalesforceSession;
    if (
      record.State__c !== want.state ||
      Number(record.Idle_Duration_Seconds__c) !== want.idleDuration
    ) {
      problems.push(
        `${id}: Salesforce has ${record.State__c}/${record.Idle_Duration_Seconds__c}, Scope ${want.state}/${want.idleDuration}`
      );
    }
  }
  return problems;
}

/**
 * Polls until Salesforce matches `expected` (Scope's states, taken by the caller); a timeout names the
 * sessions still wrong.
 */
export async function waitForSalesforceToMatch(
  world: ReplicaWorld,
  expected: Map<string, SessionState>,
  what: string,
  options: WaitOptions
): Promise<void> {
  await eventually(
    what,
    async () => {
      const problems = salesforceMismatches(
        expected,
        await world.salesforceSessions()
      );
      return {
        done: problems.length === 0,
        value: `${problems.length} sessions wrong, e.g. ${problems.slice(0, 10).join('; ')}`
      };
    },
    options
  );
}

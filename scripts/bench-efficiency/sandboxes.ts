// The two sandboxes of the efficiency benchmark, in this process, and what the benchmark asks of them
// over HTTP: the API calls they counted, Salesforce's stored sessions, Scope's changes and state.
import { startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../../sandboxes/scope/index.ts';
import { encodeNodeId } from '../../sandboxes/scope/node-id.ts';
import { FIRST_SESSION_ID } from '../../sandboxes/scope/seed/historical.ts';

/** Every 25th historical record of the Scope sandbox belongs to the other company. */
const FOREIGN_EVERY = 25;

export interface Counters {
  salesforceCalls: number;
  /** Salesforce calls by what they were: token, query, collections (sessions), steps, other. */
  salesforceByKind: Record<string, number>;
  graphqlRequests: number;
}

export interface StoredSession {
  Scope_Id__c: string;
  Idle_Duration_Seconds__c: number | null;
}

export interface Sandboxes {
  scopeUrl: string;
  sfUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  counters(): Promise<Counters>;
  clearCounters(): Promise<void>;
  resetSalesforce(): Promise<void>;
  sessions(): Promise<StoredSession[]>;
  /** One change of the session in Scope (its idleDuration grows by 5 s). */
  touch(databaseId: number): Promise<void>;
  close(): Promise<void>;
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url} → ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export function sessionIds(count: number): {
  ids: string[];
  databaseIds: number[];
} {
  const ids: string[] = [];
  const databaseIds: number[] = [];
  for (let index = 0; ids.length < count; index++) {
    if (index % FOREIGN_EVERY === FOREIGN_EVERY - 1) continue;
    databaseIds.push(FIRST_SESSION_ID + index);
    ids.push(encodeNodeId('ScenarioSession', FIRST_SESSION_ID + index));
  }
  return { ids, databaseIds };
}

function kindOfCall(path: string): string {
  if (path.includes('/oauth2/token')) return 'token';
  if (path.includes('/query')) return 'query';
  // sessions and their steps in one call (SF_COMPOSITE)
  if (/\/composite\/?$/.test(path)) return 'composite';
  if (path.includes('/composite/sobjects/Scope_AR_Session_Step__c'))
    return 'steps';
  if (path.includes('/composite/sobjects')) return 'collections';
  return 'other';
}

async function countCalls(sfUrl: string, scopeUrl: string): Promise<Counters> {
  const log = await json<{ path: string }[]>(`${sfUrl}/sandbox/requests`);
  const stats = await json<{ graphqlRequests: number }>(
    `${scopeUrl}/sandbox/stats`
  );
  const salesforceByKind: Record<string, number> = {};
  for (const entry of log) {
    const kind = kindOfCall(entry.path);
    salesforceByKind[kind] = (salesforceByKind[kind] ?? 0) + 1;
  }
  return {
    salesforceCalls: log.length,
    salesforceByKind,
    graphqlRequests: stats.graphqlRequests
  };
}

export async function startSandboxes(sessions: number): Promise<Sandboxes> {
  const scope = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    seed: {
      historicalSessions: Math.ceil(sessions * 1.05) + 10,
      historicalCalls: 0
    }
  });
  const salesforce = await startSalesforceSandbox({ port: 0 });
  const post = (url: string, body: string) =>
    json(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body
    });
  return {
    scopeUrl: scope.url,
    sfUrl: salesforce.url,
    clientId: salesforce.clientId,
    clientSecret: salesforce.clientSecret,
    apiVersion: salesforce.apiVersion,
    counters: () => countCalls(salesforce.url, scope.url),
    async clearCounters() {
      await json(`${salesforce.url}/sandbox/requests`, { method: 'DELETE' });
      await json(`${scope.url}/sandbox/stats`, { method: 'DELETE' });
    },
    async resetSalesforce() {
      await post(`${salesforce.url}/sandbox/reset`, '{"reloadMetadata":false}');
    },
    sessions: () =>
      json(`${salesforce.url}/sandbox/records/Scope_AR_Session__c`),
    async touch(databaseId) {
      await post(
        `${scope.url}/sandbox/sessions/${databaseId}/touch`,
        '{"notify":false}'
      );
    },
    close: async () => {
      await Promise.all([scope.close(), salesforce.close()]);
    }
  };
}

const IDLE_CHUNK = 100;

/** GraphQL requests that `scopeIdle` makes for `sessions` sessions. */
export const scopeIdleRequests = (sessions: number) =>
  Math.ceil(sessions / IDLE_CHUNK);

/** Scope's current idleDuration of every session, in ⌈sessions / 100⌉ GraphQL requests. */
export async function scopeIdle(
  sb: Sandboxes,
  ids: readonly string[]
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (let start = 0; start < ids.length; start += IDLE_CHUNK) {
    const chunk = ids.slice(start, start + IDLE_CHUNK);
    const query = `{ ${chunk.map((id, i) => `n${i}: node(id: ${JSON.stringify(id)}) { ... on ScenarioSession { idleDuration } }`).join(' ')} }`;
    const body = await json<{
      data: Record<string, { idleDuration: number } | null>;
    }>(`${sb.scopeUrl}/api/v3/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Token token=sandbox-company-token'
      },
      body: JSON.stringify({ permalink: 'sandbox', query })
    });
    chunk.forEach((id, i) =>
      result.set(id, body.data[`n${i}`]?.idleDuration ?? Number.NaN)
    );
  }
  return result;
}

// What the rollup tests share: the Salesforce sandbox's control API, the simulated app run to its end,
// and the rollups by their definitions, recomputed from the Scope_AR_Session__c rows.
import assert from 'node:assert/strict';
import type {
  ResourceEvent,
  ResourceKind
} from '../../../../connector/src/contracts.ts';
import type { SyncHarness } from './sync-harness.ts';

export type Row = Record<string, unknown> & { Id: string };
export interface Opened {
  id: string;
  resourceType: ResourceKind;
}

export const launch = (asset: string, number: string) =>
  `worklink://resource?action=fetch_catalog&asset=${asset}&work_order_number=${number}`;
export const call = (number: string) =>
  `worklink://resource?action=fetch_user&user=501&work_order_number=${number}`;

/** `harness` is read at each call (the test's harness starts in its before hook). */
export function rollupChecks(
  harness: () => Pick<SyncHarness, 'salesforce' | 'scope'>
) {
  async function control<T>(
    method: string,
    path: string,
    body?: unknown
  ): Promise<T> {
    const response = await fetch(`${harness().salesforce.url}/sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    if (!response.ok)
      throw new Error(
        `${method} ${path} → ${response.status}: ${await response.text()}`
      );
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  const records = (sobject: string) =>
    control<Row[]>('GET', `/records/${sobject}`);
  const byId = async (sobject: string, id: string) => {
    const row = (await records(sobject)).find((r) => r.Id === id);
    assert.ok(row, `${sobject} ${id} exists`);
    return row;
  };
  async function workOrder(number: string): Promise<Row> {
    const row = (await records('WorkOrder')).find(
      (r) => r.WorkOrderNumber === number
    );
    assert.ok(row, `work order ${number}`);
    return row;
  }

  /** Opens the links and runs the simulated app until every session and call has ended. */
  async function runToCompletion(links: readonly string[]): Promise<Opened[]> {
    const opened: Opened[] = [];
    for (const link of links) opened.push(await harness().scope.open(link));
    for (let tick = 0; tick < 100; tick += 1)
      if ((await harness().scope.advance()) === 0) return opened;
    throw new Error('the simulator did not finish');
  }

  const eventsOf = (
    opened: readonly Opened[],
    event = 'completed'
  ): ResourceEvent[] =>
    opened.map((o) => ({
      resourceId: o.id,
      resourceType: o.resourceType,
      event,
      receivedAt: new Date().toISOString()
    }));

  /** The rollups by their definitions, straight from the Scope_AR_Session__c rows (independent of the connector). */
  function expected(sessions: readonly Row[], field: string, id: string) {
    const mine = sessions.filter((s) => s[field] === id);
    const calls = mine.filter((s) => s.Kind__c === 'Call').length;
    const starts = mine
      .map((s) => Date.parse(String(s.Started_At__c)))
      .filter((t) => !Number.isNaN(t));
    const seconds = mine.reduce(
      (sum, s) => sum + Number(s.Duration_Seconds__c ?? 0),
      0
    );
    return {
      sessions: mine.length - calls,
      calls,
      first: starts.length ? Math.min(...starts) : null,
      last: starts.length ? Math.max(...starts) : null,
      minutes: Math.round((seconds / 60) * 100) / 100
    };
  }

  const time = (v: unknown) => (v ? Date.parse(String(v)) : null);

  /** Every work order, asset and case that has sessions holds exactly what a recomputation gives. */
  async function assertRollupsMatchSessions(): Promise<void> {
    const sessions = await records('Scope_AR_Session__c');
    const problems: string[] = [];
    for (const wo of await records('WorkOrder')) {
      const e = expected(sessions, 'Work_Order__c', wo.Id);
      if (e.sessions + e.calls === 0 && wo.WorkLink_AR_Sessions__c == null)
        continue;
      const got = {
        sessions: wo.WorkLink_AR_Sessions__c,
        calls: wo.WorkLink_AR_Calls__c,
        first: time(wo.WorkLink_First_AR_Start__c),
        last: time(wo.WorkLink_Last_AR_Start__c),
        minutes: wo.WorkLink_AR_Minutes__c
      };
      if (JSON.stringify(got) !== JSON.stringify(e))
        problems.push(
          `WorkOrder ${String(wo.WorkOrderNumber)}: ${JSON.stringify(got)} ≠ ${JSON.stringify(e)}`
        );
      if (wo.WorkLink_AR_Used__c !== e.sessions + e.calls > 0)
        problems.push(
          `WorkOrder ${String(wo.WorkOrderNumber)}: AR used ${String(wo.WorkLink_AR_Used__c)}`
        );
    }
    for (const asset of await records('Asset')) {
      const e = expected(sessions, 'Asset__c', asset.Id);
      if (e.sessions + e.calls === 0 && asset.WorkLink_AR_Sessions__c == null)
        continue;
      const got = [
        asset.WorkLink_AR_Sessions__c,
        asset.WorkLink_AR_Calls__c,
        time(asset.WorkLink_Last_AR_Session__c)
      ];
      if (JSON.stringify(got) !== JSON.stringify([e.sessions, e.calls, e.last]))
        problems.push(`Asset ${asset.Id}: ${JSON.stringify(got)}`);
    }
    for (const c of await records('Case')) {
      const e = expected(sessions, 'Case__c', c.Id);
      if (e.calls === 0 && c.WorkLink_AR_Calls__c == null) continue;
      if (c.WorkLink_AR_Calls__c !== e.calls)
        problems.push(
          `Case ${String(c.CaseNumber)}: ${String(c.WorkLink_AR_Calls__c)} ≠ ${e.calls}`
        );
    }
    assert.deepEqual(problems, []);
  }

  const rollupWrites = async () =>
    (
      await control<{ method: string; path: string }[]>('GET', '/requests')
    ).filter(
      (r) =>
        r.method === 'PATCH' && /\/composite\/sobjects\/?(\?|$)/.test(r.path)
    ).length;

  /** SOQL queries in the sandbox's request log (it logs paths without the query string). */
  const queries = async () =>
    (
      await control<{ method: string; path: string }[]>('GET', '/requests')
    ).filter((r) => r.method === 'GET' && r.path.endsWith('/query')).length;

  return {
    control,
    records,
    byId,
    workOrder,
    runToCompletion,
    eventsOf,
    expected,
    assertRollupsMatchSessions,
    rollupWrites,
    queries
  };
}

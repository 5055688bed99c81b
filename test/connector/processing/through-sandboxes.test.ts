// The processor against both sandboxes over real HTTP: what lands in the Salesforce sandbox, and how
// many API calls it took (counted by the sandboxes' own request logs).
import { salesforceSeconds } from '../../../connector/src/salesforce/date-time.ts';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startScopeSandbox } from '../../../sandboxes/scope/index.ts';
import { WRITTEN_SESSION_FIELDS } from '../../../connector/src/mapping/index.ts';
import {
  STEP_OBJECT,
  WRITTEN_STEP_FIELDS
} from '../../../connector/src/mapping/step-record.ts';
import { createBatchProcessor } from '../../../connector/src/worker/index.ts';
import { MAPPING } from './helpers/fixtures.ts';
import {
  checkScopeSchema,
  createScopeClient
} from '../../../connector/src/scope/index.ts';
import {
  collectionsUpserts,
  eventFor,
  launchLink,
  runToCompletion,
  startHarness
} from './helpers/sandboxes.ts';
import type { Harness } from './helpers/sandboxes.ts';
import { linkManually } from '../../support/link-manually.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ fetchBatchSize: 50 });
});
after(async () => h.close());
beforeEach(async () => {
  h.scope.setFaults({ errorRate: 0 });
  await h.salesforceFaults({ unavailable: false, lockRowRate: 0 });
  await h.reset();
});

const sessionsFor = async (scopeId: string) =>
  (await h.sessions()).filter((s) => s.Scope_Id__c === scopeId);

describe('through the sandboxes', () => {
  it('turns a technician session launched from a work order into one correct Matched record', async () => {
    const wo = await h.workOrder('00000101');
    const opened = await h.scope.open(
      launchLink({
        asset: 'PUMP-100',
        work_order_id: wo.Id,
        work_order_number: '00000101'
      })
    );
    await runToCompletion(h.scope);
    const [outcome] = await h.processor.process([eventFor(opened)]);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    const [record, ...others] = await sessionsFor(opened.id);
    assert.equal(others.length, 0);
    assert.equal(outcome?.salesforceId, record?.Id);
    assert.equal(record?.Kind__c, 'Scenario Session');
    assert.equal(record?.Link_Status__c, 'Matched');
    assert.equal(record?.Work_Order__c, wo.Id);
    assert.equal(record?.Case__c, wo.CaseId);
    assert.equal(record?.Asset__c, wo.AssetId);
    assert.equal(record?.External_Work_Order_Ref__c, wo.Id);
    assert.equal(
      record?.Scenario_Name__c,
      'Centrifugal Pump P-100 Seal Replacement'
    );
    assert.equal(record?.Steps_Possible__c, 6);
    assert.equal(record?.Steps_Viewed__c, 6);
    assert.equal(record?.Scope_Database_Id__c, opened.databaseId);
    assert.equal(typeof record?.Technician__c, 'string');
    assert.deepEqual(
      JSON.parse(String(record?.External_Data__c)),
      opened.externalData
    );
    assert.ok(
      record?.Started_At__c && record.Ended_At__c && record.Scope_Updated_At__c
    );
  });

  it('lands a call to an expert as Kind = Call with the expert', async () => {
    const opened = await h.scope.open(
      'worklink://resource?action=fetch_user&user=501&work_order_number=00000102'
    );
    assert.equal(opened.resourceType, 'Call');
    await runToCompletion(h.scope);
    const [outcome] = await h.processor.process([eventFor(opened)]);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    const [record] = await sessionsFor(opened.id);
    const wo = await h.workOrder('00000102');
    assert.equal(record?.Kind__c, 'Call');
    assert.equal(record?.Expert__c, 'Dana Reyes');
    assert.equal(record?.Link_Status__c, 'Matched');
    assert.equal(record?.Work_Order__c, wo.Id);
    assert.equal(record?.Case__c, null, 'work order 00000102 has no case');
  });

  it('stores an unknown or hostile work-order key as Unmatched with the raw key', async () => {
    const unknown = await h.scope.open(
      launchLink({ asset: 'HVAC-7', work_order_number: '99999999' })
    );
    const hostile = await h.scope.open(
      launchLink({
        asset: 'HVAC-7',
        work_order_number: "x' OR WorkOrderNumber != '"
      })
    );
    const none = await h.scope.open(
      'worklink://resource?action=fetch_catalog&asset=GEN-3000'
    );
    const outcomes = await h.processor.process([
      eventFor(unknown),
      eventFor(hostile),
      eventFor(none)
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['written', 'written', 'written'],
      JSON.stringify(outcomes)
    );
    const [u] = await sessionsFor(unknown.id);
    const [x] = await sessionsFor(hostile.id);
    const [n] = await sessionsFor(none.id);
    assert.equal(u?.Link_Status__c, 'Unmatched');
    assert.equal(u?.External_Work_Order_Ref__c, '99999999');
    assert.equal(
      x?.Link_Status__c,
      'Unmatched',
      'the injection did not match every work order'
    );
    assert.equal(x?.External_Work_Order_Ref__c, "x' OR WorkOrderNumber != '");
    assert.equal(n?.Link_Status__c, 'Unmatched');
    assert.equal(n?.Work_Order__c, null);
  });

  it('never overwrites a manual link, and still updates the session', async () => {
    const target = await h.workOrder('00000102');
    const unknown = await h.scope.open(
      launchLink({ asset: 'PUMP-100', work_order_number: '99999999' })
    );
    const relinked = await h.scope.open(
      launchLink({ asset: 'PUMP-100', work_order_number: '00000101' })
    );
    const first = await h.processor.process([
      eventFor(unknown),
      eventFor(relinked)
    ]);
    assert.deepEqual(
      first.map((o) => o.status),
      ['written', 'written']
    );
    const [u] = await sessionsFor(unknown.id);
    const [r] = await sessionsFor(relinked.id);
    assert.equal(u?.Link_Status__c, 'Unmatched');
    assert.equal(r?.Link_Status__c, 'Matched');
    assert.notEqual(r?.State__c, 'COMPLETED');
    await linkManually(h.salesforce, String(u?.Id), target.Id);
    await linkManually(h.salesforce, String(r?.Id), target.Id);

    await runToCompletion(h.scope);
    await h.clearCounters();
    const again = await h.processor.process([
      eventFor(unknown),
      eventFor(relinked)
    ]);
    assert.deepEqual(
      again.map((o) => o.status),
      ['written', 'written']
    );
    for (const opened of [unknown, relinked]) {
      const [record] = await sessionsFor(opened.id);
      assert.equal(record?.Link_Status__c, 'Linked manually');
      assert.equal(record?.Work_Order__c, target.Id);
      assert.equal(record?.State__c, 'COMPLETED', 'the session still updates');
    }
    const [after] = await sessionsFor(unknown.id);
    assert.equal(after?.External_Work_Order_Ref__c, '99999999');
    const queries = (await h.salesforceRequests()).filter((q) =>
      q.path.endsWith('/query')
    );
    assert.equal(
      queries.length,
      1,
      'the work-order lookup only: this processor wrote both sessions with the same links, so it writes them without their link fields and needs no stored-session read (written-sessions.test.ts)'
    );
  });

  it('keeps one record with the latest state through duplicates, reordering and replays', async () => {
    const opened = await h.scope.open(
      launchLink({ asset: 'PUMP-100', work_order_number: '00000101' })
    );
    const created = eventFor(opened, { event: 'created' });
    await h.scope.advance();
    const [first] = await h.processor.process([created, created]);
    assert.equal(first?.status, 'written');
    assert.notEqual((await sessionsFor(opened.id))[0]?.State__c, 'COMPLETED');
    await runToCompletion(h.scope);
    const completed = eventFor(opened, { event: 'completed' });
    // The completion arrives first, the stale update after it, the creation is replayed.
    await h.processor.process([
      completed,
      eventFor(opened, { event: 'updated' }),
      created
    ]);
    await h.processor.process([created]);
    const records = await sessionsFor(opened.id);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.State__c, 'COMPLETED');
    assert.equal(records[0]?.Steps_Viewed__c, 6);
  });

  it('retries through Salesforce 503, UNABLE_TO_LOCK_ROW, the daily limit and token expiry, then succeeds', async () => {
    const opened = await h.scope.open(
      launchLink({ asset: 'HVAC-7', work_order_number: '00000102' })
    );
    await runToCompletion(h.scope);
    const event = eventFor(opened);

    await h.salesforceFaults({ unavailable: true });
    let [outcome] = await h.processor.process([event]);
    assert.equal(outcome?.status, 'retry');
    assert.match(outcome?.reason ?? '', /SERVER_UNAVAILABLE/);
    await h.salesforceFaults({ unavailable: false, lockRowRate: 1 });
    [outcome] = await h.processor.process([event]);
    assert.equal(outcome?.status, 'retry');
    assert.match(outcome?.reason ?? '', /UNABLE_TO_LOCK_ROW/);
    await h.salesforceFaults({
      lockRowRate: 0,
      apiLimit: 1000,
      apiUsage: 1000
    });
    [outcome] = await h.processor.process([event]);
    assert.equal(outcome?.status, 'retry');
    assert.match(outcome?.reason ?? '', /REQUEST_LIMIT_EXCEEDED/);
    assert.equal(outcome?.retryAfterSeconds, 300);
    await h.salesforceFaults({
      apiLimit: 100_000,
      apiUsage: 0,
      expireTokensNow: true
    });
    await h.clearCounters();
    [outcome] = await h.processor.process([event]);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    const tokenRequests = (await h.salesforceRequests()).filter((r) =>
      r.path.endsWith('/oauth2/token')
    );
    assert.equal(
      tokenRequests.length,
      1,
      'one re-authentication after the expiry'
    );
    assert.equal((await sessionsFor(opened.id)).length, 1);
  });

  it('retries through Scope 500 and 429, then succeeds', async () => {
    const opened = await h.scope.open(
      launchLink({ asset: 'GEN-3000', work_order_number: '00000103' })
    );
    await runToCompletion(h.scope);
    const event = eventFor(opened);
    h.scope.setFaults({ errorRate: 1, errorStatuses: [500] });
    let [outcome] = await h.processor.process([event]);
    assert.equal(outcome?.status, 'retry');
    h.scope.setFaults({ errorRate: 1, errorStatuses: [429] });
    [outcome] = await h.processor.process([event]);
    assert.equal(outcome?.status, 'retry');
    assert.equal(
      outcome?.retryAfterSeconds,
      1,
      'the sandbox answers Retry-After: 1'
    );
    h.scope.setFaults({ errorRate: 0 });
    [outcome] = await h.processor.process([event]);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    assert.equal((await sessionsFor(opened.id))[0]?.Link_Status__c, 'Matched');
  });

  it("dead-letters another company's node and retries one Scope does not know yet", async () => {
    const foreign = await h.scope.open(
      'worklink://resource?action=fetch_catalog&asset=OC-1',
      { company: 'othercorp' }
    );
    const outcomes = await h.processor.process([
      eventFor(foreign),
      eventFor({
        id: 'Z2lkOi8vc2NvcGUvU2NlbmFyaW9TZXNzaW9uLzk5OTk5',
        resourceType: 'ScenarioSession'
      })
    ]);
    assert.equal(outcomes[0]?.status, 'dead');
    assert.match(outcomes[0]?.reason ?? '', /Not authorized/i);
    assert.equal(outcomes[1]?.status, 'retry');
    assert.equal((await h.sessions()).length, 0);
  });

  it('needs ceil(M/200) Composite calls (sessions and their steps together), one work-order query, the stored-session read and ceil(M/50) GraphQL requests for N events on M resources', async () => {
    const wo = await h.workOrder('00000101');
    const opened = [];
    for (let i = 0; i < 230; i++) {
      const link =
        i % 3 === 0
          ? launchLink({ asset: 'PUMP-100', work_order_id: wo.Id })
          : i % 3 === 1
            ? launchLink({ asset: 'HVAC-7', work_order_number: '00000102' })
            : launchLink({ asset: 'GEN-3000', work_order_number: `7777${i}` });
      opened.push(await h.scope.open(link));
    }
    await h.scope.advance();
    const events = opened.flatMap((o) => [
      eventFor(o, { event: 'created' }),
      eventFor(o),
      eventFor(o)
    ]);
    events.sort(() => Math.random() - 0.5);
    await h.clearCounters();
    const outcomes = await h.processor.process(events);
    assert.equal(outcomes.length, 230);
    assert.ok(
      outcomes.every((o) => o.status === 'written'),
      JSON.stringify(outcomes.find((o) => o.status !== 'written'))
    );
    const requests = (await h.salesforceRequests()).filter(
      (r) => !r.path.endsWith('/oauth2/token')
    );
    const composites = requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/composite')
    );
    const queries = requests.filter((r) => r.path.endsWith('/query'));
    // SF_COMPOSITE: each ≤ 200 sessions go in one Composite call with their steps (≤ 800 of them).
    const sessionUpserts = collectionsUpserts(requests, 'Scope_AR_Session__c');
    assert.equal(sessionUpserts.length, Math.ceil(230 / 200));
    assert.ok(sessionUpserts.every((u) => u.composite));
    assert.equal(composites.length, Math.ceil(230 / 200));
    const steps = (
      (await (
        await fetch(
          `${h.salesforce.url}/sandbox/records/Scope_AR_Session_Step__c`
        )
      ).json()) as unknown[]
    ).length;
    assert.ok(steps >= 230, `${steps} steps: each session viewed one or more`);
    assert.ok(steps <= 800, 'the steps of 200 sessions fit one Composite');
    const stepUpserts = collectionsUpserts(requests, STEP_OBJECT);
    assert.ok(stepUpserts.every((u) => u.composite && u.status === 200));
    // A composite's records are its sessions' and its steps': its steps go in full subrequests of 200.
    const sessionsPerCall = [200, 30];
    composites.forEach((c, i) => {
      const carried = c.records - (sessionsPerCall[i] ?? 0);
      assert.equal(
        c.subrequests?.length,
        1 + Math.ceil(carried / 200),
        'the sessions, then their steps in full Collections subrequests'
      );
    });
    assert.equal(
      composites.reduce((n, c) => n + c.records, 0),
      230 + steps,
      'every step went with its session'
    );
    const graphql = h.scope.stats();
    assert.equal(graphql.operations.WorkLinkNodes, Math.ceil(230 / 50));
    assert.ok(
      graphql.graphqlRequests <= Math.ceil(230 / 50) + 1,
      'at most the one-time introspection besides'
    );
    // One work-order lookup, and the read of the stored sessions (manual links): 230 base64 Scope ids
    // overflow one URL, so that read is as many queries as it takes alone.
    await h.clearCounters();
    await h.salesforceClient.readStoredSessions(opened.map((o) => o.id));
    const readQueries = (await h.salesforceRequests()).filter((r) =>
      r.path.endsWith('/query')
    ).length;
    assert.ok(readQueries >= 1 && readQueries <= 2, `${readQueries} reads`);
    assert.equal(queries.length, 1 + readQueries);
    assert.equal(requests.length, composites.length + queries.length);
    const records = await h.sessions();
    assert.equal(records.length, 230);
    assert.equal(
      records.filter((r) => r.Link_Status__c === 'Matched').length,
      154
    );
  });
});

describe('doctor checks through the sandboxes', () => {
  it('finds every selected Scope field and every written Salesforce field', async () => {
    const reports = await checkScopeSchema(h.scopeClient);
    assert.deepEqual(
      reports.map((r) => [r.kind, r.typeMissing, r.missingFields]),
      [
        ['ScenarioSession', false, []],
        ['Call', false, []]
      ]
    );
    assert.deepEqual(
      await h.salesforceClient.checkWritableFields(WRITTEN_SESSION_FIELDS),
      []
    );
    assert.deepEqual(
      await h.salesforceClient.checkWritableFields(
        WRITTEN_STEP_FIELDS,
        STEP_OBJECT
      ),
      []
    );
    assert.equal((await h.scopeClient.ping()).viewerName, 'Sandbox Admin');
    assert.equal(
      (await h.salesforceClient.ping()).instanceUrl,
      h.salesforce.url
    );
  });

  it('reports a selected field the tenant lacks', async () => {
    const client = createScopeClient({
      baseUrl: h.scope.url,
      auth: { kind: 'token', token: 'sandbox-company-token', scheme: 'token' },
      selections: {
        Call: {
          typeName: 'Call',
          selection: 'id callee { name }',
          nestedNodes: 0
        }
      }
    });
    const call = (await checkScopeSchema(client)).find(
      (r) => r.kind === 'Call'
    );
    assert.deepEqual(call?.missingFields, ['callee']);
  });
});

describe('a tenant that exposes updatedAt, signed in with email and password', () => {
  it('selects updatedAt and writes it as Scope_Updated_At__c', async () => {
    const scope = await startScopeSandbox({
      port: 0,
      clock: { manual: true },
      seed: { historicalSessions: 0, historicalCalls: 0 },
      schema: { exposeUpdatedAt: true }
    });
    try {
      const scopeClient = createScopeClient({
        baseUrl: scope.url,
        auth: {
          kind: 'sign-in',
          baseUrl: scope.url,
          email: 'admin@sandbox.scopear.test',
          password: 'worklink-sandbox'
        },
        permalink: 'sandbox'
      });
      const processor = createBatchProcessor({
        scope: scopeClient,
        salesforce: h.salesforceClient,
        mapping: MAPPING
      });
      const opened = await scope.open(
        launchLink({ asset: '42', work_order_number: '00000105' })
      );
      await runToCompletion(scope);
      const [outcome] = await processor.process([eventFor(opened)]);
      assert.equal(outcome?.status, 'written', outcome?.reason);
      const fetched = (
        await scopeClient.fetchNodes([
          { id: opened.id, kind: 'ScenarioSession' }
        ])
      ).get(opened.id);
      assert.equal(fetched?.status, 'found');
      const updatedAt =
        fetched?.status === 'found' ? String(fetched.node.updatedAt) : '';
      assert.ok(updatedAt, 'the node carries updatedAt');
      const [record] = await sessionsFor(opened.id);
      assert.equal(
        salesforceSeconds(String(record?.Scope_Updated_At__c)),
        salesforceSeconds(updatedAt)
      );
      assert.equal(record?.Scenario_Name__c, 'Demo Catalog');
      assert.equal(scope.stats().signIns, 1);
    } finally {
      await scope.close();
    }
  });
});

// A session this processor wrote before needs no stored-session read when its link is unchanged
// (worker/written-sessions.ts), through both sandboxes: the write leaves the link fields and the owner
// out, so an admin's manual link made since stays; a changed link, a payload node, or another
// process (no memory) reads Salesforce as before; a remembered record deleted in Salesforce is written
// again in full.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createBatchProcessor } from '../../../connector/src/worker/index.ts';
import { MAPPING } from './helpers/fixtures.ts';
import {
  collectionsUpserts,
  eventFor,
  launchLink,
  runToCompletion,
  startHarness
} from './helpers/sandboxes.ts';
import type { Harness, SalesforceLogEntry } from './helpers/sandboxes.ts';
import { adminToken, linkManually } from '../../support/link-manually.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());
beforeEach(() => h.reset());

const sessionsFor = async (scopeId: string) =>
  (await h.sessions()).filter((s) => s.Scope_Id__c === scopeId);

/** SOQL queries in the request log: the work-order lookup, and the stored-session read if any. */
const queries = (log: SalesforceLogEntry[]) =>
  log.filter((r) => r.method === 'GET' && r.path.endsWith('/query')).length;
const LOOKUP_ONLY = 1;
const LOOKUP_AND_READ = 2;

/** Another process on the same org: no memory of what this one wrote. */
const freshProcessor = () =>
  createBatchProcessor({
    scope: h.scopeClient,
    salesforce: h.salesforceClient,
    mapping: MAPPING
  });

async function writtenOnce(number: string) {
  const opened = await h.scope.open(
    launchLink({ asset: 'PUMP-100', work_order_number: number })
  );
  const [first] = await h.processor.process([eventFor(opened)]);
  assert.equal(first?.status, 'written', first?.reason);
  const [record] = await sessionsFor(opened.id);
  assert.ok(record, 'written');
  return { opened, record };
}

describe('sessions this process wrote', () => {
  it('are written again without reading their stored state, and still update', async () => {
    const { opened, record } = await writtenOnce('00000101');
    assert.equal(record.Link_Status__c, 'Matched');
    await runToCompletion(h.scope);
    await h.clearCounters();
    const [again] = await h.processor.process([eventFor(opened)]);
    assert.equal(again?.status, 'written', again?.reason);
    const log = await h.salesforceRequests();
    assert.equal(queries(log), LOOKUP_ONLY, 'no stored-session read');
    const [updated] = await sessionsFor(opened.id);
    assert.equal(updated?.State__c, 'COMPLETED');
    assert.equal(updated?.Work_Order__c, record.Work_Order__c);
    assert.equal(updated?.Link_Status__c, 'Matched');
    const [upsert] = collectionsUpserts(log, 'Scope_AR_Session__c');
    assert.ok(upsert, 'one upsert');
  });

  it('keep a manual link an admin made after the write', async () => {
    const target = await h.workOrder('00000102');
    const { opened, record } = await writtenOnce('00000101');
    await linkManually(h.salesforce, String(record.Id), target.Id);
    await runToCompletion(h.scope);
    await h.clearCounters();
    const [again] = await h.processor.process([eventFor(opened)]);
    assert.equal(again?.status, 'written', again?.reason);
    assert.equal(queries(await h.salesforceRequests()), LOOKUP_ONLY);
    const [kept] = await sessionsFor(opened.id);
    assert.equal(kept?.Link_Status__c, 'Linked manually');
    assert.equal(kept?.Work_Order__c, target.Id);
    assert.equal(kept?.State__c, 'COMPLETED', 'the session still updates');
  });

  it('read the stored state when their link changed, and keep a manual link made meanwhile', async () => {
    const target = await h.workOrder('00000102');
    const { opened, record } = await writtenOnce('00000777');
    assert.equal(record.Link_Status__c, 'Unmatched');
    await linkManually(h.salesforce, String(record.Id), target.Id);
    // the work order the session names now exists: the computed link is no longer the one written
    const created = await fetch(
      `${h.salesforce.url}/sandbox/records/WorkOrder`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ WorkOrderNumber: '00000777', Subject: 'Later' })
      }
    );
    assert.ok(created.ok, `fixture work order: ${created.status}`);
    await runToCompletion(h.scope);
    await h.clearCounters();
    const [again] = await h.processor.process([eventFor(opened)]);
    assert.equal(again?.status, 'written', again?.reason);
    assert.equal(
      queries(await h.salesforceRequests()),
      LOOKUP_AND_READ,
      'read: the link changed'
    );
    const [kept] = await sessionsFor(opened.id);
    assert.equal(kept?.Link_Status__c, 'Linked manually');
    assert.equal(kept?.Work_Order__c, target.Id);
  });

  it('are read by a process that did not write them, which keeps the manual link too', async () => {
    const target = await h.workOrder('00000102');
    const { opened, record } = await writtenOnce('00000101');
    await linkManually(h.salesforce, String(record.Id), target.Id);
    await runToCompletion(h.scope);
    await h.clearCounters();
    const [again] = await freshProcessor().process([eventFor(opened)]);
    assert.equal(again?.status, 'written', again?.reason);
    assert.equal(queries(await h.salesforceRequests()), LOOKUP_AND_READ);
    const [kept] = await sessionsFor(opened.id);
    assert.equal(kept?.Link_Status__c, 'Linked manually');
    assert.equal(kept?.Work_Order__c, target.Id);
  });

  it('are written again in full when Salesforce no longer holds them', async () => {
    const { opened, record } = await writtenOnce('00000101');
    const deleted = await fetch(
      `${h.salesforce.url}/services/data/v${h.salesforce.apiVersion}/sobjects/Scope_AR_Session__c/${String(record.Id)}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${await adminToken(h.salesforce)}` }
      }
    );
    assert.equal(deleted.status, 204);
    assert.equal((await sessionsFor(opened.id)).length, 0);
    await runToCompletion(h.scope);
    await h.clearCounters();
    const [again] = await h.processor.process([eventFor(opened)]);
    assert.equal(again?.status, 'written', again?.reason);
    const [back] = await sessionsFor(opened.id);
    assert.equal(back?.Work_Order__c, record.Work_Order__c, 'with its link');
    assert.equal(back?.Link_Status__c, 'Matched');
    assert.equal(back?.State__c, 'COMPLETED');
    assert.equal(
      collectionsUpserts(await h.salesforceRequests(), 'Scope_AR_Session__c')
        .length,
      2,
      'created without its links, then written again in full'
    );
  });
});

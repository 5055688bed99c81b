// Technicians as Salesforce users, through both sandboxes: the Scope user's email finds the active
// Salesforce user, who becomes the Technician User and the owner when Salesforce lets them own it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  collectionsUpserts,
  eventFor,
  launchLink,
  runToCompletion,
  startHarness
} from './helpers/sandboxes.ts';
import type { Harness } from './helpers/sandboxes.ts';

/** Scope's technicians (sandboxes/scope/seed/fixtures.ts). */
const ALEX = 601;
const PRIYA = 602;
const JORDAN = 603;
const MARIA = 604;

let h: Harness;
let integrationUserId: string;
const users = new Map<string, string>();

before(async () => {
  h = await startHarness({ technicians: { match: 'email', owner: true } });
});
after(async () => h.close());
beforeEach(async () => {
  await h.reset();
  const rows = await h.salesforceClient.query<{
    Id: string;
    Username: string;
  }>('test', 'SELECT Id, Username FROM User');
  users.clear();
  for (const row of rows) users.set(row.Username.split('@')[0] ?? '', row.Id);
  integrationUserId = users.get('integration') ?? '';
  await h.clearCounters();
});

async function sessionRunBy(userId: number, number = '00000101') {
  const opened = await h.scope.open(
    launchLink({ asset: 'PUMP-100', work_order_number: number }),
    { userId }
  );
  await runToCompletion(h.scope);
  const [outcome] = await h.processor.process([eventFor(opened)]);
  assert.equal(outcome?.status, 'written', outcome?.reason);
  const record = (await h.sessions()).find((s) => s.Scope_Id__c === opened.id);
  assert.ok(record, 'the session is in Salesforce');
  return { opened, record };
}

describe('technicians as Salesforce users', () => {
  it('links the session to the user with the Scope email and makes them its owner', async () => {
    const { record } = await sessionRunBy(ALEX);
    assert.equal(record.Technician__c, 'Alex Kim');
    assert.equal(record.Technician_Email__c, 'alex.kim@sandbox.scopear.test');
    assert.equal(record.Technician_User__c, users.get('alex.kim'));
    assert.equal(
      record.OwnerId,
      users.get('alex.kim'),
      '"My Sessions" lists it for Alex'
    );
    assert.equal(record.CreatedById, integrationUserId);
    const queries = (await h.salesforceRequests()).filter(
      (r) => r.method === 'GET' && r.path.endsWith('/query')
    );
    assert.equal(
      queries.length,
      3,
      'the work orders, the stored sessions and one User query for the batch'
    );
  });

  it('keeps the owner on later writes without trying to change it', async () => {
    const { opened } = await sessionRunBy(PRIYA);
    await h.clearCounters();
    const [again] = await h.processor.process([eventFor(opened)]);
    assert.equal(again?.status, 'written', again?.reason);
    const record = (await h.sessions()).find(
      (s) => s.Scope_Id__c === opened.id
    );
    assert.equal(record?.OwnerId, users.get('priya.natarajan'));
    const upserts = collectionsUpserts(
      await h.salesforceRequests(),
      'Scope_AR_Session__c'
    );
    assert.equal(upserts.length, 1);
    assert.equal(upserts[0]?.status, 200, 'no owner change was attempted');
  });

  it('a user who cannot read sessions is the Technician User, but the connector keeps owning the record', async () => {
    const { record } = await sessionRunBy(MARIA);
    assert.equal(record.Technician_User__c, users.get('maria.gonzalez'));
    assert.equal(record.OwnerId, integrationUserId);
    const upserts = collectionsUpserts(
      await h.salesforceRequests(),
      'Scope_AR_Session__c'
    );
    assert.equal(
      upserts.length,
      2,
      'refused with TRANSFER_REQUIRES_READ, then written without the owner'
    );

    await h.clearCounters();
    const { record: next } = await sessionRunBy(MARIA, '00000102');
    assert.equal(next.Technician_User__c, users.get('maria.gonzalez'));
    assert.equal(next.OwnerId, integrationUserId);
    const later = collectionsUpserts(
      await h.salesforceRequests(),
      'Scope_AR_Session__c'
    );
    assert.deepEqual(
      later.map((u) => u.status),
      [200],
      'the refused owner is not offered again: one write, no refusal'
    );
  });

  it('an inactive user is no match: the name and email stay as text', async () => {
    const { record } = await sessionRunBy(JORDAN);
    assert.equal(record.Technician__c, 'Jordan Lee');
    assert.equal(record.Technician_Email__c, 'jordan.lee@sandbox.scopear.test');
    assert.equal(record.Technician_User__c, null);
    assert.equal(record.OwnerId, integrationUserId);
  });

  it('two active users with the email are no match either', async () => {
    const response = await fetch(`${h.salesforce.url}/sandbox/records/User`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        FirstName: 'Alex',
        LastName: 'Kim (test)',
        Username: 'alex.kim.test@worklink.sandbox',
        Email: 'Alex.Kim@sandbox.scopear.test',
        IsActive: true
      })
    });
    assert.ok(response.ok, `fixture user: ${response.status}`);
    const { record } = await sessionRunBy(ALEX);
    assert.equal(record.Technician_User__c, null);
    assert.equal(record.OwnerId, integrationUserId);
  });
});

describe('technicians off (SF_TECHNICIAN_MATCH=off)', () => {
  let off: Harness;
  before(async () => {
    off = await startHarness();
  });
  after(async () => off.close());

  it('writes the name and email only, and makes no User query', async () => {
    const opened = await off.scope.open(
      launchLink({ asset: 'PUMP-100', work_order_number: '00000101' }),
      { userId: ALEX }
    );
    await runToCompletion(off.scope);
    const [outcome] = await off.processor.process([eventFor(opened)]);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    const record = (await off.sessions()).find(
      (s) => s.Scope_Id__c === opened.id
    );
    assert.equal(record?.Technician_Email__c, 'alex.kim@sandbox.scopear.test');
    assert.equal(record?.Technician_User__c ?? null, null);
    const userQueries = (await off.salesforceRequests()).filter(
      (r) => r.method === 'GET' && r.path.endsWith('/query')
    );
    assert.equal(
      userQueries.length,
      2,
      'the work orders and the stored sessions only'
    );
  });
});

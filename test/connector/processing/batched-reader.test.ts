// Queries started together share one Composite call (salesforce/batched-reader.ts), against the
// Salesforce sandbox: one API call in the org's usage, each query answered (or refused) on its own,
// further pages read as usual, at most five queries in one call.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { sandboxSalesforceClient } from '../../support/sandbox-salesforce-client.ts';
import type { SalesforceClient } from '../../../connector/src/salesforce/index.ts';
import { SalesforceApiError } from '../../../connector/src/salesforce/salesforce-error.ts';
import type { SalesforceLogEntry } from './helpers/sandboxes.ts';

let sf: SalesforceSandbox;
let client: SalesforceClient;

const SCOPE_ID = 'Z2lkOi8vc2NvcGUvU2NlbmFyaW9TZXNzaW9uLzQy+/=_-';

async function requests(): Promise<SalesforceLogEntry[]> {
  const response = await fetch(`${sf.url}/sandbox/requests`);
  return (await response.json()) as SalesforceLogEntry[];
}

async function clearLog(): Promise<void> {
  await fetch(`${sf.url}/sandbox/requests`, { method: 'DELETE' });
}

before(async () => {
  sf = await startSalesforceSandbox({ port: 0 });
  client = sandboxSalesforceClient(sf, { batchReads: true });
  await client.ping();
});
after(() => sf?.close());
beforeEach(clearLog);

const calls = async () =>
  (await requests()).filter((r) => !r.path.includes('/oauth2/'));

describe('batched reads', () => {
  it('sends two queries started together as ONE Composite call', async () => {
    const before = client.apiUsage()?.used ?? 0;
    const [workOrders, users] = await Promise.all([
      client.query<{ WorkOrderNumber: string }>(
        'workOrders',
        "SELECT Id, WorkOrderNumber FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
      ),
      client.query<{ Username: string }>(
        'users',
        'SELECT Id, Username FROM User'
      )
    ]);
    assert.deepEqual(
      workOrders.map((w) => w.WorkOrderNumber),
      ['00000101']
    );
    assert.ok(users.length >= 4, 'the seeded users');
    assert.ok(
      users.every((u) => !('attributes' in u)),
      'records without their envelope, as a query alone returns them'
    );
    const log = await calls();
    assert.equal(log.length, 1);
    assert.equal(log[0]?.method, 'POST');
    assert.match(log[0]?.path ?? '', /\/composite$/);
    assert.deepEqual(
      log[0]?.subrequests?.map((s) => [s.method, s.status]),
      [
        ['GET', 200],
        ['GET', 200]
      ]
    );
    assert.equal(client.apiUsage()?.used, before + 1, 'Sforce-Limit-Info');
  });

  it('sends a query alone as it is', async () => {
    await client.query('users', 'SELECT Id FROM User');
    const log = await calls();
    assert.equal(log.length, 1);
    assert.equal(log[0]?.method, 'GET');
    assert.match(log[0]?.path ?? '', /\/query$/);
  });

  it('refuses one query without failing the other', async () => {
    const [bad, good] = await Promise.allSettled([
      client.query('broken', 'SELECT Id FROM WorkOrder WHERE'),
      client.query<{ Id: string }>('users', 'SELECT Id FROM User')
    ]);
    assert.equal(bad.status, 'rejected');
    assert.ok(
      bad.status === 'rejected' && bad.reason instanceof SalesforceApiError
    );
    assert.equal(
      bad.status === 'rejected' && (bad.reason as SalesforceApiError).errorCode,
      'MALFORMED_QUERY',
      'the error the query alone gets'
    );
    assert.equal(good.status, 'fulfilled');
    assert.ok(good.status === 'fulfilled' && good.value.length >= 4);
    assert.equal((await calls()).length, 1);
  });

  it('puts at most five queries in one call', async () => {
    const answers = await Promise.all(
      Array.from({ length: 7 }, (_, n) =>
        client.query<{ Id: string }>(`q${n}`, 'SELECT Id FROM User LIMIT 1')
      )
    );
    assert.ok(answers.every((a) => a.length === 1));
    const log = await calls();
    assert.deepEqual(
      log.map((r) => r.subrequests?.length ?? 1).sort(),
      [2, 5],
      'five in one Composite call, two in another'
    );
  });

  it('reads the further pages of a long answer with queryMore', async () => {
    const records = Array.from({ length: 2100 }, (_, i) => ({
      Scope_Id__c: `${SCOPE_ID}-page-${i}`,
      Kind__c: 'Scenario Session',
      Scenario_Name__c: `Séance ${i} — 密封 ✓`
    }));
    for (let i = 0; i < records.length; i += 200) {
      const results = await client.upsertSessions(
        records.slice(i, i + 200) as never
      );
      assert.ok(
        results.every((r) => r.success),
        JSON.stringify(results.find((r) => !r.success))
      );
    }
    await clearLog();
    const [sessions, users] = await Promise.all([
      client.query<{ Scope_Id__c: string }>(
        'sessions',
        "SELECT Scope_Id__c FROM Scope_AR_Session__c WHERE Scope_Id__c LIKE '%-page-%'"
      ),
      client.query('users', 'SELECT Id FROM User')
    ]);
    assert.equal(sessions.length, 2100);
    assert.equal(new Set(sessions.map((s) => s.Scope_Id__c)).size, 2100);
    assert.ok(users.length >= 4);
    const log = await calls();
    assert.equal(log.length, 2, 'the Composite call, then one queryMore');
    assert.match(log[1]?.path ?? '', /\/query\/[^/]+$/);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  API_VERSION,
  control,
  rejection,
  connectedSandbox
} from './helpers.ts';
import { idChecksum } from '../../../sandboxes/salesforce/store/ids.ts';

type Session = {
  Id: string;
  Name: string;
  Scope_Id__c: string;
  State__c: string | null;
  Started_At__c: string | null;
};

describe('record CRUD', () => {
  const setup = connectedSandbox({ seed: { closedWorkOrders: 0 } });

  it('keeps a dateTime to the second, as Salesforce does: milliseconds sent are dropped', async () => {
    const created = await setup.conn.sobject('Scope_AR_Session__c').create({
      Scope_Id__c: 'crud-ms-Ü/+=',
      Started_At__c: '2025-03-01T10:00:07.999+01:00'
    });
    const record = (await setup.conn
      .sobject('Scope_AR_Session__c')
      .retrieve(created.id ?? '')) as unknown as Session;
    assert.equal(record.Started_At__c, '2025-03-01T09:00:07.000+0000');
  });

  it('creates, retrieves, updates and deletes a record', async () => {
    const created = await setup.conn.sobject('Scope_AR_Session__c').create({
      Scope_Id__c: 'crud-1',
      Kind__c: 'Call',
      Started_At__c: '2025-03-01T10:00:00Z'
    });
    assert.equal(created.success, true);
    assert.match(created.id ?? '', /^a0X\w{15}$/);
    const record = (await setup.conn
      .sobject('Scope_AR_Session__c')
      .retrieve(created.id ?? '')) as unknown as Session;
    assert.equal(record.Scope_Id__c, 'crud-1');
    assert.equal(record.Started_At__c, '2025-03-01T10:00:00.000+0000');
    assert.match(record.Name, /^SAR-\d{8}$/);
    assert.equal(record.State__c, null);

    const updated = await setup.conn
      .sobject('Scope_AR_Session__c')
      .update({ Id: created.id ?? '', State__c: 'ended' });
    assert.equal(updated.success, true);
    const again = (await setup.conn
      .sobject('Scope_AR_Session__c')
      .retrieve(created.id ?? '')) as unknown as Session;
    assert.equal(again.State__c, 'ended');

    // WorkLink_Integration grants no delete, so the integration user cannot delete sessions.
    const denied = await rejection(
      setup.conn.sobject('Scope_AR_Session__c').destroy(created.id ?? '')
    );
    assert.equal(denied.errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('accepts 15-character Ids and returns the 18-character form', async () => {
    const created = await setup.conn
      .sobject('Scope_AR_Session__c')
      .create({ Scope_Id__c: 'crud-15' });
    const id18 = created.id ?? '';
    const record = (await setup.conn
      .sobject('Scope_AR_Session__c')
      .retrieve(id18.slice(0, 15))) as unknown as Session;
    assert.equal(record.Id, id18);
  });

  it('retrieves many records with one sObject Collections call, null for missing ones', async () => {
    const created = await setup.conn
      .sobject('Scope_AR_Session__c')
      .create([{ Scope_Id__c: 'many-1' }, { Scope_Id__c: 'many-2' }]);
    const ids = created.map((c) => (c.success ? c.id : ''));
    await control(setup.sandbox, 'DELETE', '/requests');
    const missing = 'a0X8d000000ZZZZ';
    const records = (await setup.conn
      .sobject('Scope_AR_Session__c')
      .retrieve([...ids, missing], {
        fields: ['Scope_Id__c']
      })) as unknown as (Session | null)[];
    assert.deepEqual(
      records.map((r) => r?.Scope_Id__c ?? null),
      ['many-1', 'many-2', null]
    );
    const log = (await control(setup.sandbox, 'GET', '/requests')) as {
      method: string;
      path: string;
      records: number;
    }[];
    assert.deepEqual(
      log.map((l) => [l.method, l.path, l.records]),
      [
        [
          'POST',
          `/services/data/v${API_VERSION}/composite/sobjects/Scope_AR_Session__c`,
          3
        ]
      ]
    );
    // The GET form of the same resource.
    const viaGet = (await setup.conn.request(
      `/composite/sobjects/Scope_AR_Session__c?ids=${ids.join(',')}&fields=Id,Scope_Id__c`
    )) as { Scope_Id__c: string }[];
    assert.deepEqual(
      viaGet.map((r) => r.Scope_Id__c),
      ['many-1', 'many-2']
    );
  });

  it('creates and updates with sObject Collections', async () => {
    const created = await setup.conn
      .sobject('Scope_AR_Session__c')
      .create(
        [{ Scope_Id__c: 'col-1' }, { Scope_Id__c: 'col-2', Kind__c: 'Nope' }],
        { allOrNone: false }
      );
    assert.equal(created[0]?.success, true);
    assert.equal(created[1]?.success, false);
    const id = created[0]?.success ? created[0].id : '';
    const updated = await setup.conn.sobject('Scope_AR_Session__c').update([
      { Id: id, State__c: 'x' },
      { Id: `a0X8d000000ZZZZ${idChecksum('a0X8d000000ZZZZ')}`, State__c: 'y' }
    ]);
    assert.equal(updated[0]?.success, true);
    assert.equal(updated[1]?.success, false);
    // Collections results carry `statusCode` (not errorCode), exactly as Salesforce sends them.
    const failure = updated[1] as unknown as {
      errors: { statusCode: string }[];
    };
    assert.equal(failure.errors[0]?.statusCode, 'ENTITY_IS_DELETED');
  });

  it('answers MALFORMED_ID for an Id with a wrong checksum and NOT_FOUND for an Id of another type', async () => {
    const malformed = await rejection(
      setup.conn.sobject('WorkOrder').retrieve('0WO8d0000000001ZZZ')
    );
    assert.equal(malformed.errorCode, 'MALFORMED_ID');
    const assets = await setup.conn.query<{ Id: string }>(
      'SELECT Id FROM Asset LIMIT 1'
    );
    const wrongType = await rejection(
      setup.conn.sobject('WorkOrder').retrieve(assets.records[0]?.Id ?? '')
    );
    assert.equal(wrongType.errorCode, 'NOT_FOUND');
  });
});

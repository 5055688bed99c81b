import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  API_VERSION,
  connect,
  control,
  rejection,
  startSandbox
} from './helpers.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

type LogEntry = {
  method: string;
  path: string;
  records: number;
  status: number;
};
type UpsertResult = {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
};

describe('upsert by external id', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  let workOrderId: string;
  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 0 } });
    conn = await connect(sandbox);
    const wo = await conn.query<{ Id: string }>(
      "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
    );
    workOrderId = wo.records[0]?.Id ?? '';
  });
  beforeEach(() => control(sandbox, 'DELETE', '/requests'));
  after(() => sandbox.close());

  const sessions = () => conn.sobject('Scope_AR_Session__c');

  it('single upsert answers 201 created, then 200 with created:false', async () => {
    const created = await sessions().upsert(
      { Scope_Id__c: 'single-1', Kind__c: 'Call', Work_Order__c: workOrderId },
      'Scope_Id__c'
    );
    assert.equal(created.success, true);
    assert.equal((created as UpsertResult).created, true);
    const updated = await sessions().upsert(
      { Scope_Id__c: 'single-1', State__c: 'ended' },
      'Scope_Id__c'
    );
    assert.equal((updated as UpsertResult).created, false);
    assert.equal(updated.id, created.id);
    const log = (await control(sandbox, 'GET', '/requests')) as LogEntry[];
    assert.deepEqual(
      log.map((l) => [l.method, l.path, l.status]),
      [
        [
          'PATCH',
          `/services/data/v${API_VERSION}/sobjects/Scope_AR_Session__c/Scope_Id__c/single-1`,
          201
        ],
        [
          'PATCH',
          `/services/data/v${API_VERSION}/sobjects/Scope_AR_Session__c/Scope_Id__c/single-1`,
          200
        ]
      ]
    );
  });

  it('upserts many records in one sObject Collections call with per-record results', async () => {
    await sessions().upsert({ Scope_Id__c: 'many-existing' }, 'Scope_Id__c');
    await control(sandbox, 'DELETE', '/requests');
    const records = [
      { Scope_Id__c: 'many-existing', State__c: 'ended' },
      {
        Scope_Id__c: 'many-new-1',
        Kind__c: 'Scenario Session',
        Steps_Possible__c: 6,
        Steps_Viewed__c: 3,
        Percent_Steps_Viewed__c: 50
      },
      { Scope_Id__c: 'many-new-2', Kind__c: 'Not a kind' }
    ];
    const results = (await sessions().upsert(records, 'Scope_Id__c', {
      allOrNone: false
    })) as unknown as UpsertResult[];
    assert.equal(results.length, 3);
    assert.deepEqual(
      results.map((r) => [r.success, r.created]),
      [
        [true, false],
        [true, true],
        [false, undefined]
      ]
    );
    assert.equal(
      results[2]?.errors[0]?.statusCode,
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
    );
    assert.deepEqual(results[2]?.errors[0]?.fields, ['Kind__c']);
    const log = (await control(sandbox, 'GET', '/requests')) as LogEntry[];
    assert.deepEqual(
      log.map((l) => [l.method, l.path, l.records]),
      [
        [
          'PATCH',
          `/services/data/v${API_VERSION}/composite/sobjects/Scope_AR_Session__c/Scope_Id__c`,
          3
        ]
      ]
    );
  });

  it('rolls everything back with allOrNone when one record fails', async () => {
    const results = (await sessions().upsert(
      [
        { Scope_Id__c: 'aon-1' },
        { Scope_Id__c: 'aon-2', Scenario_Version__c: 'x'.repeat(81) }
      ],
      'Scope_Id__c',
      { allOrNone: true }
    )) as unknown as UpsertResult[];
    assert.equal(results[0]?.success, false);
    assert.equal(
      results[0]?.errors[0]?.statusCode,
      'ALL_OR_NONE_OPERATION_ROLLED_BACK'
    );
    assert.equal(results[1]?.errors[0]?.statusCode, 'STRING_TOO_LONG');
    const found = await conn.query(
      "SELECT Id FROM Scope_AR_Session__c WHERE Scope_Id__c IN ('aon-1', 'aon-2')"
    );
    assert.equal(found.totalSize, 0);
  });

  it('treats the case-sensitive external id as case-sensitive', async () => {
    const results = (await sessions().upsert(
      [{ Scope_Id__c: 'Case-A' }, { Scope_Id__c: 'case-a' }],
      'Scope_Id__c'
    )) as unknown as UpsertResult[];
    assert.deepEqual(
      results.map((r) => r.created),
      [true, true]
    );
  });

  it('reports the same external id twice in one call as DUPLICATE_VALUE', async () => {
    const results = (await sessions().upsert(
      [{ Scope_Id__c: 'dup-1' }, { Scope_Id__c: 'dup-1' }],
      'Scope_Id__c'
    )) as unknown as UpsertResult[];
    assert.deepEqual(
      results.map((r) => r.errors[0]?.statusCode),
      ['DUPLICATE_VALUE', 'DUPLICATE_VALUE']
    );
  });

  it('refuses more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      Scope_Id__c: `big-${i}`
    }));
    const error = await rejection(sessions().upsert(records, 'Scope_Id__c'));
    assert.equal(error.errorCode, 'EXCEEDED_ID_LIMIT');
  });

  it('200 records go through, and jsforce splits larger batches with allowRecursive', async () => {
    const records = Array.from({ length: 450 }, (_, i) => ({
      Scope_Id__c: `rec-${i}`,
      Kind__c: 'Call'
    }));
    const results = (await sessions().upsert(records, 'Scope_Id__c', {
      allowRecursive: true
    } as never)) as unknown as UpsertResult[];
    assert.equal(results.filter((r) => r.success).length, 450);
    const log = (await control(sandbox, 'GET', '/requests')) as LogEntry[];
    assert.deepEqual(
      log.map((l) => l.records),
      [200, 200, 50]
    );
  });

  it('answers NOT_FOUND for an unknown external id field and INVALID_FIELD for a non-external one', async () => {
    const unknown = await rejection(
      sessions().upsert({ Nope__c: 'x', State__c: 'y' }, 'Nope__c')
    );
    assert.equal(unknown.errorCode, 'NOT_FOUND');
    const notExternal = await rejection(
      sessions().upsert({ State__c: 'x' }, 'State__c')
    );
    assert.equal(notExternal.errorCode, 'INVALID_FIELD');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  UiApiError,
  createUiRecordService,
  toUiRecord
} from '../../demo/ui-record.ts';
import type {
  SalesforceReader,
  SObjectDescribe,
  SoqlRecord
} from '../../demo/salesforce-reader.ts';

const field = (
  name: string,
  relationshipName?: string,
  referenceTo: string[] = []
) => ({
  name,
  type: relationshipName ? 'reference' : 'string',
  relationshipName: relationshipName ?? null,
  referenceTo
});

const DESCRIBES: Record<string, SObjectDescribe> = {
  WorkOrder: {
    name: 'WorkOrder',
    fields: [
      field('Id'),
      field('WorkOrderNumber'),
      field('AssetId', 'Asset', ['Asset']),
      field('CaseId', 'Case', ['Case'])
    ]
  },
  Asset: {
    name: 'Asset',
    fields: [field('Id'), field('Name'), field('Scope_Asset_Id__c')]
  },
  Case: { name: 'Case', fields: [field('Id'), field('CaseNumber')] }
};

function fakeReader(rows: SoqlRecord[]) {
  const queries: string[] = [];
  const reader: SalesforceReader = {
    requestCount: () => queries.length,
    // Files (VersionData) are not part of these tests.
    download: async () => new Response(null, { status: 404 }),
    // The admin pages' calls (GraphQL, record update) are not part of these tests.
    graphql: async () => ({}),
    objectTypeOf: async () => undefined,
    updateRecord: async () => undefined,
    async query(soql) {
      queries.push(soql);
      return rows;
    },
    async describe(objectApiName) {
      const describe = DESCRIBES[objectApiName];
      if (!describe) throw new Error(`no describe for ${objectApiName}`);
      return describe;
    }
  };
  return { reader, queries };
}

const ROW = {
  attributes: {
    type: 'WorkOrder',
    url: '/services/data/v62.0/sobjects/WorkOrder/0WO8d0000000001AAA'
  },
  Id: '0WO8d0000000001AAA',
  WorkOrderNumber: '00000101',
  AssetId: '02i8d0000000001AAA',
  Asset: {
    attributes: { type: 'Asset' },
    Id: '02i8d0000000001AAA',
    Name: 'Pump',
    Scope_Asset_Id__c: 'PUMP-100'
  },
  Case: null
};

test('a SOQL row becomes a UI API record with nested relationship records', () => {
  const record = toUiRecord(ROW);
  assert.equal(record.apiName, 'WorkOrder');
  assert.equal(record.id, '0WO8d0000000001AAA');
  assert.deepEqual(record.fields.WorkOrderNumber, {
    displayValue: null,
    value: '00000101'
  });
  const asset = record.fields.Asset;
  assert.equal(asset?.displayValue, 'Pump');
  assert.ok(asset && typeof asset.value === 'object' && asset.value !== null);
  assert.equal((asset.value as { apiName: string }).apiName, 'Asset');
  assert.deepEqual((asset.value as { fields: object }).fields, {
    Id: { displayValue: null, value: '02i8d0000000001AAA' },
    Name: { displayValue: null, value: 'Pump' },
    Scope_Asset_Id__c: { displayValue: null, value: 'PUMP-100' }
  });
  assert.deepEqual(record.fields.Case, { displayValue: null, value: null });
  assert.equal('attributes' in record.fields, false);
});

test('getRecord selects required and readable optional fields, plus the Ids of relationships', async () => {
  const { reader, queries } = fakeReader([ROW]);
  const service = createUiRecordService(reader);
  await service.getRecord(
    '0WO8d0000000001AAA',
    ['WorkOrder.WorkOrderNumber'],
    [
      'WorkOrder.Asset.Scope_Asset_Id__c',
      'WorkOrder.Not_Visible__c',
      'WorkOrder.Case.CaseNumber'
    ]
  );
  assert.equal(
    queries[0],
    "SELECT Id, WorkOrderNumber, Asset.Scope_Asset_Id__c, Case.CaseNumber, Asset.Id, Case.Id FROM WorkOrder WHERE Id = '0WO8d0000000001AAA'"
  );
});

test('an unreadable required field fails the whole request, as the UI API does', async () => {
  const service = createUiRecordService(fakeReader([ROW]).reader);
  await assert.rejects(
    service.getRecord('0WO8d0000000001AAA', ['WorkOrder.Secret__c'], []),
    (error: unknown) => {
      assert.ok(error instanceof UiApiError);
      assert.equal(error.status, 400);
      assert.equal(error.errorCode, 'INVALID_FIELD');
      return true;
    }
  );
});

test('malformed ids and mixed objects are rejected before any query', async () => {
  const { reader, queries } = fakeReader([ROW]);
  const service = createUiRecordService(reader);
  await assert.rejects(
    service.getRecord("0WO' OR Id != '", ['WorkOrder.Id'], []),
    { errorCode: 'MALFORMED_ID' }
  );
  await assert.rejects(
    service.getRecord('0WO8d0000000001AAA', ['WorkOrder.Id', 'Case.Id'], []),
    {
      errorCode: 'INVALID_FIELD'
    }
  );
  assert.equal(queries.length, 0);
});

test('a record that does not exist is a 404', async () => {
  const service = createUiRecordService(fakeReader([]).reader);
  await assert.rejects(
    service.getRecord('0WO8d0000000009AAA', ['WorkOrder.Id'], []),
    { status: 404 }
  );
});

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, control, rejection, startSandbox } from './helpers.ts';
import { idChecksum } from '../../../sandboxes/salesforce/store/ids.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

type SaveError = { statusCode: string; message: string; fields: string[] };
type Result = { id?: string; success: boolean; errors: SaveError[] };

/** Each error code as jsforce surfaces it: single calls reject, Collections calls return per-record errors. */
describe('error codes', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  let ids: { workOrder: string; asset: string };
  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 0 } });
    conn = await connect(sandbox);
    const wo = await conn.query<{ Id: string; AssetId: string }>(
      "SELECT Id, AssetId FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
    );
    ids = {
      workOrder: wo.records[0]?.Id ?? '',
      asset: wo.records[0]?.AssetId ?? ''
    };
  });
  beforeEach(() =>
    control(sandbox, 'PUT', '/faults', {
      unavailable: false,
      lockRowIds: [],
      lockRowRate: 0,
      latencyMs: 0
    })
  );
  after(() => sandbox.close());

  const sessions = () => conn.sobject('Scope_AR_Session__c');
  const upsertOne = async (record: Record<string, unknown>) =>
    (
      (await sessions().upsert(
        [record as never],
        'Scope_Id__c'
      )) as unknown as Result[]
    )[0] as Result;

  it('INVALID_FIELD: a field the package does not define fails the whole request', async () => {
    const single = await rejection(
      sessions().create({ Scope_Id__c: 'e-1', Not_In_Package__c: 'x' })
    );
    assert.equal(single.errorCode, 'INVALID_FIELD');
    assert.equal(
      single.message,
      "No such column 'Not_In_Package__c' on sobject of type Scope_AR_Session__c"
    );
    const many = await rejection(
      sessions().upsert(
        [{ Scope_Id__c: 'e-2', Not_In_Package__c: 'x' }],
        'Scope_Id__c'
      )
    );
    assert.equal(many.errorCode, 'INVALID_FIELD');
  });

  it('INVALID_TYPE: an object that does not exist in SOQL', async () => {
    assert.equal(
      (await rejection(conn.query('SELECT Id FROM Session__c'))).errorCode,
      'INVALID_TYPE'
    );
  });

  it('STRING_TOO_LONG with the field label and max length', async () => {
    const result = await upsertOne({
      Scope_Id__c: 'e-3',
      State__c: 'x'.repeat(81)
    });
    assert.equal(result.errors[0]?.statusCode, 'STRING_TOO_LONG');
    assert.match(
      result.errors[0]?.message ?? '',
      /^State: data value too large: .* \(max length=80\)$/
    );
    assert.deepEqual(result.errors[0]?.fields, ['State__c']);
    const single = await rejection(
      sessions().create({ Scope_Id__c: 'x'.repeat(256) })
    );
    assert.equal(single.errorCode, 'STRING_TOO_LONG');
    assert.deepEqual((single.data as { fields: string[] }).fields, [
      'Scope_Id__c'
    ]);
  });

  it('REQUIRED_FIELD_MISSING when the required external id is absent', async () => {
    const error = await rejection(sessions().create({ State__c: 'x' }));
    assert.equal(error.errorCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(error.message, 'Required fields are missing: [Scope_Id__c]');
  });

  it('INVALID_CROSS_REFERENCE_KEY for a lookup to a missing record, FIELD_INTEGRITY_EXCEPTION for a record of the wrong type', async () => {
    const missing = `0WO8d000000ZZZZ${idChecksum('0WO8d000000ZZZZ')}`;
    const absent = await upsertOne({
      Scope_Id__c: 'e-4',
      Work_Order__c: missing
    });
    assert.equal(absent.errors[0]?.statusCode, 'INVALID_CROSS_REFERENCE_KEY');
    assert.deepEqual(absent.errors[0]?.fields, ['Work_Order__c']);
    const wrongType = await upsertOne({
      Scope_Id__c: 'e-5',
      Work_Order__c: ids.asset
    });
    assert.equal(wrongType.errors[0]?.statusCode, 'FIELD_INTEGRITY_EXCEPTION');
    assert.match(
      wrongType.errors[0]?.message ?? '',
      /id value of incorrect type: 02i/
    );
    assert.deepEqual(wrongType.errors[0]?.fields, ['Work_Order__c']);
    const ok = await upsertOne({
      Scope_Id__c: 'e-6',
      Work_Order__c: ids.workOrder.slice(0, 15)
    });
    assert.equal(ok.success, true);
    const stored = await conn.query<{ Work_Order__c: string }>(
      "SELECT Work_Order__c FROM Scope_AR_Session__c WHERE Scope_Id__c = 'e-6'"
    );
    assert.equal(stored.records[0]?.Work_Order__c, ids.workOrder);
  });

  it('MALFORMED_ID for a lookup value and a URL Id that are not Ids', async () => {
    const result = await upsertOne({
      Scope_Id__c: 'e-7',
      Case__c: 'not-an-id'
    });
    assert.equal(result.errors[0]?.statusCode, 'MALFORMED_ID');
    assert.equal(
      (await rejection(sessions().retrieve('a0X000000000000ZZZ'))).errorCode,
      'MALFORMED_ID'
    );
  });

  it('DUPLICATE_VALUE for a second record with the same unique value', async () => {
    await sessions().create({ Scope_Id__c: 'e-8' });
    const error = await rejection(sessions().create({ Scope_Id__c: 'e-8' }));
    assert.equal(error.errorCode, 'DUPLICATE_VALUE');
    assert.match(
      error.message,
      /^duplicate value found: Scope_Id__c duplicates value on record with id: a0X/
    );
  });

  it('NOT_FOUND for an unknown record, external id or resource', async () => {
    const missing = `a0X8d000000ZZZZ${idChecksum('a0X8d000000ZZZZ')}`;
    assert.equal(
      (await rejection(sessions().retrieve(missing))).errorCode,
      'NOT_FOUND'
    );
    assert.equal(
      (
        await rejection(
          conn.request('/sobjects/Scope_AR_Session__c/Scope_Id__c/nope')
        )
      ).errorCode,
      'NOT_FOUND'
    );
    assert.equal(
      (await rejection(conn.request('/nothing/here'))).errorCode,
      'NOT_FOUND'
    );
  });

  it('INVALID_FIELD_FOR_INSERT_UPDATE for fields that are not writable (AutoNumber Name, audit fields)', async () => {
    const result = await upsertOne({
      Scope_Id__c: 'e-9',
      Name: 'SAR-1',
      CreatedDate: '2024-01-01T00:00:00Z'
    });
    assert.equal(
      result.errors[0]?.statusCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
    assert.deepEqual(result.errors[0]?.fields, ['Name', 'CreatedDate']);
    assert.match(
      result.errors[0]?.message ?? '',
      /^Unable to create\/update fields: Name, CreatedDate\. Please check the security settings/
    );
  });

  it('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST and NUMBER_OUTSIDE_VALID_RANGE', async () => {
    const picklist = await rejection(
      sessions().create({ Scope_Id__c: 'e-10', Link_Status__c: 'Maybe' })
    );
    assert.equal(picklist.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.equal(
      picklist.message,
      'Link Status: bad value for restricted picklist field: Maybe'
    );
    const range = await upsertOne({
      Scope_Id__c: 'e-11',
      Percent_Steps_Viewed__c: 1000
    });
    assert.equal(range.errors[0]?.statusCode, 'NUMBER_OUTSIDE_VALID_RANGE');
  });

  it('JSON_PARSER_ERROR for a value of the wrong JSON type', async () => {
    const error = await rejection(
      sessions().create({ Scope_Id__c: 'e-12', Steps_Viewed__c: 'three' })
    );
    assert.equal(error.errorCode, 'JSON_PARSER_ERROR');
    const date = await rejection(
      sessions().create({ Scope_Id__c: 'e-13', Started_At__c: 'yesterday' })
    );
    assert.equal(date.errorCode, 'JSON_PARSER_ERROR');
  });

  it('UNABLE_TO_LOCK_ROW on the records named in lockRowIds', async () => {
    await sessions().upsert({ Scope_Id__c: 'locked' }, 'Scope_Id__c');
    await control(sandbox, 'PUT', '/faults', { lockRowIds: ['locked'] });
    const results = (await sessions().upsert(
      [
        { Scope_Id__c: 'locked', State__c: 'a' },
        { Scope_Id__c: 'free', State__c: 'b' }
      ],
      'Scope_Id__c'
    )) as unknown as Result[];
    assert.equal(results[0]?.errors[0]?.statusCode, 'UNABLE_TO_LOCK_ROW');
    assert.match(
      results[0]?.errors[0]?.message ?? '',
      /^unable to obtain exclusive access to this record or 1 records: a0X/
    );
    assert.equal(results[1]?.success, true);
    await control(sandbox, 'PUT', '/faults', { lockRowRate: 1 });
    const all = (await sessions().upsert(
      [{ Scope_Id__c: 'free', State__c: 'c' }],
      'Scope_Id__c'
    )) as unknown as Result[];
    assert.equal(all[0]?.errors[0]?.statusCode, 'UNABLE_TO_LOCK_ROW');
  });

  it('503 SERVER_UNAVAILABLE while the outage switch is on (jsforce retries 503 by itself)', async () => {
    await control(sandbox, 'DELETE', '/requests');
    await control(sandbox, 'PUT', '/faults', { unavailable: true });
    const raw = await fetch(
      `${sandbox.url}/services/data/v62.0/query?q=SELECT+Id+FROM+WorkOrder`,
      {
        headers: { authorization: `Bearer ${conn.accessToken}` }
      }
    );
    assert.equal(raw.status, 503);
    assert.equal(
      ((await raw.json()) as { errorCode: string }[])[0]?.errorCode,
      'SERVER_UNAVAILABLE'
    );
    // jsforce queries are lazy thenables: resolving one inside an async function sends it now.
    const pending = (async () => conn.query('SELECT Id FROM WorkOrder'))();
    const deadline = Date.now() + 10_000;
    let seen = 0;
    while (seen < 2 && Date.now() < deadline) {
      const log = (await control(sandbox, 'GET', '/requests')) as {
        status: number;
      }[];
      seen = log.filter((l) => l.status === 503).length;
    }
    assert.ok(seen >= 2, 'jsforce hit the outage');
    await control(sandbox, 'PUT', '/faults', { unavailable: false });
    assert.ok((await pending).totalSize > 0);
  });

  it('403 REQUEST_LIMIT_EXCEEDED once the daily allowance is spent, with Sforce-Limit-Info on every response', async () => {
    await conn.query('SELECT Id FROM WorkOrder LIMIT 1');
    assert.ok(conn.limitInfo.apiUsage && conn.limitInfo.apiUsage.used > 0);
    await control(sandbox, 'PUT', '/faults', { apiLimit: 10, apiUsage: 9 });
    await conn.query('SELECT Id FROM WorkOrder LIMIT 1');
    assert.deepEqual(conn.limitInfo.apiUsage, { used: 10, limit: 10 });
    const error = await rejection(
      conn.query('SELECT Id FROM WorkOrder LIMIT 1')
    );
    assert.equal(error.errorCode, 'REQUEST_LIMIT_EXCEEDED');
    const raw = await fetch(`${sandbox.url}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${conn.accessToken}` }
    });
    assert.equal(raw.status, 403);
    assert.equal(raw.headers.get('sforce-limit-info'), 'api-usage=10/10');
    await control(sandbox, 'PUT', '/faults', { apiLimit: 100000, apiUsage: 0 });
  });
});

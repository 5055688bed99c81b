import { after, before, describe, it } from 'node:test';
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

type WorkOrderRow = {
  Id: string;
  WorkOrderNumber: string;
  Asset: { Name: string; Scope_Asset_Id__c: string | null } | null;
  WorkLink_Expert__r: { Name: string; WorkLink_Call_Link__c: string } | null;
  Case: { CaseNumber: string } | null;
};

describe('SOQL', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 40 } });
    conn = await connect(sandbox);
  });
  after(() => sandbox.close());

  it('returns parent relationship fields as nested records, null when the lookup is empty', async () => {
    const result = await conn.query<WorkOrderRow>(
      "SELECT Id, WorkOrderNumber, Asset.Name, Asset.Scope_Asset_Id__c, Case.CaseNumber, WorkLink_Expert__r.Name, WorkLink_Expert__r.WorkLink_Call_Link__c FROM WorkOrder WHERE WorkOrderNumber IN ('00000101', '00000105') ORDER BY WorkOrderNumber"
    );
    assert.equal(result.totalSize, 2);
    assert.equal(result.done, true);
    const [first, second] = result.records;
    assert.deepEqual((first as unknown as { attributes: unknown }).attributes, {
      type: 'WorkOrder',
      url: `/services/data/v${API_VERSION}/sobjects/WorkOrder/${first?.Id}`
    });
    assert.equal(first?.Asset?.Name, 'Centrifugal Pump P-100');
    assert.equal(first?.Asset?.Scope_Asset_Id__c, 'PUMP-100');
    assert.equal(first?.Case?.CaseNumber, '00001001');
    assert.equal(first?.WorkLink_Expert__r?.Name, 'Dana Reyes');
    assert.equal(
      first?.WorkLink_Expert__r?.WorkLink_Call_Link__c,
      'worklink://resource?action=fetch_user&user=501'
    );
    assert.equal(second?.Asset, null);
    assert.equal(second?.WorkLink_Expert__r, null);
  });

  it('evaluates AND/OR with parentheses, IN, comparison operators, LIMIT and ORDER BY DESC', async () => {
    const result = await conn.query<WorkOrderRow>(
      "SELECT WorkOrderNumber FROM WorkOrder WHERE (Status = 'Closed' OR Status = 'New') AND Priority IN ('High', 'Low') AND WorkOrderNumber >= '00000103' ORDER BY WorkOrderNumber DESC LIMIT 3"
    );
    const all = await conn.query<
      WorkOrderRow & { Status: string; Priority: string }
    >('SELECT WorkOrderNumber, Status, Priority FROM WorkOrder');
    const expected = all.records
      .filter(
        (r) =>
          ['Closed', 'New'].includes(r.Status) &&
          ['High', 'Low'].includes(r.Priority) &&
          r.WorkOrderNumber >= '00000103'
      )
      .map((r) => r.WorkOrderNumber)
      .sort()
      .reverse()
      .slice(0, 3);
    assert.equal(expected.length, 3);
    assert.deepEqual(
      result.records.map((r) => r.WorkOrderNumber),
      expected
    );
  });

  it('compares strings case-insensitively, ids in 15 or 18 characters, nulls and datetimes', async () => {
    const wo = await conn.query<WorkOrderRow>(
      "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000102'"
    );
    const id = wo.records[0]?.Id ?? '';
    const by15 = await conn.query(
      `SELECT Id FROM WorkOrder WHERE Id = '${id.slice(0, 15)}'`
    );
    assert.equal(by15.totalSize, 1);
    const ci = await conn.query(
      "SELECT Id FROM Asset WHERE Name = 'centrifugal pump p-100'"
    );
    assert.equal(ci.totalSize, 1);
    const noCase = await conn.query(
      "SELECT Id FROM WorkOrder WHERE CaseId = null AND Status != 'Closed'"
    );
    assert.equal(noCase.totalSize, 4);
    const recent = await conn.query(
      'SELECT Id FROM WorkOrder WHERE CreatedDate > 2000-01-01T00:00:00Z'
    );
    assert.equal(recent.totalSize, 45);
    const last30 = await conn.query<{ CreatedDate: string }>(
      "SELECT CreatedDate FROM WorkOrder WHERE Status = 'Closed' AND CreatedDate = LAST_N_DAYS:30"
    );
    const cutoff = Date.now() - 31 * 86_400_000;
    assert.ok(last30.totalSize > 0 && last30.totalSize < 40);
    assert.ok(
      last30.records.every(
        (r) => Date.parse(r.CreatedDate.replace('+0000', 'Z')) > cutoff
      )
    );
    const like = await conn.query(
      "SELECT Id FROM Asset WHERE Name LIKE '%generator%'"
    );
    assert.equal(like.totalSize, 1);
  });

  it('applies NOT to a parenthesised group and unescapes string literals', async () => {
    const open = await conn.query<{ Status: string }>(
      "SELECT Status FROM WorkOrder WHERE NOT (Status = 'Closed' OR Status = 'New')"
    );
    assert.deepEqual(
      open.records.map((r) => r.Status),
      ['In Progress']
    );
    await control(sandbox, 'POST', '/records/Asset', {
      Name: 'Operator\'s \\ "spare" pump'
    });
    const escaped = await conn.query<{ Name: string }>(
      "SELECT Name FROM Asset WHERE Name = 'Operator\\'s \\\\ \\\"spare\\\" pump'"
    );
    assert.equal(escaped.records[0]?.Name, 'Operator\'s \\ "spare" pump');
  });

  it('accepts only the documented escapes in string literals, and \\_ \\% only in LIKE', async () => {
    await control(sandbox, 'POST', '/records/Asset', [
      { Name: 'Tank 100% full' },
      { Name: 'Tank 1000 full' },
      { Name: 'valve_a' },
      { Name: 'valveXa' },
      { Name: 'Line\tfeed' }
    ]);
    const names = async (soql: string) =>
      (await conn.query<{ Name: string }>(soql)).records.map((r) => r.Name);
    assert.deepEqual(
      await names("SELECT Name FROM Asset WHERE Name LIKE 'Tank 100\\%%'"),
      ['Tank 100% full']
    );
    assert.deepEqual(
      (
        await names("SELECT Name FROM Asset WHERE Name LIKE 'Tank 100%'")
      ).sort(),
      ['Tank 100% full', 'Tank 1000 full']
    );
    assert.deepEqual(
      await names("SELECT Name FROM Asset WHERE Name LIKE 'valve\\_a'"),
      ['valve_a']
    );
    assert.deepEqual(
      await names("SELECT Name FROM Asset WHERE Name = 'Line\\Tfeed'"),
      ['Line\tfeed']
    );
    for (const soql of [
      "SELECT Name FROM Asset WHERE Name = 'valve\\_a'",
      "SELECT Name FROM Asset WHERE Name = 'Tank 100\\% full'",
      "SELECT Name FROM Asset WHERE Name = 'C:\\pumps'",
      "SELECT Name FROM Asset WHERE Name LIKE 'caf\\u00e9%'",
      "SELECT Name FROM Asset WHERE Id = '\\a0X000000000000'"
    ]) {
      const error = await rejection(conn.query(soql));
      assert.equal(error.errorCode, 'MALFORMED_QUERY', soql);
      assert.match(error.message, /Illegal character sequence/, soql);
    }
  });

  it('counts with COUNT()', async () => {
    const result = await conn.query(
      "SELECT COUNT() FROM WorkOrder WHERE Status = 'Closed'"
    );
    assert.equal(result.totalSize, 40);
    assert.deepEqual(result.records, []);
  });

  it('pages with nextRecordsUrl and queryMore (batchSize header)', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => ({
      Scope_Id__c: `page-${String(i).padStart(3, '0')}`,
      Kind__c: 'Call'
    }));
    await control(sandbox, 'POST', '/records/Scope_AR_Session__c', rows);
    const first = await conn.query<{ Scope_Id__c: string }>(
      "SELECT Scope_Id__c FROM Scope_AR_Session__c WHERE Scope_Id__c LIKE 'page-%' ORDER BY Scope_Id__c",
      {
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
        autoFetch: false
      } as never
    );
    assert.equal(first.totalSize, 450);
    assert.equal(first.done, false);
    assert.equal(first.records.length, 200);
    assert.match(
      first.nextRecordsUrl ?? '',
      new RegExp(`/services/data/v${API_VERSION}/query/01g\\w+-200$`)
    );
    // On the wire the locator URL is relative, as Salesforce sends it.
    const raw = (await conn.request({
      method: 'GET',
      url: `/query?q=${encodeURIComponent("SELECT Id FROM Scope_AR_Session__c WHERE Scope_Id__c LIKE 'page-%'")}`,
      headers: { 'Sforce-Query-Options': 'batchSize=200' }
    })) as { nextRecordsUrl: string };
    assert.match(
      raw.nextRecordsUrl,
      new RegExp(`^/services/data/v${API_VERSION}/query/01g\\w+-200$`)
    );
    const second = await conn.queryMore<{ Scope_Id__c: string }>(
      first.nextRecordsUrl ?? ''
    );
    assert.equal(second.records[0]?.Scope_Id__c, 'page-200');
    const third = await conn.queryMore<{ Scope_Id__c: string }>(
      second.nextRecordsUrl ?? ''
    );
    assert.equal(third.done, true);
    assert.equal(third.records.length, 50);
    assert.equal(third.nextRecordsUrl, undefined);

    const all = await conn.query<{ Scope_Id__c: string }>(
      "SELECT Scope_Id__c FROM Scope_AR_Session__c WHERE Scope_Id__c LIKE 'page-%'",
      {
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
        autoFetch: true,
        maxFetch: 1000
      } as never
    );
    assert.equal(all.records.length, 450);
    assert.equal(new Set(all.records.map((r) => r.Scope_Id__c)).size, 450);
  });

  it('answers MALFORMED_QUERY for unsupported or ambiguous SOQL, never a wrong answer', async () => {
    const queries = [
      'SELECT Status, COUNT(Id) FROM WorkOrder GROUP BY Status',
      'SELECT Id, (SELECT Id FROM Scope_AR_Sessions__r) FROM WorkOrder',
      "SELECT Id FROM WorkOrder WHERE Status = 'New' AND Priority = 'Low' OR Priority = 'High'",
      'SELECT Id FROM WorkOrder WHERE AssetId IN (SELECT Id FROM Asset)',
      'SELECT Id FROM WorkOrder WHERE CreatedDate = LAST_FISCAL_QUARTER',
      'SELECT FROM WorkOrder'
    ];
    for (const soql of queries) {
      const error = await rejection(conn.query(soql));
      assert.equal(error.errorCode, 'MALFORMED_QUERY', soql);
    }
  });

  it('answers INVALID_TYPE, INVALID_FIELD and INVALID_QUERY_FILTER_OPERATOR like an org', async () => {
    const type = await rejection(conn.query('SELECT Id FROM Scope_Session__c'));
    assert.equal(type.errorCode, 'INVALID_TYPE');
    assert.match(
      type.message,
      /sObject type 'Scope_Session__c' is not supported/
    );
    const field = await rejection(
      conn.query('SELECT Id, Nope__c FROM WorkOrder')
    );
    assert.equal(field.errorCode, 'INVALID_FIELD');
    assert.match(
      field.message,
      /No such column 'Nope__c' on entity 'WorkOrder'/
    );
    const relationship = await rejection(
      conn.query('SELECT Id, Expert__r.Name FROM WorkOrder')
    );
    assert.equal(relationship.errorCode, 'INVALID_FIELD');
    assert.match(
      relationship.message,
      /Didn't understand relationship 'Expert__r'/
    );
    const badId = await rejection(
      conn.query("SELECT Id FROM WorkOrder WHERE Id = 'nope'")
    );
    assert.equal(badId.errorCode, 'INVALID_QUERY_FILTER_OPERATOR');
    const quoted = await rejection(
      conn.query(
        "SELECT Id FROM Scope_AR_Session__c WHERE Steps_Viewed__c = '3'"
      )
    );
    assert.equal(quoted.errorCode, 'INVALID_QUERY_FILTER_OPERATOR');
    const longText = await rejection(
      conn.query(
        "SELECT Id FROM Scope_AR_Session__c WHERE External_Data__c = 'x'"
      )
    );
    assert.equal(longText.errorCode, 'INVALID_FIELD');
  });
});

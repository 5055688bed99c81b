// Formula fields of the package (WorkOrder.WorkLink_Closed_At__c and WorkLink_Resolution_Hours__c): the
// sandbox computes them from the record's own fields, answers them in SOQL (SELECT and WHERE), GET and
// describe, and refuses writes to them with Salesforce's INVALID_FIELD_FOR_INSERT_UPDATE.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectedSandbox, control, rejection } from './helpers.ts';

const t = connectedSandbox();

async function insertWorkOrder(fields: Record<string, unknown>) {
  const [row] = (await control(t.sandbox, 'POST', '/records/WorkOrder', {
    Subject: 'Pompe à chaleur – remplacement du compresseur 🔧',
    ...fields
  })) as { id?: string; errors: unknown[] }[];
  assert.ok(row?.id, JSON.stringify(row?.errors));
  return row.id;
}

describe('formula fields', () => {
  it('computes resolution hours and the close time of a completed work order with an End Date', async () => {
    const id = await insertWorkOrder({
      Status: 'Completed',
      CreatedDate: '2026-03-01T08:00:00.000+0000',
      EndDate: '2026-03-02T14:30:00.000+0000'
    });
    const rows = await t.conn.query<Record<string, unknown>>(
      `SELECT Id, WorkLink_Closed_At__c, WorkLink_Resolution_Hours__c FROM WorkOrder WHERE Id = '${id}'`
    );
    assert.equal(rows.records[0]?.WorkLink_Resolution_Hours__c, 30.5);
    assert.equal(
      Date.parse(String(rows.records[0]?.WorkLink_Closed_At__c)),
      Date.parse('2026-03-02T14:30:00Z')
    );
    const got = (await t.conn.sobject('WorkOrder').retrieve(id)) as Record<
      string,
      unknown
    >;
    assert.equal(got.WorkLink_Resolution_Hours__c, 30.5);
  });

  it('is blank while the work order is open and uses LastModifiedDate without an End Date', async () => {
    const open = await insertWorkOrder({ Status: 'In Progress' });
    const closed = await insertWorkOrder({
      Status: 'Closed',
      CreatedDate: '2026-01-10T00:00:00.000+0000'
    });
    const rows = await t.conn.query<Record<string, unknown>>(
      `SELECT Id, LastModifiedDate, WorkLink_Closed_At__c, WorkLink_Resolution_Hours__c FROM WorkOrder WHERE Id IN ('${open}', '${closed}')`
    );
    const byId = new Map(rows.records.map((r) => [r.Id, r]));
    assert.equal(byId.get(open)?.WorkLink_Closed_At__c, null);
    assert.equal(byId.get(open)?.WorkLink_Resolution_Hours__c, null);
    const row = byId.get(closed);
    assert.equal(
      Date.parse(String(row?.WorkLink_Closed_At__c)),
      Date.parse(String(row?.LastModifiedDate))
    );
    const expected =
      Math.round(
        ((Date.parse(String(row?.LastModifiedDate)) -
          Date.parse('2026-01-10T00:00:00Z')) /
          3_600_000) *
          100
      ) / 100;
    assert.equal(row?.WorkLink_Resolution_Hours__c, expected);
  });

  it('filters on a formula field in WHERE', async () => {
    const id = await insertWorkOrder({
      Status: 'Completed',
      CreatedDate: '2026-04-01T00:00:00.000+0000',
      EndDate: '2026-04-01T01:00:00.000+0000'
    });
    const rows = await t.conn.query<{ Id: string }>(
      'SELECT Id FROM WorkOrder WHERE WorkLink_Resolution_Hours__c = 1'
    );
    assert.deepEqual(
      rows.records.map((r) => r.Id),
      [id]
    );
  });

  it('refuses a write to the formula and describes it as calculated, not updateable', async () => {
    const id = await insertWorkOrder({
      Status: 'Completed',
      CreatedDate: '2026-05-01T00:00:00.000+0000',
      EndDate: '2026-05-01T06:00:00.000+0000'
    });
    const error = await rejection(
      t.conn
        .sobject('WorkOrder')
        .update({ Id: id, WorkLink_Resolution_Hours__c: 1 })
    );
    assert.equal(error.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    const describe = await t.conn.sobject('WorkOrder').describe();
    const field = describe.fields.find(
      (f) => f.name === 'WorkLink_Resolution_Hours__c'
    );
    assert.equal(field?.calculated, true);
    assert.equal(field?.updateable, false);
    const unchanged = (await t.conn
      .sobject('WorkOrder')
      .retrieve(id)) as Record<string, unknown>;
    assert.equal(unchanged.WorkLink_Resolution_Hours__c, 6);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  SANDBOX_ADMIN_USERNAME,
  SANDBOX_PASSWORD,
  SANDBOX_USERNAME
} from '../../../sandboxes/salesforce/index.ts';
import { control, loginBySoap, rejection, startSandbox } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const CLOSED_WORK_ORDERS = 4500;
const ALL_WORK_ORDERS = CLOSED_WORK_ORDERS + 5;

type WorkOrderRow = {
  Id: string;
  WorkOrderNumber: string;
  Asset: { Name: string } | null;
};

describe('jsforce sObject API against the sandbox, as the integration user and as an admin', () => {
  let sandbox: SalesforceSandbox;
  let integration: Connection;
  let admin: Connection;
  before(async () => {
    sandbox = await startSandbox({
      seed: { closedWorkOrders: CLOSED_WORK_ORDERS }
    });
    integration = await loginBySoap(
      sandbox,
      SANDBOX_USERNAME,
      SANDBOX_PASSWORD
    );
    admin = await loginBySoap(
      sandbox,
      SANDBOX_ADMIN_USERNAME,
      SANDBOX_PASSWORD
    );
  });
  after(() => sandbox.close());

  it('finds a work order by number with a parent field, then retrieves it by Id', async () => {
    const rows = (await integration
      .sobject('WorkOrder')
      .find({ WorkOrderNumber: '00000101' }, [
        'Id',
        'WorkOrderNumber',
        'Asset.Name'
      ])) as unknown as WorkOrderRow[];
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.equal(row?.Asset?.Name, 'Centrifugal Pump P-100');
    const record = (await integration
      .sobject('WorkOrder')
      .retrieve(row?.Id ?? '')) as unknown as Record<string, unknown>;
    assert.equal(record.WorkOrderNumber, '00000101');
    assert.equal(record.Id, row?.Id);
    const many = (await integration
      .sobject('WorkOrder')
      .retrieve([row?.Id ?? ''])) as unknown as Record<string, unknown>[];
    assert.equal(many[0]?.Id, row?.Id);
  });

  it('creates, updates and upserts a session as the integration user, but may not delete it', async () => {
    const sessions = integration.sobject('Scope_AR_Session__c');
    const created = await sessions.create({
      Scope_Id__c: 'jsforce-1',
      Kind__c: 'Scenario Session',
      State__c: 'started'
    });
    assert.equal(created.success, true);
    const id = created.id ?? '';
    const updated = await sessions.update({ Id: id, State__c: 'ended' });
    assert.equal(updated.success, true);
    const upserted = await sessions.upsert(
      { Scope_Id__c: 'jsforce-1', Steps_Viewed__c: 3 },
      'Scope_Id__c'
    );
    assert.equal(upserted.id, id);
    const row = (await sessions.retrieve(id)) as unknown as Record<
      string,
      unknown
    >;
    assert.equal(row.State__c, 'ended');
    assert.equal(row.Steps_Viewed__c, 3);
    assert.equal(row.CreatedById, integration.userInfo?.id);

    const denied = await rejection(sessions.destroy(id));
    assert.equal(denied.errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
    const still = await sessions.find({ Id: id }, ['Id']);
    assert.equal(still.length, 1);
  });

  it('lets the seeded WorkLink Admin delete what the integration user may not', async () => {
    const created = await integration
      .sobject('Scope_AR_Session__c')
      .create({ Scope_Id__c: 'jsforce-admin-1' });
    const id = created.id ?? '';
    const describe = await admin.sobject('Scope_AR_Session__c').describe();
    assert.equal(describe.deletable, true);
    const result = await admin.sobject('Scope_AR_Session__c').destroy(id);
    assert.equal(result.success, true);
    const gone = await rejection(
      admin.sobject('Scope_AR_Session__c').retrieve(id)
    );
    assert.equal(gone.errorCode, 'NOT_FOUND');

    // Writes record the acting user, and the integration user's access is unchanged afterwards.
    const own = await admin
      .sobject('Scope_AR_Session__c')
      .create({ Scope_Id__c: 'jsforce-admin-2' });
    const row = (await admin
      .sobject('Scope_AR_Session__c')
      .retrieve(own.id ?? '')) as unknown as Record<string, unknown>;
    assert.equal(row.CreatedById, admin.userInfo?.id);
    const integrationDescribe = await integration
      .sobject('Scope_AR_Session__c')
      .describe();
    assert.equal(integrationDescribe.deletable, false);
  });

  it('auto-fetches a query over several 2000-record pages up to maxFetch', async () => {
    await control(sandbox, 'DELETE', '/requests');
    const all = await integration
      .query<{ Id: string }>('SELECT Id, WorkOrderNumber FROM WorkOrder')
      .autoFetch(true)
      .maxFetch(5000)
      .execute();
    assert.equal(all.totalSize, ALL_WORK_ORDERS);
    assert.equal(all.records.length, ALL_WORK_ORDERS);
    assert.equal(new Set(all.records.map((r) => r.Id)).size, ALL_WORK_ORDERS);
    const log = (await control(sandbox, 'GET', '/requests')) as {
      path: string;
    }[];
    assert.equal(log.filter((r) => /\/query\/[^/]+$/.test(r.path)).length, 2);

    const capped = await integration
      .query<{ Id: string }>(
        'SELECT Id FROM WorkOrder ORDER BY WorkOrderNumber'
      )
      .autoFetch(true)
      .maxFetch(3000)
      .execute();
    assert.equal(capped.records.length, 3000);
  });
});

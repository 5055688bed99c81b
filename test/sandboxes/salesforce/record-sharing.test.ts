import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, control, rejection, startSandbox } from './helpers.ts';
import { integrationMetadataDir } from './integration-metadata.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const ADMIN_ID = '0058d0000000004AAA';

/**
 * The test copy of force-app where WorkLink_Integration has View All on exactly `viewAll` (the package
 * itself grants View All on WorkOrder, Case and Asset; these tests need the private case too).
 */
function metadataWithViewAll(viewAll: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sf-sandbox-view-all-'));
  cpSync(integrationMetadataDir(), dir, { recursive: true });
  const file = join(
    dir,
    'permissionsets',
    'WorkLink_Integration.permissionset-meta.xml'
  );
  let xml = readFileSync(file, 'utf8');
  for (const object of ['WorkOrder', 'Case', 'Asset']) {
    const pattern = new RegExp(
      `(<object>${object}</object>\\s*<viewAllRecords>)(true|false)`
    );
    assert.match(xml, pattern, `${object} has object permissions`);
    xml = xml.replace(pattern, `$1${viewAll.includes(object)}`);
  }
  writeFileSync(file, xml);
  return dir;
}

async function insertWorkOrder(
  sandbox: SalesforceSandbox,
  subject: string
): Promise<string> {
  const [row] = (await control(sandbox, 'POST', '/records/WorkOrder', {
    Subject: subject,
    Status: 'New',
    OwnerId: ADMIN_ID
  })) as { id: string }[];
  assert.ok(row);
  return row.id;
}

describe('record sharing with a Private org-wide default on WorkOrder', () => {
  const metadataDir = metadataWithViewAll([]);
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    sandbox = await startSandbox({
      metadataDir,
      seed: { closedWorkOrders: 0 },
      privateObjects: ['WorkOrder']
    });
    conn = await connect(sandbox);
  });
  after(async () => {
    await sandbox.close();
    rmSync(metadataDir, { recursive: true, force: true });
  });

  it('silently omits work orders the integration user neither owns nor has shared, and refuses lookups to them', async () => {
    const id = await insertWorkOrder(sandbox, 'Owned by the admin');
    const rows = await conn.query(
      `SELECT Id FROM WorkOrder WHERE Id = '${id}'`
    );
    assert.equal(rows.totalSize, 0);
    const owned = await conn.query(
      "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
    );
    assert.equal(
      owned.totalSize,
      1,
      'seeded rows belong to the integration user'
    );
    const error = await rejection(
      conn
        .sobject('Scope_AR_Session__c')
        .create({ Scope_Id__c: 'share-1', Work_Order__c: id })
    );
    assert.equal(
      error.errorCode,
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
    );
  });

  it('shows a record once it is shared with the integration user', async () => {
    const id = await insertWorkOrder(sandbox, 'Shared later');
    await control(sandbox, 'POST', '/shares', { recordId: id });
    const rows = await conn.query(
      `SELECT Id FROM WorkOrder WHERE Id = '${id}'`
    );
    assert.equal(rows.totalSize, 1);
    const created = await conn
      .sobject('Scope_AR_Session__c')
      .create({ Scope_Id__c: 'share-2', Work_Order__c: id });
    assert.equal(created.success, true);
  });
});

describe('record sharing with View All from the permission set', () => {
  const metadataDir = metadataWithViewAll(['WorkOrder']);
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    sandbox = await startSandbox({
      metadataDir,
      seed: { closedWorkOrders: 0 },
      privateObjects: ['WorkOrder', 'Case']
    });
    conn = await connect(sandbox);
  });
  after(async () => {
    await sandbox.close();
    rmSync(metadataDir, { recursive: true, force: true });
  });

  it('sees every work order, while Case (no View All) stays private', async () => {
    const id = await insertWorkOrder(sandbox, 'Visible through View All');
    const rows = await conn.query(
      `SELECT Id FROM WorkOrder WHERE Id = '${id}'`
    );
    assert.equal(rows.totalSize, 1);
    const [caseRow] = (await control(sandbox, 'POST', '/records/Case', {
      Subject: 'Admin case',
      OwnerId: ADMIN_ID
    })) as { id: string }[];
    const cases = await conn.query(
      `SELECT Id FROM Case WHERE Id = '${caseRow?.id}'`
    );
    assert.equal(cases.totalSize, 0);
  });

  it('reads but does not edit a work order through View All; a share or ownership lets it edit', async () => {
    const id = await insertWorkOrder(sandbox, 'Read through View All');
    const refused = await conn.requestPatch<unknown>(
      `/services/data/v${sandbox.apiVersion}/composite/sobjects`,
      {
        allOrNone: false,
        records: [
          {
            attributes: { type: 'WorkOrder' },
            id,
            WorkLink_AR_Sessions__c: 1
          },
          {
            attributes: { type: 'WorkOrder' },
            id: (
              await conn.query<{ Id: string }>(
                "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
              )
            ).records[0]?.Id,
            WorkLink_AR_Sessions__c: 2
          }
        ]
      }
    );
    assert.deepEqual(
      (refused as { success: boolean; errors: { statusCode: string }[] }[]).map(
        (r) => (r.success ? 'ok' : r.errors[0]?.statusCode)
      ),
      ['INSUFFICIENT_ACCESS_OR_READONLY', 'ok'],
      'the admin’s work order is refused, the integration user’s own one updated'
    );
    await control(sandbox, 'POST', '/shares', { recordId: id });
    const shared = (await conn
      .sobject('WorkOrder')
      .update({ Id: id, WorkLink_AR_Sessions__c: 1 })) as { success: boolean };
    assert.equal(shared.success, true);
  });
});

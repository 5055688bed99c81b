import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connect,
  permissionSetXml,
  rejection,
  startSandbox
} from './helpers.ts';
import { copyMetadata } from './metadata-fixture.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

// A Minimum Access profile plus this permission set: WorkOrder readable and editable, of its standard
// fields only AssetId (read) and Subject (read-only) granted; no access to Case at all.
describe('field-level security on standard fields', () => {
  const metadata = copyMetadata();
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    mkdirSync(join(metadata.dir, 'permissionsets'), { recursive: true });
    writeFileSync(
      join(
        metadata.dir,
        'permissionsets',
        'WorkLink_Integration.permissionset-meta.xml'
      ),
      permissionSetXml(
        [
          { object: 'WorkOrder', create: false, edit: true, read: true },
          { object: 'Asset', create: false, edit: false, read: true }
        ],
        [
          { field: 'WorkOrder.AssetId', readable: true, editable: false },
          { field: 'WorkOrder.Subject', readable: true, editable: false }
        ]
      )
    );
    sandbox = await startSandbox({
      metadataDir: metadata.dir,
      seed: { closedWorkOrders: 0 }
    });
    conn = await connect(sandbox);
  });
  after(async () => {
    await sandbox.close();
    metadata.cleanup();
  });

  it('reads granted and always-visible fields (Id, name, audit fields)', async () => {
    const rows = await conn.query<{ WorkOrderNumber: string; AssetId: string }>(
      "SELECT Id, WorkOrderNumber, AssetId, Subject, CreatedDate, LastModifiedDate, OwnerId FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
    );
    assert.equal(rows.totalSize, 1);
    assert.match(rows.records[0]?.AssetId ?? '', /^02i/);
  });

  it('answers INVALID_FIELD "No such column" for an ungranted standard field, selected or filtered', async () => {
    for (const [soql, column] of [
      ['SELECT Id, Status FROM WorkOrder', 'Status'],
      ['SELECT Id, StatusCategory FROM WorkOrder', 'StatusCategory'],
      ['SELECT Id FROM WorkOrder ORDER BY EndDate', 'EndDate'],
      ['SELECT Id, Asset.SerialNumber FROM WorkOrder', 'SerialNumber']
    ] as const) {
      const error = await rejection(conn.query(soql));
      assert.equal(error.errorCode, 'INVALID_FIELD', soql);
      assert.match(
        error.message,
        new RegExp(`No such column '${column}'`),
        soql
      );
    }
    const describe = await conn.sobject('WorkOrder').describe();
    const names = describe.fields.map((f) => f.name);
    assert.ok(names.includes('AssetId') && names.includes('WorkOrderNumber'));
    assert.ok(!names.includes('Status') && !names.includes('EndDate'));
  });

  it('reads IsClosed without a grant: it derives from the status category, and no permission set names it', async () => {
    const rows = await conn.query(
      'SELECT Id FROM WorkOrder WHERE IsClosed = false'
    );
    assert.ok(rows.totalSize > 0);
  });

  it('refuses writes: an invisible field with INVALID_FIELD, a read-only one with INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const [row] = (
      await conn.query<{ Id: string }>(
        "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
      )
    ).records;
    assert.ok(row);
    const invisible = await rejection(
      conn.sobject('WorkOrder').update({ Id: row.Id, Status: 'Closed' })
    );
    assert.equal(invisible.errorCode, 'INVALID_FIELD');
    assert.match(invisible.message, /No such column 'Status'/);
    const readOnly = await rejection(
      conn.sobject('WorkOrder').update({ Id: row.Id, Subject: 'Changed' })
    );
    assert.equal(readOnly.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    assert.match(readOnly.message, /Unable to create\/update fields: Subject/);
  });

  it('does not know an object the permission set grants no access to', async () => {
    const error = await rejection(conn.query('SELECT Id FROM Case'));
    assert.equal(error.errorCode, 'INVALID_TYPE');
  });
});

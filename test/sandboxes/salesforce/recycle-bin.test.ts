import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  SANDBOX_ADMIN_USERNAME,
  SANDBOX_PASSWORD
} from '../../../sandboxes/salesforce/index.ts';
import {
  connect,
  control,
  loginBySoap,
  rejection,
  startSandbox
} from './helpers.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

describe('Recycle Bin', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  let admin: Connection;
  let deletedAssetId = '';
  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 0 } });
    conn = await connect(sandbox);
    admin = await loginBySoap(
      sandbox,
      SANDBOX_ADMIN_USERNAME,
      SANDBOX_PASSWORD
    );
    const inserted = (await control(sandbox, 'POST', '/records/Asset', {
      Name: 'Retired Pump P-1'
    })) as { id: string }[] | { id: string };
    deletedAssetId =
      (Array.isArray(inserted) ? inserted[0] : inserted)?.id ?? '';
    await admin.sobject('Asset').destroy(deletedAssetId);
  });
  after(() => sandbox.close());

  it('keeps a deleted record out of query but in queryAll, with IsDeleted = true', async () => {
    const soql = `SELECT Id, Name, IsDeleted FROM Asset WHERE Id = '${deletedAssetId}'`;
    assert.equal((await conn.query(soql)).totalSize, 0);
    const all = await conn
      .query<{ Id: string; IsDeleted: boolean }>(soql)
      .scanAll(true);
    assert.equal(all.totalSize, 1);
    assert.equal(all.records[0]?.IsDeleted, true);
    const live = await conn
      .query<{ IsDeleted: boolean }>(
        'SELECT Id, IsDeleted FROM Asset WHERE IsDeleted = false'
      )
      .scanAll(true);
    assert.ok(live.totalSize >= 4);
  });

  it('refuses the Apex-only ALL ROWS over the API', async () => {
    const error = await rejection(conn.query('SELECT Id FROM Asset ALL ROWS'));
    assert.equal(error.errorCode, 'MALFORMED_QUERY');
    assert.match(error.message, /ALL ROWS not allowed in this context/);
  });

  it('answers ENTITY_IS_DELETED for a lookup to a deleted record and for a second delete', async () => {
    const error = await rejection(
      conn
        .sobject('Scope_AR_Session__c')
        .create({ Scope_Id__c: 'bin-1', Asset__c: deletedAssetId })
    );
    assert.equal(error.errorCode, 'ENTITY_IS_DELETED');
    const again = (await admin
      .sobject('Asset')
      .destroy([deletedAssetId], { allOrNone: false })) as {
      success: boolean;
      errors: { statusCode: string }[];
    }[];
    assert.equal(again[0]?.errors[0]?.statusCode, 'ENTITY_IS_DELETED');
  });

  it('gives custom objects IsDeleted, LastViewedDate and LastReferencedDate', async () => {
    const describe = await conn.sobject('Scope_AR_Session__c').describe();
    const names = describe.fields.map((f) => f.name);
    for (const name of ['IsDeleted', 'LastViewedDate', 'LastReferencedDate'])
      assert.ok(names.includes(name), name);
    const created = await conn
      .sobject('Scope_AR_Session__c')
      .create({ Scope_Id__c: 'bin-2' });
    const rows = await conn.query<{
      IsDeleted: boolean;
      LastViewedDate: string | null;
    }>(
      `SELECT IsDeleted, LastViewedDate, LastReferencedDate FROM Scope_AR_Session__c WHERE Id = '${created.id}'`
    );
    assert.equal(rows.records[0]?.IsDeleted, false);
    assert.equal(rows.records[0]?.LastViewedDate, null);
  });
});

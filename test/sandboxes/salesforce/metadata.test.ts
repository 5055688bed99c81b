import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, rejection, startSandbox } from './helpers.ts';
import { copyMetadata, textFieldXml } from './metadata-fixture.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

type Result = {
  success: boolean;
  errors: { statusCode: string; fields: string[] }[];
};

/** Starts a sandbox on a temporary copy of force-app after `change` edited it. */
async function withMetadata(
  change: (m: ReturnType<typeof copyMetadata>) => void,
  run: (s: SalesforceSandbox) => Promise<void>
) {
  const metadata = copyMetadata();
  try {
    change(metadata);
    const sandbox = await startSandbox({
      metadataDir: metadata.dir,
      seed: { closedWorkOrders: 0 }
    });
    try {
      await run(sandbox);
    } finally {
      await sandbox.close();
    }
  } finally {
    metadata.cleanup();
  }
}

describe('schema follows force-app metadata', () => {
  it('a field added to the metadata becomes writable, queryable and described', async () => {
    await withMetadata(
      (m) => {
        m.writeField(
          'Scope_AR_Session__c',
          'Device_Model__c',
          textFieldXml('Device_Model__c', 40)
        );
        m.writePermissionSet([
          {
            field: 'Scope_AR_Session__c.Device_Model__c',
            readable: true,
            editable: true
          }
        ]);
      },
      async (sandbox) => {
        const conn = await connect(sandbox);
        const saved = await conn
          .sobject('Scope_AR_Session__c')
          .create({ Scope_Id__c: 'm-1', Device_Model__c: 'HoloLens 2' });
        assert.equal(saved.success, true);
        const rows = await conn.query<{ Device_Model__c: string }>(
          "SELECT Device_Model__c FROM Scope_AR_Session__c WHERE Scope_Id__c = 'm-1'"
        );
        assert.equal(rows.records[0]?.Device_Model__c, 'HoloLens 2');
        const d = await conn.sobject('Scope_AR_Session__c').describe();
        assert.equal(
          d.fields.find((f) => f.name === 'Device_Model__c')?.length,
          40
        );
        const tooLong = await rejection(
          conn
            .sobject('Scope_AR_Session__c')
            .create({ Scope_Id__c: 'm-2', Device_Model__c: 'x'.repeat(41) })
        );
        assert.equal(tooLong.errorCode, 'STRING_TOO_LONG');
      }
    );
  });

  it('a field removed from the metadata fails with INVALID_FIELD on write and in SOQL', async () => {
    await withMetadata(
      (m) => {
        m.removeField('Scope_AR_Session__c', 'Technician__c');
        m.writePermissionSet();
      },
      async (sandbox) => {
        const conn = await connect(sandbox);
        const write = await rejection(
          conn
            .sobject('Scope_AR_Session__c')
            .upsert(
              [{ Scope_Id__c: 'm-3', Technician__c: 'Ana' }],
              'Scope_Id__c'
            )
        );
        assert.equal(write.errorCode, 'INVALID_FIELD');
        const read = await rejection(
          conn.query('SELECT Technician__c FROM Scope_AR_Session__c')
        );
        assert.equal(read.errorCode, 'INVALID_FIELD');
      }
    );
  });

  it('field-level security comes from the WorkLink_Integration permission set', async () => {
    await withMetadata(
      (m) =>
        m.writePermissionSet([
          {
            field: 'Scope_AR_Session__c.Expert__c',
            readable: true,
            editable: false
          },
          {
            field: 'Scope_AR_Session__c.Technician__c',
            readable: false,
            editable: false
          }
        ]),
      async (sandbox) => {
        const conn = await connect(sandbox);
        const readOnly = (await conn
          .sobject('Scope_AR_Session__c')
          .upsert(
            [{ Scope_Id__c: 'm-4', Expert__c: 'Dana' }],
            'Scope_Id__c'
          )) as unknown as Result[];
        assert.equal(
          readOnly[0]?.errors[0]?.statusCode,
          'INVALID_FIELD_FOR_INSERT_UPDATE'
        );
        assert.deepEqual(readOnly[0]?.errors[0]?.fields, ['Expert__c']);
        const hidden = await rejection(
          conn.query('SELECT Technician__c FROM Scope_AR_Session__c')
        );
        assert.equal(hidden.errorCode, 'INVALID_FIELD');
        assert.match(hidden.message, /No such column 'Technician__c'/);
        const d = await conn.sobject('Scope_AR_Session__c').describe();
        assert.equal(
          d.fields.find((f) => f.name === 'Expert__c')?.updateable,
          false
        );
        assert.equal(
          d.fields.find((f) => f.name === 'Technician__c'),
          undefined
        );
        // The fixture grants delete, which the package's own permission set does not.
        const ok = await conn
          .sobject('Scope_AR_Session__c')
          .create({ Scope_Id__c: 'm-5' });
        const removed = await conn
          .sobject('Scope_AR_Session__c')
          .destroy(ok.id ?? '');
        assert.equal(removed.success, true);
      }
    );
  });

  it('a picklist value added to the metadata is accepted by the restricted picklist', async () => {
    await withMetadata(
      (m) => {
        m.writePermissionSet();
        const kind = `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Kind__c</fullName>
    <label>Kind</label>
    <type>Picklist</type>
    <valueSet>
        <restricted>true</restricted>
        <valueSetDefinition>
            <sorted>false</sorted>
            <value><fullName>Scenario Session</fullName><default>true</default><label>Scenario Session</label></value>
            <value><fullName>Call</fullName><default>false</default><label>Call</label></value>
            <value><fullName>Inspection</fullName><default>false</default><label>Inspection</label></value>
        </valueSetDefinition>
    </valueSet>
</CustomField>
`;
        m.writeField('Scope_AR_Session__c', 'Kind__c', kind);
      },
      async (sandbox) => {
        const conn = await connect(sandbox);
        const saved = await conn
          .sobject('Scope_AR_Session__c')
          .create({ Scope_Id__c: 'm-6', Kind__c: 'Inspection' });
        assert.equal(saved.success, true);
      }
    );
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, rejection, startSandbox } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

describe('versions and describe', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    sandbox = await startSandbox({ seed: false });
    conn = await connect(sandbox);
  });
  after(() => sandbox.close());

  it('lists API versions 31.0 up to 68.0 with Salesforce labels', async () => {
    const versions = (await conn.request('/services/data')) as {
      label: string;
      url: string;
      version: string;
    }[];
    assert.deepEqual(versions.at(-1), {
      label: "Winter '27",
      url: '/services/data/v68.0',
      version: '68.0'
    });
    assert.deepEqual(versions[0], {
      label: "Summer '14",
      url: '/services/data/v31.0',
      version: '31.0'
    });
    assert.ok(
      versions.some((v) => v.version === '60.0' && v.label === "Spring '24")
    );
  });

  it('describes the custom object from force-app metadata', async () => {
    const d = await conn.sobject('Scope_AR_Session__c').describe();
    assert.equal(d.name, 'Scope_AR_Session__c');
    assert.equal(d.custom, true);
    assert.equal(d.keyPrefix, 'a0X');
    const field = (name: string) => {
      const f = d.fields.find((x) => x.name === name);
      assert.ok(f, `${name} is described`);
      return f;
    };
    const scopeId = field('Scope_Id__c');
    assert.equal(scopeId.type, 'string');
    assert.equal(scopeId.length, 255);
    assert.equal(scopeId.externalId, true);
    assert.equal(scopeId.unique, true);
    assert.equal(scopeId.caseSensitive, true);
    assert.equal(scopeId.nillable, false);
    assert.equal(scopeId.idLookup, true);
    const name = field('Name');
    assert.equal(name.autoNumber, true);
    assert.equal(name.createable, false);
    assert.equal(name.updateable, false);
    const kind = field('Kind__c');
    assert.equal(kind.type, 'picklist');
    assert.equal(kind.restrictedPicklist, true);
    assert.deepEqual(
      kind.picklistValues?.map((p) => p.value),
      ['Scenario Session', 'Call']
    );
    const workOrder = field('Work_Order__c');
    assert.equal(workOrder.type, 'reference');
    assert.deepEqual(workOrder.referenceTo, ['WorkOrder']);
    assert.equal(workOrder.relationshipName, 'Work_Order__r');
    const percent = field('Percent_Steps_Viewed__c');
    assert.equal(percent.type, 'percent');
    assert.equal(percent.precision, 5);
    assert.equal(percent.scale, 2);
    assert.equal(field('Duration_Seconds__c').type, 'double');
    assert.equal(field('External_Data__c').type, 'textarea');
    assert.equal(field('External_Data__c').length, 131072);
    assert.equal(field('Started_At__c').type, 'datetime');
    assert.equal(field('Id').type, 'id');
  });

  it('describes standard objects merged with the package fields and child relationships', async () => {
    const wo = await conn.sobject('WorkOrder').describe();
    assert.equal(wo.keyPrefix, '0WO');
    const expert = wo.fields.find((f) => f.name === 'WorkLink_Expert__c');
    assert.deepEqual(expert?.referenceTo, ['User']);
    assert.equal(expert?.relationshipName, 'WorkLink_Expert__r');
    assert.ok(
      wo.childRelationships.some(
        (r) =>
          r.childSObject === 'Scope_AR_Session__c' &&
          r.relationshipName === 'Scope_AR_Sessions__r'
      )
    );
    assert.equal(
      wo.fields.find((f) => f.name === 'WorkOrderNumber')?.autoNumber,
      true
    );
    const asset = await conn.sobject('Asset').describe();
    assert.equal(
      asset.fields.find((f) => f.name === 'Scope_Asset_Id__c')?.length,
      255
    );
  });

  it('lists objects in describeGlobal and answers NOT_FOUND for unknown types', async () => {
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    for (const n of [
      'WorkOrder',
      'Case',
      'Asset',
      'User',
      'ContentVersion',
      'ContentDocumentLink',
      'Scope_AR_Session__c'
    ]) {
      assert.ok(names.includes(n), n);
    }
    // A Minimum Access profile reads no Contact, and the permission set grants none.
    assert.ok(!names.includes('Contact'));
    const error = await rejection(conn.sobject('Nope__c').describe());
    assert.equal(error.errorCode, 'NOT_FOUND');
  });
});

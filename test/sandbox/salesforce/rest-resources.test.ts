import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, connect, startSandbox } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../connector/sandbox/salesforce/index.ts';

describe('version resources, limits and describe global', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 0 } });
    conn = await connect(sandbox);
  });
  after(() => sandbox.close());

  it('lists the resources of a version, each of which answers, with the identity URL', async () => {
    const resources = await conn.request<Record<string, string>>(
      `/services/data/v${API_VERSION}/`
    );
    assert.equal(
      resources.identity,
      `${sandbox.url}/id/00D8d0000000001EAA/${conn.userInfo?.id}`
    );
    for (const [name, url] of Object.entries(resources)) {
      if (name === 'identity' || name === 'composite') continue;
      const res = await fetch(`${sandbox.url}${url}`, {
        headers: { authorization: `Bearer ${conn.accessToken}` }
      });
      assert.notEqual(res.status, 404, `${name} → ${url}`);
    }
  });

  it('reports DailyApiRequests consistent with the Sforce-Limit-Info header', async () => {
    await conn.query('SELECT Id FROM WorkOrder LIMIT 1');
    const limits = (await conn.limits()) as unknown as Record<
      string,
      { Max: number; Remaining: number }
    >;
    const daily = limits.DailyApiRequests;
    assert.ok(daily);
    const info = conn.limitInfo?.apiUsage;
    assert.ok(info);
    assert.equal(daily.Max, info.limit);
    assert.equal(daily.Remaining, info.limit - info.used);
    assert.ok(limits.DataStorageMB);
  });

  it('answers describeGlobal with the objects and the urls jsforce reads', async () => {
    const global = await conn.describeGlobal();
    assert.equal(global.maxBatchSize, 200);
    const byName = new Map(global.sobjects.map((s) => [s.name, s]));
    const session = byName.get('Scope_AR_Session__c');
    assert.equal(session?.custom, true);
    assert.equal(session?.keyPrefix, 'a0X');
    assert.equal(
      session?.urls.describe,
      `/services/data/v${API_VERSION}/sobjects/Scope_AR_Session__c/describe`
    );
    for (const name of ['WorkOrder', 'Case', 'Asset', 'User', 'Organization'])
      assert.ok(byName.has(name), name);
    assert.equal(byName.get('Organization')?.createable, false);
  });

  it('answers GET /sobjects/{Type} with objectDescribe and recentItems', async () => {
    const info = await conn.request<{
      objectDescribe: { name: string; keyPrefix: string };
      recentItems: { Id: string; attributes: { type: string } }[];
    }>(`/services/data/v${API_VERSION}/sobjects/Asset`);
    assert.equal(info.objectDescribe.name, 'Asset');
    assert.equal(info.objectDescribe.keyPrefix, '02i');
    assert.equal(info.recentItems.length, 4);
    assert.equal(info.recentItems[0]?.attributes.type, 'Asset');
    const recent = await conn.recent('Asset', 2);
    assert.equal(recent.length, 2);
  });

  it('serves the Organization row the sf CLI reads', async () => {
    const org = await conn.query<{
      Id: string;
      Name: string;
      IsSandbox: boolean;
      OrganizationType: string;
      NamespacePrefix: string | null;
    }>(
      'SELECT Id, Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization'
    );
    assert.equal(org.totalSize, 1);
    assert.equal(org.records[0]?.Id, conn.userInfo?.organizationId);
    assert.equal(org.records[0]?.IsSandbox, true);
    assert.equal(org.records[0]?.NamespacePrefix, null);
  });

  it('describes the columns of a query for ?columns=true, and tolerates a doubled slash', async () => {
    const res = await fetch(
      `${sandbox.url}//services/data/v${API_VERSION}/query?q=${encodeURIComponent(
        'SELECT Id, WorkOrderNumber, Asset.Name, Asset.Status FROM WorkOrder'
      )}&columns=true`,
      { headers: { authorization: `Bearer ${conn.accessToken}` } }
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      entityName: string;
      idSelected: boolean;
      columnMetadata: {
        columnName: string;
        joinColumns: { columnName: string }[];
      }[];
    };
    assert.equal(body.entityName, 'WorkOrder');
    assert.equal(body.idSelected, true);
    assert.deepEqual(
      body.columnMetadata.map((c) => c.columnName),
      ['Id', 'WorkOrderNumber', 'Asset']
    );
    assert.deepEqual(
      body.columnMetadata[2]?.joinColumns.map((c) => c.columnName),
      ['Name', 'Status']
    );
  });
});

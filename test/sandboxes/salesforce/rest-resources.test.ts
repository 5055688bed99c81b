import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, connect, startSandbox } from './helpers.ts';
import { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

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
      if (name === 'identity') continue;
      const res = await fetch(`${sandbox.url}${url}`, {
        headers: { authorization: `Bearer ${conn.accessToken}` }
      });
      assert.notEqual(res.status, 404, `${name} → ${url}`);
    }
  });

  it('answers 410 for retired versions (21.0–30.0), 404 for unknown ones, and serves 31.0 to 68.0', async () => {
    const status = async (version: string) => {
      const res = await fetch(
        `${sandbox.url}/services/data/v${version}/limits`,
        { headers: { authorization: `Bearer ${conn.accessToken}` } }
      );
      return { status: res.status, body: (await res.json()) as unknown };
    };
    for (const version of ['21.0', '30.0']) {
      const gone = await status(version);
      assert.equal(gone.status, 410, version);
      assert.equal(
        (gone.body as { errorCode: string }[])[0]?.errorCode,
        'GONE'
      );
    }
    for (const version of ['20.0', '69.0', '31.5'])
      assert.equal((await status(version)).status, 404, version);
    for (const version of ['31.0', '41.0', '68.0'])
      assert.equal((await status(version)).status, 200, version);
  });

  it('keeps the requested version in every URL it answers with', async () => {
    const old = new Connection({
      instanceUrl: conn.instanceUrl,
      accessToken: conn.accessToken ?? '',
      version: '41.0'
    });
    const resources = await old.request<Record<string, string>>(
      '/services/data/v41.0/'
    );
    assert.equal(resources.sobjects, '/services/data/v41.0/sobjects');
    const rows = await old.query<{ attributes: { type: string; url: string } }>(
      'SELECT Id FROM WorkOrder LIMIT 1'
    );
    assert.match(
      rows.records[0]?.attributes.url ?? '',
      /^\/services\/data\/v41\.0\/sobjects\/WorkOrder\//
    );
    const global = await old.describeGlobal();
    assert.match(
      global.sobjects[0]?.urls.describe ?? '',
      /^\/services\/data\/v41\.0\//
    );
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

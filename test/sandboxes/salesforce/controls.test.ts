import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  API_VERSION,
  connect,
  control,
  jwtClaims,
  signJwt,
  startSandbox
} from './helpers.ts';
import { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

type Row = Record<string, unknown>;

describe('seed data and /sandbox controls', () => {
  let sandbox: SalesforceSandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: true });
  });
  after(() => sandbox.close());

  it('seeds the shared demo data with deterministic Ids and key prefixes', async () => {
    const workOrders = (await control(
      sandbox,
      'GET',
      '/records/WorkOrder'
    )) as Row[];
    const assets = (await control(sandbox, 'GET', '/records/Asset')) as Row[];
    const users = (await control(sandbox, 'GET', '/records/User')) as Row[];
    const cases = (await control(sandbox, 'GET', '/records/Case')) as Row[];
    const byNumber = new Map(workOrders.map((w) => [w.WorkOrderNumber, w]));
    const asset = (id: unknown) => assets.find((a) => a.Id === id);
    const user = (id: unknown) => users.find((u) => u.Id === id);
    assert.equal(
      asset(byNumber.get('00000101')?.AssetId)?.Scope_Asset_Id__c,
      'PUMP-100'
    );
    assert.equal(
      user(byNumber.get('00000101')?.WorkLink_Expert__c)?.WorkLink_Call_Link__c,
      'worklink://resource?action=fetch_user&user=501'
    );
    assert.equal(
      cases.find((c) => c.Id === byNumber.get('00000101')?.CaseId)?.CaseNumber,
      '00001001'
    );
    assert.equal(
      asset(byNumber.get('00000102')?.AssetId)?.Scope_Asset_Id__c,
      'HVAC-7'
    );
    assert.equal(
      user(byNumber.get('00000102')?.WorkLink_Expert__c)?.Name,
      'Sam Okafor'
    );
    assert.equal(byNumber.get('00000102')?.CaseId, null);
    assert.equal(
      asset(byNumber.get('00000103')?.AssetId)?.Scope_Asset_Id__c,
      'GEN-3000'
    );
    assert.equal(byNumber.get('00000103')?.WorkLink_Expert__c, null);
    assert.equal(
      asset(byNumber.get('00000104')?.AssetId)?.Name,
      'Legacy Compressor C-9'
    );
    assert.equal(
      asset(byNumber.get('00000104')?.AssetId)?.Scope_Asset_Id__c,
      null
    );
    assert.equal(byNumber.get('00000105')?.AssetId, null);
    assert.equal(workOrders.filter((w) => w.Status === 'Closed').length, 40);
    assert.ok(
      workOrders.every(
        (w) => String(w.Id).startsWith('0WO') && String(w.Id).length === 18
      )
    );
    assert.ok(assets.every((a) => String(a.Id).startsWith('02i')));
    assert.ok(users.every((u) => String(u.Id).startsWith('005')));
    assert.ok(cases.every((c) => String(c.Id).startsWith('500')));
    assert.deepEqual(
      cases.map((c) => c.CaseNumber),
      ['00001001', '00001002']
    );
    assert.equal(
      user(cases.find((c) => c.CaseNumber === '00001002')?.WorkLink_Expert__c)
        ?.Name,
      'Sam Okafor'
    );
    const lineItems = (await control(
      sandbox,
      'GET',
      '/records/WorkOrderLineItem'
    )) as Row[];
    const appointments = (await control(
      sandbox,
      'GET',
      '/records/ServiceAppointment'
    )) as Row[];
    const wo101 = byNumber.get('00000101');
    assert.deepEqual(
      lineItems.map((l) => [l.LineItemNumber, l.WorkOrderId, l.AssetId]),
      [
        ['00001', wo101?.Id, wo101?.AssetId],
        ['00002', wo101?.Id, null]
      ]
    );
    assert.deepEqual(
      appointments.map((a) => [
        a.AppointmentNumber,
        a.ParentRecordId,
        a.ParentRecordType
      ]),
      [
        ['SA-0001', byNumber.get('00000102')?.Id, 'WorkOrder'],
        ['SA-0002', lineItems[0]?.Id, 'WorkOrderLineItem']
      ]
    );
    assert.ok(
      lineItems.every((l) => String(l.Id).startsWith('1WL')) &&
        appointments.every((a) => String(a.Id).startsWith('08p'))
    );
    assert.equal(
      users.find((u) => u.Username === 'integration@worklink.sandbox')?.Name,
      'Integration User'
    );

    const other = await startSandbox({ seed: true });
    try {
      const again = (await control(
        other,
        'GET',
        '/records/WorkOrder'
      )) as Row[];
      assert.deepEqual(
        again.map((w) => w.Id),
        workOrders.map((w) => w.Id)
      );
    } finally {
      await other.close();
    }
  });

  it('closed work orders carry CreatedDate, StartDate and EndDate for time-to-resolution reports', async () => {
    const conn = await connect(sandbox);
    const closed = await conn.query<{
      CreatedDate: string;
      EndDate: string;
      IsClosed: boolean;
    }>(
      "SELECT CreatedDate, EndDate, IsClosed FROM WorkOrder WHERE Status = 'Closed'"
    );
    assert.equal(closed.totalSize, 40);
    const hours = closed.records.map(
      (r) =>
        (Date.parse(r.EndDate.replace('+0000', 'Z')) -
          Date.parse(r.CreatedDate.replace('+0000', 'Z'))) /
        3_600_000
    );
    assert.ok(hours.every((h) => h > 0));
    assert.ok(
      new Set(hours.map(Math.round)).size > 10,
      'resolution times are spread'
    );
    assert.ok(closed.records.every((r) => r.IsClosed));
  });

  it('logs every API call with method, path, record count and status; clears the log', async () => {
    const conn = await connect(sandbox);
    await control(sandbox, 'DELETE', '/requests');
    await conn
      .sobject('Scope_AR_Session__c')
      .upsert(
        [{ Scope_Id__c: 'log-1' }, { Scope_Id__c: 'log-2' }],
        'Scope_Id__c'
      );
    await conn.query('SELECT Id FROM Asset');
    const log = (await control(sandbox, 'GET', '/requests')) as {
      method: string;
      path: string;
      records: number;
      status: number;
      time: string;
    }[];
    assert.deepEqual(
      log.map((l) => [l.method, l.path, l.records, l.status]),
      [
        [
          'PATCH',
          `/services/data/v${API_VERSION}/composite/sobjects/Scope_AR_Session__c/Scope_Id__c`,
          2,
          200
        ],
        ['GET', `/services/data/v${API_VERSION}/query`, 4, 200]
      ]
    );
    assert.ok(log.every((l) => !Number.isNaN(Date.parse(l.time))));
  });

  it('inserts fixture rows bypassing FLS, reports stats and resets to the seed', async () => {
    const inserted = (await control(
      sandbox,
      'POST',
      '/records/Scope_AR_Session__c',
      [{ Scope_Id__c: 'fixture-1', CreatedDate: '2024-01-01T00:00:00Z' }]
    )) as { id: string; success: boolean }[];
    assert.equal(inserted[0]?.success, true);
    const stats = (await control(sandbox, 'GET', '/stats')) as {
      records: Record<string, number>;
      apiLimit: number;
      permissionSet: string | null;
    };
    assert.ok((stats.records.Scope_AR_Session__c ?? 0) >= 1);
    assert.equal(stats.permissionSet, 'WorkLink_Integration');
    const reset = (await control(sandbox, 'POST', '/reset')) as {
      records: Record<string, number>;
    };
    assert.equal(reset.records.Scope_AR_Session__c, 0);
    assert.equal(reset.records.WorkOrder, 45);
  });

  it('adds configured latency to API calls', async () => {
    const conn = await connect(sandbox);
    await control(sandbox, 'PUT', '/faults', { latencyMs: 120 });
    await control(sandbox, 'DELETE', '/requests');
    await conn.query('SELECT Id FROM Asset');
    await control(sandbox, 'PUT', '/faults', { latencyMs: 0 });
    const log = (await control(sandbox, 'GET', '/requests')) as {
      durationMs: number;
    }[];
    assert.ok((log[0]?.durationMs ?? 0) >= 120);
  });

  it('serves the throwaway JWT key so HTTP-only clients can use the JWT flow', async () => {
    const key = (await control(sandbox, 'GET', '/jwt-key')) as {
      privateKeyPem: string;
      clientId: string;
      username: string;
      warning: string;
    };
    assert.match(key.warning, /Sandbox-only/);
    const conn = new Connection({
      oauth2: { loginUrl: sandbox.url, clientId: key.clientId },
      version: API_VERSION
    });
    await conn.authorize({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: signJwt(
        jwtClaims(sandbox, { iss: key.clientId, sub: key.username }),
        key.privateKeyPem
      )
    });
    assert.ok((await conn.query('SELECT Id FROM WorkOrder')).totalSize > 0);
  });

  it('validates fault switches', async () => {
    const res = await fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lockRowRate: 2 })
    });
    assert.equal(res.status, 400);
  });
});

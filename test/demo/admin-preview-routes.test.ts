// The admin pages' server side against a real Salesforce sandbox: the GraphQL hand-through and the
// record update the inbox's stand-ins call, as the preview's viewer (the sandbox's admin).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SANDBOX_ADMIN_USERNAME,
  startSalesforceSandbox
} from '../../sandboxes/salesforce/index.ts';
import { createSalesforceReader } from '../../demo/salesforce-reader.ts';
import { startPreviewServer } from '../../demo/preview-server.ts';
import { lwcQuery } from '../support/lwc-queries.ts';
import type { SalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import type { PreviewServer } from '../../demo/preview-server.ts';

describe('preview routes of the WorkLink app pages', () => {
  let sandbox: SalesforceSandbox;
  let preview: PreviewServer;
  let buildDir: string;
  let sessionId: string;
  let workOrderId: string;

  before(async () => {
    sandbox = await startSalesforceSandbox({ port: 0 });
    buildDir = await mkdtemp(join(tmpdir(), 'worklink-admin-preview-'));
    const salesforce = createSalesforceReader({
      loginUrl: sandbox.url,
      clientId: sandbox.clientId,
      username: SANDBOX_ADMIN_USERNAME,
      privateKeyPem: sandbox.jwtPrivateKeyPem,
      audience: sandbox.jwtAudience
    });
    preview = await startPreviewServer({
      salesforce,
      scopeBaseUrl: 'http://127.0.0.1:9',
      buildDir
    });
    const created = sandbox.state.insertFixture('Scope_AR_Session__c', {
      Scope_Id__c: 'admin-routes-1',
      Link_Status__c: 'Unmatched',
      External_Work_Order_Ref__c: 'WO-0101'
    });
    assert.ok(created.success);
    sessionId = created.id;
    const [workOrder] = await salesforce.query(
      "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
    );
    workOrderId = String(workOrder?.Id);
  });
  after(async () => {
    await preview?.close();
    await sandbox?.close();
    await rm(buildDir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${preview.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    });

  it('serves the app page shell at /worklink/inbox, /worklink/health and /worklink/ar-impact', async () => {
    for (const path of [
      '/worklink/inbox',
      '/worklink/health',
      '/worklink/ar-impact'
    ]) {
      const response = await fetch(`${preview.url}${path}`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /build\/app-page\.js/);
    }
  });

  it("hands the inbox's query to the sandbox's GraphQL and answers as it does", async () => {
    const response = await post('/preview-api/graphql', {
      query: lwcQuery('worklinkUnmatchedInbox', 'unmatchedSessions'),
      operationName: 'unmatchedSessions'
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      data: {
        uiapi: {
          query: { Scope_AR_Session__c: { edges: { node: { Id: string } }[] } };
        };
      };
    };
    assert.deepEqual(
      body.data.uiapi.query.Scope_AR_Session__c.edges.map((e) => e.node.Id),
      [sessionId]
    );
    const invalid = await post('/preview-api/graphql', { variables: {} });
    assert.equal(invalid.status, 400);
  });

  it('updates a record by its id and answers the UI API record', async () => {
    const response = await post(
      `/preview-api/ui-api/records/${sessionId}`,
      {
        fields: {
          Id: sessionId,
          Work_Order__c: workOrderId,
          Link_Status__c: 'Linked manually'
        }
      },
      'PATCH'
    );
    assert.equal(response.status, 200);
    const record = (await response.json()) as {
      apiName: string;
      fields: Record<string, { value: unknown }>;
    };
    assert.equal(record.apiName, 'Scope_AR_Session__c');
    assert.equal(record.fields.Link_Status__c?.value, 'Linked manually');
    assert.equal(record.fields.Work_Order__c?.value, workOrderId);
    const stored = sandbox.state.store.find(sessionId)?.record;
    assert.equal(stored?.Work_Order__c, workOrderId);
  });

  it("answers the sandbox's validation error of an update", async () => {
    const response = await post(
      `/preview-api/ui-api/records/${sessionId}`,
      { fields: { Id: sessionId, Link_Status__c: 'Somehow' } },
      'PATCH'
    );
    assert.equal(response.status, 400);
    const body = (await response.json()) as { errorCode: string };
    assert.equal(body.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });

  it('hands the dashboard page its dashboard, components and report runs, as the viewer', async () => {
    const list = (await (
      await fetch(`${preview.url}/preview-api/analytics/dashboards`)
    ).json()) as { id: string; name: string }[];
    const dashboard = list.find((d) => d.name === 'AR Impact');
    assert.ok(dashboard);
    const described = (await (
      await fetch(
        `${preview.url}/preview-api/analytics/dashboards/${dashboard.id}/describe`
      )
    ).json()) as { components: { reportId: string }[] };
    assert.equal(described.components.length, 8);
    const run = await post(
      `/preview-api/analytics/reports/${described.components[0]?.reportId}`,
      {}
    );
    assert.equal(run.status, 200);
    const answer = (await run.json()) as {
      factMap: Record<string, { aggregates: { value: number }[] }>;
    };
    assert.ok(
      (answer.factMap['T!T']?.aggregates.at(-1)?.value ?? 0) > 0,
      'the seeded closed work orders are counted'
    );
  });

  it('refuses a bad id or body itself and forwards the sandbox refusals', async () => {
    assert.equal(
      (await post('/preview-api/analytics/reports/not-an-id', {})).status,
      400
    );
    const reports = await sandbox.state.query.query(
      "SELECT Id FROM Report WHERE DeveloperName = 'WorkLink_TTR_by_AR_Call'"
    );
    const id = String(reports.records[0]?.Id);
    assert.equal(
      (await post(`/preview-api/analytics/reports/${id}`, { filters: [] }))
        .status,
      400
    );
    const refused = await post(`/preview-api/analytics/reports/${id}`, {
      reportMetadata: {
        reportFilters: [
          { column: 'WorkOrder$Status', operator: 'between', value: 'x' }
        ]
      }
    });
    assert.equal(refused.status, 400);
    assert.equal(
      ((await refused.json()) as { errorCode: string }).errorCode,
      'BAD_REQUEST'
    );
    assert.equal(
      (await post('/preview-api/analytics/reports/00O8d00000009ZZEAA', {}))
        .status,
      404
    );
  });
});

// The preview's session page against a real Salesforce sandbox: a session written with its steps shows
// them in step order, names escaped; a session without steps says so; bad and unknown ids are refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SANDBOX_ADMIN_USERNAME,
  startSalesforceSandbox
} from '../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { createSalesforceReader } from '../../demo/salesforce-reader.ts';
import { startPreviewServer } from '../../demo/preview-server.ts';
import type { PreviewServer } from '../../demo/preview-server.ts';

const SCOPE_ID = 'U2NlbmFyaW9TZXNzaW9uLTQyLzE+Kz0=';

describe('preview session page with its Steps related list', () => {
  let sandbox: SalesforceSandbox;
  let preview: PreviewServer;
  let buildDir: string;
  let sessionId: string;
  let emptyId: string;

  before(async () => {
    sandbox = await startSalesforceSandbox({ port: 0 });
    buildDir = await mkdtemp(join(tmpdir(), 'worklink-session-page-'));
    preview = await startPreviewServer({
      salesforce: createSalesforceReader({
        loginUrl: sandbox.url,
        clientId: sandbox.clientId,
        username: SANDBOX_ADMIN_USERNAME,
        privateKeyPem: sandbox.jwtPrivateKeyPem,
        audience: sandbox.jwtAudience
      }),
      scopeBaseUrl: 'http://127.0.0.1:9',
      buildDir
    });
    const session = sandbox.state.insertFixture('Scope_AR_Session__c', {
      Scope_Id__c: SCOPE_ID,
      Scenario_Name__c: 'Pump seal replacement',
      Steps_Viewed__c: 2
    });
    assert.ok(session.success);
    sessionId = session.id;
    const steps = [
      [2, 'Prüfen & <dichten> 🔧', '2026-12-03T10:05:00.000Z', null, 0],
      [
        1,
        'Isolate the pump',
        '2026-12-03T10:00:00.000Z',
        '2026-12-03T10:05:00.000Z',
        1
      ]
    ] as const;
    for (const [order, name, viewed, completed, photos] of steps) {
      const step = sandbox.state.insertFixture('Scope_AR_Session_Step__c', {
        Scope_AR_Session__c: sessionId,
        Step_Key__c: `${SCOPE_ID}|U2NlbmFyaW9TdGVwLTEwMSs${order}`,
        Step_Order__c: order,
        Step_Name__c: name,
        Sequence_Name__c: 'Preparation',
        Viewed_At__c: viewed,
        Completed_At__c: completed,
        Photos__c: photos
      });
      assert.ok(step.success, JSON.stringify(step));
    }
    const empty = sandbox.state.insertFixture('Scope_AR_Session__c', {
      Scope_Id__c: 'session-without-steps'
    });
    assert.ok(empty.success);
    emptyId = empty.id;
  });
  after(async () => {
    await preview?.close();
    await sandbox?.close();
    await rm(buildDir, { recursive: true, force: true });
  });

  it('lists the steps in step order with their times and photos, names escaped', async () => {
    const response = await fetch(
      `${preview.url}/scope-ar-sessions/${sessionId}`
    );
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /Steps \(2\)/);
    assert.match(html, /Pump seal replacement/);
    const first = html.indexOf('data-step="1"');
    const second = html.indexOf('data-step="2"');
    assert.ok(first > 0 && second > first, 'ordered by Step_Order__c');
    assert.ok(html.includes('Prüfen &amp; &lt;dichten&gt; 🔧'));
    assert.ok(!html.includes('<dichten>'));
    assert.match(
      html.slice(first, second),
      /2026-12-03 10:00:00<\/td><td data-label="Completed">2026-12-03 10:05:00<\/td><td data-label="Photos">1</
    );
  });

  it('says so when the session has no steps yet', async () => {
    const html = await (
      await fetch(`${preview.url}/scope-ar-sessions/${emptyId}`)
    ).text();
    assert.match(html, /Steps \(0\)/);
    assert.match(html, /data-id="no-steps"/);
  });

  it('refuses a malformed id and answers 404 for an unknown one', async () => {
    const bad = await fetch(
      `${preview.url}/scope-ar-sessions/x'%20OR%20Id!=null`
    );
    assert.equal(bad.status, 400);
    const unknown = await fetch(
      `${preview.url}/scope-ar-sessions/${sessionId.slice(0, 12)}ZZZ`
    );
    assert.equal(unknown.status, 404);
  });
});

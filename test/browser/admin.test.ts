// Browser test of the WorkLink app's admin pages in the preview (/worklink/inbox, /worklink/health): the
// real LWCs in headless Chromium, their GraphQL wires and record updates answered by the Salesforce
// sandbox, with the Scope sandbox and the connector wired as `npm run demo` wires them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import jsforce from 'jsforce';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../support/wait-for.ts';
import type { WaitOptions } from '../support/wait-for.ts';
import { startDemo } from '../../demo/start-demo.ts';
import { createJwtAssertion } from '../../connector/src/salesforce/index.ts';
import { REPO_ROOT } from '../../demo/preview-build/build-preview.ts';
import type { Demo } from '../../demo/start-demo.ts';

const SCREENSHOTS = join(REPO_ROOT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT: WaitOptions = {
  timeoutMs: 30_000,
  intervalMs: 200,
  retryOnError: true
};
// The Health page's App Builder properties, shortened so a stopped connector shows red in seconds; the
// demo's connector is told to beat every 2 s and at least every 4 s.
const HEALTH_QUERY = '?staleAfterSeconds=15&refreshSeconds=2';
// A work order number the way a technician mistyped it: the connector finds no such work order, the
// inbox suggests 00000101 (the same number once the prefix and leading zeros are ignored).
const RAW_KEY = 'WO-0101';

interface SessionRow {
  Id: string;
  Work_Order__c: string | null;
  Link_Status__c: string;
  State__c: string | null;
}

let demo: Demo;
let browser: Browser;
let salesforce: jsforce.Connection;

async function unmatchedSession(): Promise<SessionRow | undefined> {
  const result = await salesforce.query<SessionRow>(
    `SELECT Id, Work_Order__c, Link_Status__c, State__c FROM Scope_AR_Session__c WHERE External_Work_Order_Ref__c = '${RAW_KEY}'`
  );
  return result.records[0];
}

async function openPage(path: string, phone = false): Promise<Page> {
  const context = await browser.newContext(
    phone
      ? {
          viewport: { width: 390, height: 844 },
          isMobile: true,
          hasTouch: true
        }
      : { viewport: { width: 1280, height: 800 } }
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${demo.urls.preview}${path}`);
  await page.locator('[data-id="app-nav"]').waitFor({ timeout: 30_000 });
  page.once('close', () => assert.deepEqual(errors, [], 'no script errors'));
  return page;
}

before(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  demo = await startDemo({
    stepMs: 150,
    heartbeat: { intervalSeconds: 2, maxSilenceSeconds: 4 }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(
      signal,
      () => void demo.stop().finally(() => process.exit(130))
    );
  salesforce = new jsforce.Connection({
    oauth2: { loginUrl: demo.urls.salesforce, clientId: demo.viewer.clientId },
    version: '68.0'
  });
  await salesforce.authorize({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: createJwtAssertion(demo.viewer)
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking'
    ]
  });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('WorkLink app pages in the preview', { timeout: 240_000 }, () => {
  test('an unmatched session is linked in one click from the inbox, shows on the work order, and undo unlinks it', async () => {
    // The technician's phone opens a link whose work order key matches no work order.
    const opened = await fetch(`${demo.urls.preview}/preview-api/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `worklink://resource?action=fetch_catalog&asset=PUMP-100&work_order_number=${RAW_KEY}`
      })
    });
    assert.equal(opened.status, 202);
    const session = await waitFor(
      'the unmatched session in Salesforce, completed',
      async () => {
        const row = await unmatchedSession();
        return (
          row &&
          row.Link_Status__c === 'Unmatched' &&
          /complete/i.test(row.State__c ?? '') &&
          row
        );
      },
      WAIT
    );
    const workOrder = (
      await salesforce.query<{ Id: string }>(
        "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
      )
    ).records[0];
    assert.ok(workOrder);

    const page = await openPage('/worklink/inbox');
    const row = page.locator(
      `c-worklink-unmatched-inbox [data-id="session"][data-session-id="${session.Id}"]`
    );
    const suggestion = row.locator('[data-id="suggestion"] button', {
      hasText: '00000101'
    });
    await suggestion.waitFor({ timeout: 30_000 });
    assert.equal(
      await page.locator('#app-tabs .slds-is-active').innerText(),
      'Unmatched Inbox'
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'admin-01-inbox.png'),
      fullPage: true
    });

    await suggestion.click();
    await row.locator('[data-id="linked"]').waitFor({ timeout: 30_000 });
    const linked = await waitFor(
      'the manual link in Salesforce',
      async () => {
        const r = await unmatchedSession();
        return r?.Link_Status__c === 'Linked manually' && r;
      },
      WAIT
    );
    assert.equal(linked.Work_Order__c, workOrder.Id);
    await page.screenshot({
      path: join(SCREENSHOTS, 'admin-02-inbox-linked.png'),
      fullPage: true
    });

    const workOrderPage = await browser.newPage();
    await workOrderPage.goto(`${demo.urls.preview}/work-orders/00000101`);
    await waitFor(
      'the linked session in the work order related list',
      async () =>
        (await workOrderPage
          .locator('#related-list tr', { hasText: 'Linked manually' })
          .count()) > 0,
      WAIT
    );
    await workOrderPage.screenshot({
      path: join(SCREENSHOTS, 'admin-03-work-order-linked.png'),
      fullPage: true
    });
    await workOrderPage.close();

    await row.locator('[data-id="undo"] button').click();
    const undone = await waitFor(
      'the undo in Salesforce',
      async () => {
        const r = await unmatchedSession();
        return r?.Link_Status__c === 'Unmatched' && r;
      },
      WAIT
    );
    assert.equal(undone.Work_Order__c, null);
    await row
      .locator('[data-id="suggestion"]')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.context().close();

    const phone = await openPage('/worklink/inbox?formFactor=Small', true);
    await phone
      .locator('c-worklink-unmatched-inbox [data-id="session"]')
      .first()
      .waitFor({ timeout: 30_000 });
    await phone.screenshot({
      path: join(SCREENSHOTS, 'admin-04-inbox-phone.png'),
      fullPage: true
    });
    await phone.context().close();
  });

  test('stopping the connector turns the Health page red without a reload', async () => {
    const page = await openPage(`/worklink/health${HEALTH_QUERY}`);
    const card = page
      .locator('c-worklink-health [data-id="deployment"]')
      .first();
    await waitFor(
      'a heartbeat that is not red',
      async () =>
        ['green', 'warning'].includes(
          (await card.getAttribute('data-level')) ?? ''
        ),
      WAIT
    );
    assert.equal(
      await page.locator('#app-tabs .slds-is-active').innerText(),
      'Health'
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'admin-05-health-running.png'),
      fullPage: true
    });
    await page.evaluate("window.previewMarker = 'not reloaded'");

    await demo.stopConnector();
    await waitFor(
      'the Health page to turn red',
      async () => (await card.getAttribute('data-level')) === 'red',
      { ...WAIT, timeoutMs: 60_000 }
    );
    assert.equal(await page.evaluate('window.previewMarker'), 'not reloaded');
    assert.ok(
      (await card.locator('[data-id="finding"][data-level="red"]').count()) > 0,
      'a red finding says what is wrong'
    );
    await page.screenshot({
      path: join(SCREENSHOTS, 'admin-06-health-red.png'),
      fullPage: true
    });
    await page.context().close();

    const phone = await openPage(
      `/worklink/health${HEALTH_QUERY}&formFactor=Small`,
      true
    );
    await phone
      .locator('c-worklink-health [data-id="deployment"][data-level="red"]')
      .waitFor({ timeout: 30_000 });
    await phone.screenshot({
      path: join(SCREENSHOTS, 'admin-07-health-phone.png'),
      fullPage: true
    });
    await phone.context().close();
  });
});

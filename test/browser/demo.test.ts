// Browser test of the demo: the real LWC in the Work Order page preview, driven in headless Chromium,
// against both sandboxes and the connector wired as `npm run demo` wires them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type jsforce from 'jsforce';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/wait-for.ts';
import {
  BROWSER_WAIT,
  PHONE_WIDTH,
  SCREENSHOTS,
  sessionRow,
  startBrowserDemo
} from './support/browser-demo.ts';
import type { BrowserDemo } from './support/browser-demo.ts';

interface SeededWorkOrder {
  Id: string;
  WorkOrderNumber: string;
  CaseId: string | null;
  Asset: { Scope_Asset_Id__c: string | null } | null;
  WorkLink_Expert__r: {
    Name: string;
    WorkLink_Call_Link__c: string | null;
  } | null;
}

let world: BrowserDemo;
let salesforce: jsforce.Connection;

async function seededWorkOrder(number: string): Promise<SeededWorkOrder> {
  const result = await salesforce.query<SeededWorkOrder>(
    'SELECT Id, WorkOrderNumber, CaseId, Asset.Scope_Asset_Id__c, WorkLink_Expert__r.Name, ' +
      `WorkLink_Expert__r.WorkLink_Call_Link__c FROM WorkOrder WHERE WorkOrderNumber = '${number}'`
  );
  const [workOrder] = result.records;
  assert.ok(workOrder, `work order ${number} is seeded`);
  return workOrder;
}

const label = (name: string) => world.label(name);
const openWorkOrder = (
  number: string,
  options: { phone?: boolean } = {}
): Promise<Page> => world.openPage(`/work-orders/${number}`, options);

before(async () => {
  world = await startBrowserDemo();
  salesforce = world.salesforce;
});

after(async () => {
  await world?.stop();
});

describe('Work Order page preview', { timeout: 180_000 }, () => {
  test('work order 00000101 shows both deeplinks with the exact hrefs', async () => {
    const seeded = await seededWorkOrder('00000101');
    assert.equal(seeded.Id.length, 18);
    assert.ok(seeded.CaseId, 'work order 00000101 has a case');
    assert.equal(seeded.Asset?.Scope_Asset_Id__c, 'PUMP-100');
    const externalData = `work_order_id=${seeded.Id}&work_order_number=00000101&case_id=${seeded.CaseId}`;

    const page = await openWorkOrder('00000101');
    const launch = page.locator('c-worklink-launcher a[data-id="launch"]');
    const call = page.locator('c-worklink-launcher a[data-id="call"]');
    assert.equal(
      await launch.getAttribute('href'),
      `worklink://resource?action=fetch_catalog&asset=PUMP-100&${externalData}`
    );
    assert.equal(await launch.innerText(), label('WorkLink_Launch'));
    assert.equal(
      seeded.WorkLink_Expert__r?.WorkLink_Call_Link__c,
      'worklink://resource?action=fetch_user&user=501'
    );
    assert.equal(
      await call.getAttribute('href'),
      `worklink://resource?action=fetch_user&user=501&${externalData}`
    );
    assert.equal(await call.innerText(), label('WorkLink_Call_Expert'));
    assert.equal(
      await page.locator('[data-field="Asset"]').innerText(),
      'Centrifugal Pump P-100 (PUMP-100)'
    );
    await page.screenshot({
      path: join(SCREENSHOTS, '01-work-order-00000101.png'),
      fullPage: true
    });
    await page.context().close();
  });

  test('Launch hands the deeplink to the simulator and the session appears without a reload', async () => {
    const seeded = await seededWorkOrder('00000101');
    const page = await openWorkOrder('00000101');
    const before = await page
      .locator('#related-list tr[data-kind="Scenario Session"]')
      .count();
    // The page's own globals survive only if the row arrives without a reload (page code, hence a string).
    await page.evaluate("window.previewMarker = 'not reloaded'");

    await page.locator('c-worklink-launcher a[data-id="launch"]').click();
    await page
      .locator('[data-id="toast-title"]', {
        hasText: 'Handed to the WorkLink simulator'
      })
      .waitFor();
    await page.screenshot({
      path: join(SCREENSHOTS, '02-launch-handed-to-simulator.png')
    });

    await waitFor(
      'the new session row',
      async () =>
        (await page
          .locator('#related-list tr[data-kind="Scenario Session"]')
          .count()) > before,
      BROWSER_WAIT
    );
    const [, kind, scenario, , , linkStatus] = await sessionRow(
      page,
      'Scenario Session'
    );
    assert.equal(kind, 'Scenario Session');
    assert.equal(scenario, 'Centrifugal Pump P-100 Seal Replacement');
    assert.equal(linkStatus, 'Matched');
    // The simulator walks the session through its steps; the updates flow through webhooks to the row.
    await waitFor(
      'the session to complete',
      async () =>
        /complete/i.test((await sessionRow(page, 'Scenario Session'))[3] ?? ''),
      BROWSER_WAIT
    );
    assert.equal(await page.evaluate('window.previewMarker'), 'not reloaded');

    const written = await salesforce.query<{
      Scope_Id__c: string;
      Work_Order__c: string;
      Case__c: string;
    }>(
      `SELECT Scope_Id__c, Work_Order__c, Case__c FROM Scope_AR_Session__c WHERE Work_Order__c = '${seeded.Id}' AND Kind__c = 'Scenario Session'`
    );
    assert.ok(
      written.records.length > before,
      'the connector upserted the session into Salesforce'
    );
    assert.ok(
      written.records.every((record) => record.Case__c === seeded.CaseId)
    );
    await page.screenshot({
      path: join(SCREENSHOTS, '03-session-in-related-list.png'),
      fullPage: true
    });

    // The session's own page lists the steps the technician went through, each completed (the steps
    // are written just after the session, so the page is loaded again until they are).
    const sessionLink = page
      .locator('#related-list tr[data-kind="Scenario Session"] th a')
      .first();
    const href = await sessionLink.getAttribute('href');
    assert.match(href ?? '', /^\/scope-ar-sessions\/a0X\w{15}$/);
    await sessionLink.click();
    await waitFor(
      'every step of the completed session on its page',
      async () => {
        await page.goto(new URL(href ?? '', page.url()).toString());
        const completed = await page
          .locator('[data-id="steps"] tbody tr td[data-label="Completed"]')
          .allInnerTexts();
        return completed.length > 0 && completed.every((t) => t.trim() !== '');
      },
      BROWSER_WAIT
    );
    await page.screenshot({
      path: join(SCREENSHOTS, '03b-session-page-steps.png'),
      fullPage: true
    });
    await page.context().close();
  });

  test('Call expert creates a Call row', async () => {
    const page = await openWorkOrder('00000101');
    const before = await page
      .locator('#related-list tr[data-kind="Call"]')
      .count();
    await page.locator('c-worklink-launcher a[data-id="call"]').click();
    await page
      .locator('[data-id="toast-title"]', {
        hasText: 'Handed to the WorkLink simulator'
      })
      .waitFor();
    await waitFor(
      'the call row',
      async () =>
        (await page.locator('#related-list tr[data-kind="Call"]').count()) >
        before,
      BROWSER_WAIT
    );
    const [, kind, , , , linkStatus] = await sessionRow(page, 'Call');
    assert.equal(kind, 'Call');
    assert.equal(linkStatus, 'Matched');
    await page.screenshot({
      path: join(SCREENSHOTS, '04-call-in-related-list.png'),
      fullPage: true
    });
    await page.context().close();
  });

  test('a work order without an asset shows the disabled launch and its explanation', async () => {
    const seeded = await seededWorkOrder('00000105');
    assert.equal(seeded.Asset, null);
    const page = await openWorkOrder('00000105');
    const launch = page.locator('c-worklink-launcher [data-id="launch"]');
    assert.equal(await launch.evaluate((node) => node.tagName), 'BUTTON');
    assert.equal(await launch.isDisabled(), true);
    assert.equal(await launch.getAttribute('href'), null);
    const reason = page.locator(
      'c-worklink-launcher [data-id="launch-reason"]'
    );
    assert.equal((await reason.innerText()).trim(), label('WorkLink_No_Asset'));
    assert.equal(
      await launch.getAttribute('aria-describedby'),
      await reason.getAttribute('id')
    );
    await page.screenshot({
      path: join(SCREENSHOTS, '05-work-order-00000105-no-asset.png'),
      fullPage: true
    });
    await page.context().close();
  });

  test('phone form factor stacks the page and stretches the buttons', async () => {
    const page = await openWorkOrder('00000101', { phone: true });
    const launch = page.locator('c-worklink-launcher a[data-id="launch"]');
    assert.match(
      (await launch.getAttribute('class')) ?? '',
      /slds-button_stretch/
    );
    const launchBox = await launch.boundingBox();
    const relatedBox = await page.locator('#related-list').boundingBox();
    assert.ok(launchBox && relatedBox);
    assert.ok(
      launchBox.y < relatedBox.y,
      'the launcher comes before the related list on a phone'
    );
    assert.ok(
      launchBox.width > 300,
      `the launch button is stretched (width ${launchBox.width})`
    );
    // With isMobile the layout viewport grows to fit wide content: compare with the device width itself.
    const pageWidth = Number(
      await page.evaluate('document.documentElement.scrollWidth')
    );
    assert.ok(
      pageWidth <= PHONE_WIDTH,
      `no horizontal scrolling on a phone (page ${pageWidth}px wide)`
    );
    await page.screenshot({
      path: join(SCREENSHOTS, '06-phone-00000101.png'),
      fullPage: true
    });
    await page.context().close();
  });
});

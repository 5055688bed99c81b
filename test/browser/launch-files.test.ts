// Browser test of issue #18's flow end to end: Launch on the Work Order page, the simulator runs the
// session, the connector (`connector serve`, as `npm run demo` runs it) writes the session and then its
// files job copies the session's Scope photos into Salesforce Files; the work order's Files related
// list shows them with decoded thumbnails and the scenario — step — time titles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type jsforce from 'jsforce';
import { waitFor } from '../support/wait-for.ts';
import {
  BROWSER_WAIT,
  SCREENSHOTS,
  sessionRow,
  startBrowserDemo
} from './support/browser-demo.ts';
import type { BrowserDemo } from './support/browser-demo.ts';

let world: BrowserDemo;
let salesforce: jsforce.Connection;

before(async () => {
  world = await startBrowserDemo();
  salesforce = world.salesforce;
});

after(async () => {
  await world?.stop();
});

const copiedTo = async (workOrderId: string) =>
  (
    await salesforce.query<{ ContentDocumentId: string }>(
      `SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${workOrderId}'`
    )
  ).records.length;

describe(
  'Launch → photos as Files on the work order',
  { timeout: 240_000 },
  () => {
    test("the session's photos appear in the work order's Files related list", async () => {
      const [workOrder] = (
        await salesforce.query<{ Id: string }>(
          "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
        )
      ).records;
      assert.ok(workOrder);
      const before = await copiedTo(workOrder.Id);
      const page = await world.openPage('/work-orders/00000101');
      await page.locator('c-worklink-launcher a[data-id="launch"]').click();
      await waitFor(
        'the session to complete',
        async () =>
          /complete/i.test(
            (await sessionRow(page, 'Scenario Session').catch(() => []))[3] ??
              ''
          ),
        BROWSER_WAIT
      );
      const copied = await waitFor(
        'the photos copied and linked',
        async () => {
          const n = await copiedTo(workOrder.Id);
          return n > before ? n : undefined;
        },
        { ...BROWSER_WAIT, timeoutMs: 90_000 }
      );
      const versions = await salesforce.query<{
        Title: string;
        WorkLink_Scope_Event_Id__c: string;
      }>(
        'SELECT Title, WorkLink_Scope_Event_Id__c FROM ContentVersion WHERE WorkLink_Scope_Event_Id__c != null'
      );
      assert.equal(versions.records.length, copied - before);
      for (const v of versions.records)
        assert.match(
          v.Title,
          /^Centrifugal Pump P-100 Seal Replacement — .+ — \d{4}-\d\d-\d\d \d\d:\d\d UTC$/
        );

      await page.reload();
      const widths = await waitFor(
        'decoded thumbnails of the copied photos',
        async () => {
          const shown = (await page.evaluate(
            "[...document.querySelectorAll('#files-related-list img[data-id=file-thumbnail]')].map((i) => (i.complete ? i.naturalWidth : 0))"
          )) as number[];
          return shown.length === copied && shown.every((w) => w > 0)
            ? shown
            : undefined;
        },
        BROWSER_WAIT
      );
      assert.equal(widths.length, copied);
      const titles = await page
        .locator('#files-related-list [data-id="file-title"]')
        .allTextContents();
      assert.deepEqual(
        [...titles].sort(),
        versions.records.map((v) => v.Title).sort()
      );
      await page
        .locator('#files-related-list')
        .screenshot({ path: join(SCREENSHOTS, 'launch-photos-as-files.png') });
      await page.context().close();
    });
  }
);

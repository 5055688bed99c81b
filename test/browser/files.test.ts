// Browser test of the Files related list: photos (real PNG and JPEG bytes, as the Scope sandbox makes
// them) uploaded to the Salesforce sandbox as ContentVersions published to a work order show on the
// Work Order page preview with their thumbnails, titles and sizes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import type jsforce from 'jsforce';
import {
  photoSpec,
  photoStream
} from '../../sandboxes/scope/files/photo-bytes.ts';
import {
  BROWSER_WAIT,
  SCREENSHOTS,
  startBrowserDemo
} from './support/browser-demo.ts';
import type { BrowserDemo } from './support/browser-demo.ts';
import { waitFor } from '../support/wait-for.ts';

let world: BrowserDemo;
let salesforce: jsforce.Connection;

before(async () => {
  world = await startBrowserDemo();
  salesforce = world.salesforce;
});

after(async () => {
  await world?.stop();
});

/** A multipart ContentVersion insert, as the connector makes it for a photo. */
async function uploadPhoto(
  workOrderId: string,
  databaseId: number,
  format: 'png' | 'jpeg',
  title: string
): Promise<string> {
  const spec = photoSpec(databaseId, {
    format,
    photoMinBytes: 250_000,
    photoMaxBytes: 250_000
  });
  const bytes = await buffer(photoStream(spec));
  const form = new FormData();
  const entity = {
    Title: title,
    PathOnClient: spec.fileName,
    FirstPublishLocationId: workOrderId,
    WorkLink_Scope_Event_Id__c: `ev+${databaseId}/=_-`
  };
  form.append(
    'entity_content',
    new Blob([JSON.stringify(entity)], { type: 'application/json' })
  );
  form.append('VersionData', new Blob([bytes]), spec.fileName);
  const response = await fetch(
    `${salesforce.instanceUrl}/services/data/v68.0/sobjects/ContentVersion`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${salesforce.accessToken}` },
      body: form
    }
  );
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { id: string }).id;
}

describe('Files related list', { timeout: 180_000 }, () => {
  test('photos linked to the work order show as files with their thumbnails', async () => {
    const workOrders = await salesforce.query<{ Id: string }>(
      "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
    );
    const workOrderId = workOrders.records[0]?.Id ?? '';
    const titles = [
      'Pump — Remove the coupling guard — 10:02',
      'Pump — Run in and check for leaks — 10:07 漢字'
    ];
    await uploadPhoto(workOrderId, 123_401, 'png', titles[0] ?? '');
    await uploadPhoto(workOrderId, 123_402, 'jpeg', titles[1] ?? '');

    const page = await world.openPage('/work-orders/00000101');
    const thumbnails = page.locator(
      '#files-related-list img[data-id="file-thumbnail"]'
    );
    // Each thumbnail decoded: the bytes came back through VersionData as real images.
    const decodedWidths = () =>
      page.evaluate(
        "[...document.querySelectorAll('#files-related-list img[data-id=file-thumbnail]')].map((i) => (i.complete ? i.naturalWidth : 0))"
      ) as Promise<number[]>;
    const sizes = await waitFor(
      'two decoded thumbnails',
      async () => {
        const widths = await decodedWidths();
        return widths.length === 2 && widths.every((w) => w > 0)
          ? widths
          : undefined;
      },
      BROWSER_WAIT
    );
    assert.equal(await thumbnails.count(), 2);
    assert.deepEqual(sizes.sort(), [16, 160]);
    assert.equal(
      await page.locator('[data-id="files-title"]').textContent(),
      'Files (2)'
    );
    const shownTitles = await page
      .locator('#files-related-list [data-id="file-title"]')
      .allTextContents();
    assert.deepEqual([...shownTitles].sort(), [...titles].sort());
    const facts = await page
      .locator('#files-related-list li p')
      .allTextContents();
    assert.ok(
      facts.every((line) => /244KB • (png|jpg)$/.test(line)),
      facts.join(' | ')
    );
    await page
      .locator('#files-related-list')
      .screenshot({ path: join(SCREENSHOTS, 'files-related-list.png') });
    await page.screenshot({
      path: join(SCREENSHOTS, 'work-order-with-files.png'),
      fullPage: true
    });
    await page.context().close();
  });
});

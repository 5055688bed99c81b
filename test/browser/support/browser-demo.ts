// The one setup of the browser tests: the demo as `npm run demo` wires it (both sandboxes, the connector,
// the record page preview), headless Chromium, and a jsforce connection reading as the page's viewer.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsforce from 'jsforce';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { parseCustomLabels } from '../../../demo/preview-build/custom-labels.ts';
import { startDemo } from '../../../demo/start-demo.ts';
import { createJwtAssertion } from '../../../connector/src/salesforce/index.ts';
import type { Demo } from '../../../demo/start-demo.ts';
import { REPO_ROOT } from '../../../demo/preview-build/build-preview.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { WaitOptions } from '../../support/wait-for.ts';

export const SCREENSHOTS = join(REPO_ROOT, 'screenshots');
export const DEADLINE_MS = 30_000;
export const PHONE_WIDTH = 390;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const BROWSER_WAIT: WaitOptions = {
  timeoutMs: DEADLINE_MS,
  intervalMs: 200,
  retryOnError: true
};

export interface BrowserDemo {
  demo: Demo;
  browser: Browser;
  /** Reads as the page's viewer (the integration user is not granted the launcher's fields). */
  salesforce: jsforce.Connection;
  label(name: string): string;
  /** Opens a preview path (e.g. `/cases/00001002`) and waits for the component and the related list. */
  openPage(path: string, options?: { phone?: boolean }): Promise<Page>;
  stop(): Promise<void>;
}

async function readLabels(): Promise<Map<string, string>> {
  return parseCustomLabels(
    await readFile(
      join(
        REPO_ROOT,
        'force-app/main/default/labels/CustomLabels.labels-meta.xml'
      ),
      'utf8'
    )
  );
}

async function viewerConnection(demo: Demo): Promise<jsforce.Connection> {
  const salesforce = new jsforce.Connection({
    oauth2: {
      loginUrl: demo.urls.salesforce,
      clientId: demo.viewer.clientId
    },
    version: '68.0'
  });
  await salesforce.authorize({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: createJwtAssertion(demo.viewer)
  });
  return salesforce;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  });
}

async function openPreviewPage(
  demo: Demo,
  browser: Browser,
  path: string,
  options: { phone?: boolean }
): Promise<Page> {
  const context = await browser.newContext(
    options.phone
      ? {
          viewport: { width: PHONE_WIDTH, height: 844 },
          isMobile: true,
          hasTouch: true
        }
      : { viewport: { width: 1280, height: 800 } }
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(
    `${demo.urls.preview}${path}${options.phone ? '?formFactor=Small' : ''}`
  );
  await page
    .locator('c-worklink-launcher [data-id="launch"]')
    .waitFor({ timeout: DEADLINE_MS });
  await page
    .locator('[data-id="related-title"]')
    .waitFor({ timeout: DEADLINE_MS });
  assert.deepEqual(errors, [], 'no script errors on the page');
  return page;
}

export async function startBrowserDemo(): Promise<BrowserDemo> {
  const labels = await readLabels();
  await mkdir(SCREENSHOTS, { recursive: true });
  const demo = await startDemo({ stepMs: 150 });
  // The connector runs in its own process group; an interrupted test run must still stop it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(
      signal,
      () => void demo.stop().finally(() => process.exit(130))
    );
  }
  const salesforce = await viewerConnection(demo);
  const browser = await launchChromium();
  return {
    demo,
    browser,
    salesforce,
    label(name) {
      const value = labels.get(name);
      assert.ok(value, `Custom Label ${name} exists`);
      return value;
    },
    openPage: (path, options = {}) =>
      openPreviewPage(demo, browser, path, options),
    async stop() {
      await browser.close();
      await demo.stop();
    }
  };
}

/** The cells of the newest related-list row of a kind, once there is one. */
export async function sessionRow(page: Page, kind: string) {
  const row = page.locator(`#related-list tr[data-kind="${kind}"]`).first();
  await waitFor(
    `a "${kind}" row in the related list`,
    () => row.isVisible(),
    BROWSER_WAIT
  );
  const cells = await row.locator('th, td').allInnerTexts();
  return cells.map((cell) => cell.trim());
}

/** Clicks a WorkLink link, waits for the hand-off toast and for one more row of `kind`. */
export async function clickAndWaitForRow(
  page: Page,
  dataId: 'launch' | 'call',
  kind: string
): Promise<string[]> {
  const rows = page.locator(`#related-list tr[data-kind="${kind}"]`);
  const before = await rows.count();
  await page.locator(`c-worklink-launcher a[data-id="${dataId}"]`).click();
  await page
    .locator('[data-id="toast-title"]', {
      hasText: 'Handed to the WorkLink simulator'
    })
    .first()
    .waitFor({ timeout: DEADLINE_MS });
  await waitFor(
    `a new "${kind}" row`,
    async () => (await rows.count()) > before,
    BROWSER_WAIT
  );
  return sessionRow(page, kind);
}

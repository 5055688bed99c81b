// Browser test of the AR Impact dashboard in the preview (/worklink/ar-impact): a manager (the sandbox's
// admin) opens it in headless Chromium; the figures it draws, from the packaged reports run by the
// Salesforce sandbox's Analytics API with their saved filters (the last 90 days), equal those of
// `connector report ttr` over the same days. The screenshot goes to docs/images for the README.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Connection } from 'jsforce';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { buildPreviewCached } from '../../demo/preview-build/build-preview-in-child.ts';
import { REPO_ROOT } from '../../demo/preview-build/build-preview.ts';
import { startPreviewServer } from '../../demo/preview-server.ts';
import type { PreviewServer } from '../../demo/preview-server.ts';
import { createSalesforceReader } from '../../demo/salesforce-reader.ts';
import {
  SANDBOX_ADMIN_USERNAME,
  startSalesforceSandbox
} from '../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import {
  recomputeOutcomeFields,
  seedArImpactWorld
} from '../support/ar-impact-world.ts';
import { cliGroup, runTtrCli } from '../support/ttr-cli.ts';
import type { CliTtr } from '../support/ttr-cli.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = join(REPO_ROOT, 'docs', 'images', 'ar-impact-dashboard.png');
const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let sf: SalesforceSandbox;
let preview: PreviewServer;
let browser: Browser;
let page: Page;
let cli: CliTtr;
const errors: string[] = [];

before(async () => {
  const built = buildPreviewCached();
  sf = await startSalesforceSandbox({ port: 0, seed: { closedWorkOrders: 0 } });
  const world = seedArImpactWorld(sf);
  const admin = new Connection({ loginUrl: sf.url, version: '64.0' });
  await admin.login(SANDBOX_ADMIN_USERNAME, 'worklink-sandbox');
  await recomputeOutcomeFields(admin, {
    windowDays: 30,
    resolvedStatuses: ['Completed', 'Closed'],
    now: new Date()
  });
  // The reports' saved filter, LAST_90_DAYS: the 90 days before today, and today.
  cli = await runTtrCli(
    sf,
    day(world.today - 90 * DAY_MS),
    day(world.today + DAY_MS)
  );
  const build = await built;
  preview = await startPreviewServer({
    salesforce: createSalesforceReader({
      loginUrl: sf.url,
      clientId: sf.clientId,
      username: SANDBOX_ADMIN_USERNAME,
      privateKeyPem: sf.jwtPrivateKeyPem,
      audience: sf.jwtAudience
    }),
    scopeBaseUrl: 'http://127.0.0.1:9',
    buildDir: build.outDir,
    recordObjects: Object.keys(build.components),
    port: 0
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
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 }
  });
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${preview.url}/worklink/ar-impact`);
  await page.locator('[data-id="dashboard"]').waitFor({ timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await preview?.close();
  await sf?.close();
});

interface Bar {
  group: string;
  value: number | null;
  count: number;
  text: string;
}

async function bars(report: string): Promise<Map<string, Bar>> {
  const found = await page
    .locator(`[data-report="${report}"] g[data-group]`)
    .evaluateAll((nodes) =>
      nodes.map((n) => ({
        group: n.getAttribute('data-group') ?? '',
        value:
          n.getAttribute('data-value') === ''
            ? null
            : Number(n.getAttribute('data-value')),
        count: Number(n.getAttribute('data-count')),
        text: n.querySelector('.preview-chart__value')?.textContent ?? ''
      }))
    );
  return new Map(found.map((b) => [b.group, b]));
}

const round = (v: number | null | undefined, digits: number) =>
  v === null || v === undefined
    ? null
    : Math.round(v * 10 ** digits) / 10 ** digits;

const SPLITS = [
  {
    suffix: 'AR_Call',
    cli: 'ar_call',
    with: 'With AR call',
    without: 'Without AR call'
  },
  {
    suffix: 'Scenario_Session',
    cli: 'scenario_session',
    with: 'With scenario session',
    without: 'Without scenario session'
  }
] as const;

describe('AR Impact dashboard in the preview', { timeout: 180_000 }, () => {
  test('the page is the WorkLink app with the Dashboards tab active, and the dashboard title', async () => {
    assert.equal(
      await page
        .locator('#app-tabs [data-tab="ar-impact"]')
        .getAttribute('class'),
      'slds-context-bar__item slds-is-active'
    );
    assert.equal(
      await page.locator('.slds-page-header__title').textContent(),
      'AR Impact'
    );
    assert.equal(await page.locator('[data-report]').count(), 8);
  });

  for (const s of SPLITS)
    for (const side of ['with', 'without'] as const)
      test(`TTR, first-time fix and repeat visits ${side} ${s.cli.replace('_', ' ')} equal the CLI`, async () => {
        const g = cliGroup(cli, `${side}_${s.cli}`);
        const ttr = (await bars(`WorkLink_TTR_by_${s.suffix}`)).get(s[side]);
        assert.equal(ttr?.count, g.workOrders);
        assert.equal(round(ttr?.value, 2), g.meanHours);
        assert.equal(ttr?.text, g.meanHours?.toFixed(2));
        const ftf = (await bars(`WorkLink_FTF_by_${s.suffix}`)).get(s[side]);
        assert.equal(ftf?.count, g.firstTimeFixKnown);
        assert.equal(round(ftf?.value, 4), g.firstTimeFixRate);
        assert.equal(
          ftf?.text,
          `${((g.firstTimeFixRate ?? 0) * 100).toFixed(1)} %`
        );
        const repeat = (
          await bars(`WorkLink_Repeat_Visits_by_${s.suffix}`)
        ).get(s[side]);
        assert.equal(repeat?.count, g.repeatVisitKnown);
        assert.equal(round(repeat?.value, 4), g.repeatVisitRate);
      });

  test('screenshot for the README, and no script errors', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(errors, []);
  });
});

// Reconciliation repairs what lost webhooks left missing or stale in Salesforce; the time-to-resolution
// report reads closed work orders and their AR records by SOQL and stores its result; the CLI runs both.
import { salesforceSeconds } from '../../../connector/src/salesforce/date-time.ts';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { runCli } from '../../../connector/src/cli.ts';
import type {
  ResourceEvent,
  ResourceKind
} from '../../../connector/src/contracts.ts';
import { runTtrReport } from '../../../connector/src/report/ttr-report.ts';
import { createSyncMetrics } from '../../../connector/src/sync/sync-metrics.ts';
import { linkManually } from '../../support/link-manually.ts';
import { waitFor } from '../../support/wait-for.ts';
import { startSyncHarness } from './helpers/sync-harness.ts';
import type { SyncHarness } from './helpers/sync-harness.ts';

let h: SyncHarness;
let recorder: Server;
before(async () => {
  // The generation-1 webhook target: answers 200 to whatever the sandbox does not drop.
  recorder = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    );
  });
  await new Promise<void>((resolve) =>
    recorder.listen(0, '127.0.0.1', resolve)
  );
  const port = (recorder.address() as AddressInfo).port;
  h = await startSyncHarness({
    scope: {
      seed: { historicalSessions: 0, historicalCalls: 0 },
      webhook: {
        generation1Url: `http://127.0.0.1:${port}/hook`,
        backoffBaseMs: 0
      }
    }
  });
});
after(async () => {
  await h?.close();
  recorder?.closeAllConnections();
  await new Promise<void>((resolve) => recorder.close(() => resolve()));
});

const launch = (asset: string, number: string) =>
  `worklink://resource?action=fetch_catalog&asset=${asset}&work_order_number=${number}`;
const call = (number: string) =>
  `worklink://resource?action=fetch_user&user=501&work_order_number=${number}`;

let processed = new Set<string>();
/** What the real-time path would do with each delivery that arrived: fetch, map, upsert. */
async function processDelivered(): Promise<void> {
  await waitFor(
    'webhook dispatch',
    () => h.scope.deliveries().every((d) => d.outcome !== 'pending'),
    { timeoutMs: 20_000 }
  );
  const fresh = h.scope
    .deliveries()
    .filter((d) => d.outcome === 'delivered' && !processed.has(d.id));
  processed = new Set([...processed, ...fresh.map((d) => d.id)]);
  const events: ResourceEvent[] = fresh.map((d) => ({
    resourceId: d.resourceId,
    resourceType: d.resourceType as ResourceKind,
    event: d.topic,
    deliveryId: d.id,
    receivedAt: new Date().toISOString()
  }));
  if (events.length > 0) await h.processor.process(events);
}

async function openAll(
  links: string[]
): Promise<{ id: string; resourceType: ResourceKind }[]> {
  const opened = [];
  for (const link of links) opened.push(await h.scope.open(link));
  await processDelivered();
  for (let tick = 0; tick < 100; tick += 1) {
    const moved = await h.scope.advance();
    await processDelivered();
    if (moved === 0) return opened;
  }
  throw new Error('the simulator did not finish');
}

describe('reconciliation', { timeout: 300_000 }, () => {
  it('repairs exactly the records whose webhooks the sandbox dropped', async () => {
    h.scope.setFaults({ dropWebhookRate: 0.4 });
    const numbers = [
      '00000101',
      '00000102',
      '00000103',
      '00000104',
      '00000105'
    ];
    const assets = ['PUMP-100', 'HVAC-7', 'GEN-3000'];
    const links = [
      ...Array.from({ length: 18 }, (_, i) =>
        launch(assets[i % 3] as string, numbers[i % 5] as string)
      ),
      ...Array.from({ length: 6 }, (_, i) => call(numbers[i % 5] as string))
    ];
    const opened = await openAll(links);
    h.scope.setFaults({ dropWebhookRate: 0 });
    assert.ok(
      h.scope.deliveries().some((d) => d.outcome === 'dropped'),
      'the fault switch dropped deliveries'
    );

    // Independent of the reconciler: which Salesforce records differ from Scope's final state.
    const nodes = await h.scopeClient.fetchNodes(
      opened.map((o) => ({ id: o.id, kind: o.resourceType }))
    );
    const records = new Map(
      (await h.salesforceSessions()).map((r) => [String(r.Scope_Id__c), r])
    );
    const stale = opened.filter((o) => {
      const result = nodes.get(o.id);
      assert.equal(result?.status, 'found');
      const node = result.status === 'found' ? result.node : {};
      const record = records.get(o.id);
      if (!record) return true;
      const sameTime = (a: unknown, b: unknown) =>
        (a ? salesforceSeconds(String(a)) : null) ===
        (b ? salesforceSeconds(String(b)) : null);
      return (
        record.State__c !== node.state ||
        !sameTime(record.Ended_At__c, node.endedAt) ||
        (o.resourceType === 'ScenarioSession' &&
          record.Steps_Viewed__c !== node.numberOfStepsViewed)
      );
    });
    assert.ok(stale.length > 0, 'some records are missing or stale');

    const registry = new Registry();
    const summary = await h.pass({ metrics: createSyncMetrics(registry) });
    assert.equal(summary.outcome, 'succeeded', summary.error);
    assert.equal(summary.reconcile.checked, opened.length);
    assert.equal(summary.reconcile.repaired, stale.length);
    assert.match(
      await registry.metrics(),
      new RegExp(`worklink_sync_repaired_total ${stale.length}\\b`)
    );

    const repaired = new Map(
      (await h.salesforceSessions()).map((r) => [String(r.Scope_Id__c), r])
    );
    for (const o of opened) {
      const node = (nodes.get(o.id) as { node: Record<string, unknown> }).node;
      const record = repaired.get(o.id);
      assert.ok(record, `${o.id} is in Salesforce`);
      assert.equal(record.State__c, node.state);
      assert.equal(
        record.Link_Status__c,
        'Matched',
        'the same work-order resolution as the real-time path'
      );
      assert.equal(
        record.Kind__c,
        o.resourceType === 'Call' ? 'Call' : 'Scenario Session'
      );
    }
    const again = await h.pass();
    assert.equal(again.reconcile.repaired, 0);
  });

  it('repairs a stale session without undoing its manual link', async () => {
    const opened = [
      await h.scope.open(launch('PUMP-100', '00000101')),
      await h.scope.open(launch('HVAC-7', '88888888'))
    ];
    await processDelivered();
    h.scope.setFaults({ dropWebhookRate: 1 });
    for (let tick = 0; tick < 100 && (await h.scope.advance()) > 0; tick += 1);
    await processDelivered();
    h.scope.setFaults({ dropWebhookRate: 0 });
    const target = (
      (await (
        await fetch(`${h.salesforce.url}/sandbox/records/WorkOrder`)
      ).json()) as { Id: string; WorkOrderNumber: string }[]
    ).find((w) => w.WorkOrderNumber === '00000103');
    assert.ok(target);
    const before = new Map(
      (await h.salesforceSessions()).map((r) => [String(r.Scope_Id__c), r])
    );
    for (const o of opened) {
      const record = before.get(o.id);
      assert.ok(record, `${o.id} reached Salesforce before the drops`);
      assert.notEqual(record.State__c, 'COMPLETED', 'stale in Salesforce');
      await linkManually(h.salesforce, String(record.Id), target.Id);
    }

    const summary = await h.pass();
    assert.equal(summary.outcome, 'succeeded', summary.error);
    assert.ok(summary.reconcile.repaired >= opened.length);
    const after = new Map(
      (await h.salesforceSessions()).map((r) => [String(r.Scope_Id__c), r])
    );
    for (const o of opened) {
      const record = after.get(o.id);
      assert.equal(record?.State__c, 'COMPLETED', 'repaired');
      assert.equal(record?.Link_Status__c, 'Linked manually');
      assert.equal(record?.Work_Order__c, target.Id);
    }
  });
});

const from = new Date(Date.now() - 200 * 86_400_000);
const to = new Date(Date.now() + 86_400_000);

describe('time to resolution', { timeout: 300_000 }, () => {
  const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    const mid = (s.length - 1) / 2;
    return (
      Math.round(
        (((s[Math.floor(mid)] as number) + (s[Math.ceil(mid)] as number)) / 2) *
          100
      ) / 100
    );
  };

  it('compares closed work orders with and without AR calls and sessions, and stores the result', async () => {
    const callNumbers = Array.from({ length: 10 }, (_, i) =>
      String(201 + i).padStart(8, '0')
    );
    const sessionNumbers = Array.from({ length: 10 }, (_, i) =>
      String(206 + i).padStart(8, '0')
    );
    await openAll([
      ...callNumbers.map(call),
      ...sessionNumbers.map((n) => launch('PUMP-100', n))
    ]);
    await h.pass({ streams: ['scenario_sessions', 'calls'] }); // reconciliation writes what the webhooks missed

    const report = await runTtrReport(
      { reader: h.reader, pool: h.pool },
      { from, to, resolvedStatuses: ['Completed', 'Closed'], ftfWindowDays: 30 }
    );
    const workOrders = (await (
      await fetch(`${h.salesforce.url}/sandbox/records/WorkOrder`)
    ).json()) as Record<string, string>[];
    const closed = workOrders.filter((w) => w.Status === 'Closed');
    const hours = (w: Record<string, string>) =>
      Math.round(
        ((Date.parse(w.EndDate as string) -
          Date.parse(w.CreatedDate as string)) /
          3_600_000) *
          100
      ) / 100;
    const withCalls = closed.filter((w) =>
      callNumbers.includes(w.WorkOrderNumber as string)
    );
    const withoutCalls = closed.filter(
      (w) => !callNumbers.includes(w.WorkOrderNumber as string)
    );
    const withSessions = closed.filter((w) =>
      sessionNumbers.includes(w.WorkOrderNumber as string)
    );

    assert.equal(report.workOrders, closed.length);
    assert.equal(closed.length, 40);
    const by = (g: string) => report.groups.find((x) => x.group === g);
    assert.equal(by('with_ar_call')?.workOrders, 10);
    assert.equal(by('with_ar_call')?.medianHours, median(withCalls.map(hours)));
    assert.equal(
      by('without_ar_call')?.medianHours,
      median(withoutCalls.map(hours))
    );
    assert.equal(by('with_scenario_session')?.workOrders, 10);
    assert.equal(
      by('with_scenario_session')?.medianHours,
      median(withSessions.map(hours))
    );
    assert.equal(
      report.differences.arCall.medianHours,
      Math.round(
        (median(withCalls.map(hours)) - median(withoutCalls.map(hours))) * 100
      ) / 100
    );
    assert.ok(
      (by('all')?.firstTimeFixKnown ?? 0) > 0,
      'first-time fix is known for work orders with an asset'
    );

    const stored = await h.pool.query<{
      group_name: string;
      work_orders: number;
      median_hours: string;
    }>(
      'SELECT group_name, work_orders, median_hours FROM analytics.ttr_report_groups WHERE report_id = $1 ORDER BY group_name',
      [report.reportId]
    );
    assert.equal(stored.rows.length, 5);
    assert.equal(
      Number(
        stored.rows.find((r) => r.group_name === 'with_ar_call')?.median_hours
      ),
      by('with_ar_call')?.medianHours
    );
    // BI tools recompute the same median from the stored details with percentile_cont.
    const recomputed = await h.pool.query<{ median: number }>(
      'SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_hours)::numeric, 2)::float AS median FROM analytics.ttr_work_orders WHERE report_id = $1 AND ar_calls > 0',
      [report.reportId]
    );
    assert.equal(recomputed.rows[0]?.median, by('with_ar_call')?.medianHours);
  });
});

describe('CLI', { timeout: 300_000 }, () => {
  const env = () => ({
    DATABASE_URL: h.connectionString,
    SCOPE_BASE_URL: h.scope.url,
    SCOPE_API_TOKEN: 'sandbox-company-token',
    SCOPE_PERMALINK: 'sandbox',
    SF_LOGIN_URL: h.salesforce.url,
    SF_AUTH_FLOW: 'client_credentials',
    SF_CLIENT_ID: 'sandbox-client-id',
    SF_CLIENT_SECRET: 'sandbox-client-secret',
    LOG_LEVEL: 'silent'
  });
  const run = async (
    argv: string[],
    overrides: Record<string, string> = {}
  ) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { ...env(), ...overrides }
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('connector sync runs one pass and prints its summary', async () => {
    await h.scope.open(launch('HVAC-7', '00000102'));
    const result = await run(['sync', '--json']);
    assert.equal(result.code, 0, result.err);
    const summary = JSON.parse(result.out) as {
      outcome: string;
      sessions: { written: number };
      reconcile: { repaired: number };
    };
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(summary.sessions.written, 1);
    assert.equal(summary.reconcile.repaired, 1);
    const table = await run(['backfill', '--no-reconcile']);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /scenario sessions\s+\d+ seen, 0 written/);
  });

  it('connector sync names a bad variable and exits 78', async () => {
    const result = await run(['sync'], { SYNC_PAGE_SIZE: '500' });
    assert.equal(result.code, 78);
    assert.match(result.err, /SYNC_PAGE_SIZE/);
  });

  it('connector report ttr prints CSV and stores the report', async () => {
    const before = await h.count('ttr_reports');
    const result = await run([
      'report',
      'ttr',
      '--format',
      'csv',
      '--from',
      from.toISOString(),
      '--to',
      to.toISOString()
    ]);
    assert.equal(result.code, 0, result.err);
    const lines = result.out.split('\n');
    assert.equal(
      lines[0],
      'group,work_orders,median_hours,p90_hours,mean_hours,ftf_known,ftf_rate'
    );
    assert.match(lines[1] ?? '', /^all,40,/);
    assert.equal(await h.count('ttr_reports'), before + 1);
    const bad = await run(['report', 'ttr', '--format', 'xml']);
    assert.equal(bad.code, 64);
  });
});

// Scope sends some deliveries twice and in swapped pairs (sandbox faults duplicateRate + reorder), and an
// operator replays the captured deliveries afterwards (same ids) or Scope re-sends them as new ones
// (fresh ids, oldest last): every session still ends as exactly one record with its latest state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPostgres } from '../receiving/support/test-postgres.ts';
import type { TestPostgres } from '../receiving/support/test-postgres.ts';
import { freshConnector } from './support/fresh-connector.ts';
import { healthy, scrapeMetrics } from './support/connector-metrics.ts';
import { eventually, startE2eWorld } from './support/e2e-world.ts';
import type { E2eWorld, ScopeDelivery } from './support/e2e-world.ts';
import { loadDeeplinks } from './support/lwc-deeplinks.ts';
import type { WorklinkDeeplinks } from './support/lwc-deeplinks.ts';
import {
  postDelivery,
  processedCount,
  waitForWorker
} from './support/replay.ts';
import { SESSION_PAYLOAD_QUERY, subscribeTopics } from './support/subscribe.ts';

const DEADLINE_MS = 120_000;
const SESSION_TOPICS = [
  'scenario_session/created',
  'scenario_session/updated',
  'scenario_session/completed'
];
const ALL_TOPICS = [
  ...SESSION_TOPICS,
  'call/created',
  'call/updated',
  'call/completed'
];

let postgres: TestPostgres;
let world: E2eWorld;
let links: WorklinkDeeplinks;

before(async () => {
  [postgres, world, links] = await Promise.all([
    startTestPostgres(),
    startE2eWorld({
      scope: { seed: { historicalSessions: 0, historicalCalls: 0, seed: 7 } }
    }),
    loadDeeplinks()
  ]);
});
after(async () => {
  await world?.close();
  await postgres?.stop();
});

/** Posts the deliveries again in this order as new ones (fresh ids), each accepted, and waits until the
 * worker has processed `sessions` more resources. */
async function resendAsNew(
  connectorUrl: string,
  deliveries: readonly ScopeDelivery[],
  sessions: number
): Promise<void> {
  const processed = await processedCount(connectorUrl);
  for (const delivery of deliveries)
    assert.ok(
      [200, 202].includes(
        await postDelivery(connectorUrl, delivery, { freshId: true })
      )
    );
  await waitForWorker(connectorUrl, processed + sessions, DEADLINE_MS);
}

/** Opens the launch links of the seeded work orders (and one call), and runs them to completion. */
async function runSessions(withCall: boolean): Promise<string[]> {
  const ids: string[] = [];
  for (const [number, asset] of [
    ['00000101', 'PUMP-100'],
    ['00000102', 'HVAC-7'],
    ['00000103', 'GEN-3000']
  ] as const) {
    const wo = await world.workOrder(number);
    const link = links.buildLaunchLink({
      assetId: asset,
      workOrderId: wo.Id,
      workOrderNumber: number,
      caseId: wo.CaseId as string | null
    });
    ids.push((await world.open(link as string)).id);
  }
  if (withCall) {
    const wo = await world.workOrder('00000102');
    const link = links.buildCallLink({
      callLink: 'worklink://resource?action=fetch_user&user=502',
      workOrderId: wo.Id,
      workOrderNumber: '00000102'
    });
    ids.push((await world.open(link as string)).id);
  }
  await world.runToCompletion();
  return ids;
}

/** Scope's final state of every node, and whether Salesforce holds exactly one record in that state. */
async function mismatches(ids: readonly string[]): Promise<string[]> {
  const rows = await world.sfSessions();
  const problems: string[] = [];
  for (const id of ids) {
    const truth = await world.scopeNode(id);
    const found = rows.filter((r) => r.Scope_Id__c === id);
    if (found.length !== 1) {
      problems.push(`${id}: ${found.length} records`);
      continue;
    }
    const record = found[0] as Record<string, unknown>;
    if (record.State__c !== truth.state)
      problems.push(
        `${id}: State__c ${String(record.State__c)}, Scope ${String(truth.state)}`
      );
    if (
      truth.__typename === 'ScenarioSession' &&
      record.Steps_Viewed__c !== truth.numberOfStepsViewed
    )
      problems.push(
        `${id}: Steps_Viewed__c ${String(record.Steps_Viewed__c)}, Scope ${String(truth.numberOfStepsViewed)}`
      );
  }
  return problems;
}

async function waitUntilConsistent(ids: readonly string[]): Promise<void> {
  await eventually(
    async () => {
      const { pending } = await world.scopeDeliveries();
      const problems = await mismatches(ids);
      return {
        done: pending === 0 && problems.length === 0,
        value: { pending, problems }
      };
    },
    DEADLINE_MS,
    'every session once in Salesforce with its final state'
  );
}

/** Evidence that the sandbox really sent duplicates and swapped pairs. */
function assertFaultsHappened(deliveries: readonly ScopeDelivery[]): void {
  assert.ok(
    deliveries.some((d) => d.duplicate),
    'Scope sent at least one duplicate (same X-Scope-Webhook-Id)'
  );
  const ids = deliveries.map(
    (d) => d.headers['X-Scope-Webhook-Id'] ?? d.headers['x-scope-webhook-id']
  );
  assert.ok(
    new Set(ids).size < ids.length,
    'a webhook id was delivered more than once'
  );
  const firstSent = (d: ScopeDelivery) =>
    d.attempts[0]?.sequence ?? Number.POSITIVE_INFINITY;
  const swapped = deliveries.some((a, i) =>
    deliveries.some(
      (b, j) =>
        j > i &&
        !b.duplicate &&
        !a.duplicate &&
        a.resourceId === b.resourceId &&
        firstSent(b) < firstSent(a)
    )
  );
  assert.ok(
    swapped,
    'a later change of a session reached the connector before an earlier one'
  );
}

describe('duplicates, reordering and replays', { timeout: 400_000 }, () => {
  it('default payloads: duplicates and swapped pairs from Scope, then replays with the same and with fresh ids', async () => {
    const connector = await freshConnector(world, postgres, 'duplicates');
    try {
      await subscribeTopics(
        world.scope.url,
        `${connector.url}/webhooks/scope`,
        ALL_TOPICS
      );
      await world.scopeFaults({ duplicateRate: 0.5, reorder: true });
      const ids = await runSessions(true);
      await waitUntilConsistent(ids);
      const { deliveries } = await world.scopeDeliveries();
      assert.ok(
        deliveries.every((d) => d.outcome === 'delivered'),
        'every delivery was acknowledged'
      );
      assertFaultsHappened(deliveries);
      const metricsBefore = await scrapeMetrics(connector.url);
      assert.ok(
        metricsBefore('worklink_deliveries_total', { outcome: 'duplicate' }) >=
          1,
        'the connector saw duplicates'
      );

      // an operator replays everything Scope logged, newest first: all acknowledged, all recognised as duplicates
      const replayed = [...deliveries].reverse();
      for (const delivery of replayed)
        assert.equal(await postDelivery(connector.url, delivery), 200);
      const metricsAfter = await scrapeMetrics(connector.url);
      assert.equal(
        metricsAfter('worklink_deliveries_total', { outcome: 'duplicate' }) -
          metricsBefore('worklink_deliveries_total', { outcome: 'duplicate' }),
        replayed.length,
        'each replayed delivery was a duplicate'
      );

      // Scope re-sends old notifications as new deliveries, the oldest ("created") last
      await resendAsNew(connector.url, replayed, ids.length);
      assert.deepEqual(
        await mismatches(ids),
        [],
        'still one record per session, with the latest state'
      );
      const final = await scrapeMetrics(connector.url);
      assert.equal(final('worklink_dead_letters_total'), 0);
      assert.ok(await healthy(connector.url));
    } finally {
      await world.scopeFaults({ duplicateRate: 0, reorder: false });
      await connector.stop();
    }
  });

  it('custom-query payloads that carry the node: a stale payload arriving last never overwrites the newer state', async () => {
    const connector = await freshConnector(world, postgres, 'payloads');
    try {
      await subscribeTopics(
        world.scope.url,
        `${connector.url}/webhooks/scope`,
        SESSION_TOPICS,
        SESSION_PAYLOAD_QUERY
      );
      await world.scopeFaults({ duplicateRate: 0.3, reorder: true });
      const ids = await runSessions(false);
      await waitUntilConsistent(ids);
      const { deliveries } = await world.scopeDeliveries();
      assert.ok(deliveries.every((d) => d.outcome === 'delivered'));
      assert.ok(
        deliveries.every(
          (d) =>
            (JSON.parse(d.body) as { data?: { node?: unknown } }).data?.node
        ),
        'the deliveries carry the node itself'
      );
      assertFaultsHappened(deliveries);

      // the stale "created" payloads (IN_PROGRESS, no step viewed) re-sent as new deliveries, oldest last
      await resendAsNew(connector.url, [...deliveries].reverse(), ids.length);
      assert.deepEqual(
        await mismatches(ids),
        [],
        'the newer state survived the stale payloads'
      );
      assert.ok(await healthy(connector.url));
    } finally {
      await world.scopeFaults({ duplicateRate: 0, reorder: false });
      await connector.stop();
    }
  });
});

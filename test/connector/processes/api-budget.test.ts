// The Salesforce API budget in a real `connector serve` process through both sandboxes: a burst that
// would need many times SF_API_BUDGET spends no more than the budget, is never refused by Salesforce,
// loses nothing, and converges once the spend has aged out; with other integrations near the org's
// limit (set in the Salesforce sandbox) the connector stops below SF_API_USAGE_SLOWDOWN and goes on
// once their usage falls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import {
  interleave,
  postStream,
  signedDelivery
} from '../../support/replicas/delivery-stream.ts';
import { startReplica } from '../../support/replicas/replica-process.ts';
import type { Replica } from '../../support/replicas/replica-process.ts';
import {
  salesforceMismatches,
  startReplicaWorld,
  waitForSalesforceToMatch
} from '../../support/replicas/replica-world.ts';
import type { ReplicaWorld } from '../../support/replicas/replica-world.ts';
import { inspectPool } from '../../support/shared-postgres.ts';
import { eventually } from '../../support/wait-for.ts';
import { scrapeMetrics } from './support/connector-metrics.ts';
import { json } from './support/e2e-world.ts';
import type { SalesforceRequest } from './support/e2e-world.ts';

const BUDGET = 30;
const SESSIONS = 120;

let postgres: TestPostgres;
let world: ReplicaWorld;
before(async () => {
  [postgres, world] = await Promise.all([
    startTestPostgres(),
    startReplicaWorld({ historicalSessions: 2 * SESSIONS + 10 })
  ]);
});
after(async () => {
  await world?.close();
  await postgres?.stop();
});

const sf = () => world.salesforce.url;
const sfFaults = (faults: Record<string, unknown>) =>
  json(`${sf()}/sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults)
  });
const apiCalls = async () =>
  (await json<SalesforceRequest[]>(`${sf()}/sandbox/requests`)).filter(
    (r) => !r.path.includes('/oauth2/')
  );
const clearRequests = () =>
  json(`${sf()}/sandbox/requests`, { method: 'DELETE' }).catch(() => undefined);

async function burst(connector: Replica, sessions: readonly string[]) {
  const stream = await postStream(
    interleave(sessions, 2),
    (id) => signedDelivery(id, world.scope.url),
    {
      targets: () => [connector.url],
      concurrency: 4,
      before: (id) => world.touch(id)
    }
  );
  assert.equal(stream.acknowledged.size, sessions.length * 2);
}

async function queueCounts(databaseUrl: string) {
  const pool = inspectPool(databaseUrl);
  try {
    const { rows } = await pool.query<{ pending: number; dead: number }>(`
      SELECT (SELECT count(DISTINCT singleton_key)::int FROM pgboss.job
              WHERE name = 'scope-resource' AND state IN ('created', 'retry', 'active')) AS pending,
             (SELECT count(*)::int FROM dead_letters) AS dead`);
    return rows[0] ?? { pending: -1, dead: -1 };
  } finally {
    await pool.end();
  }
}

async function ageLedger(databaseUrl: string) {
  const pool = inspectPool(databaseUrl);
  try {
    await pool.query(
      `UPDATE salesforce_api_spend SET second = second - interval '1 day'`
    );
  } finally {
    await pool.end();
  }
}

describe('Salesforce API budget', { timeout: 600_000 }, () => {
  it('a burst far over SF_API_BUDGET spends at most the budget, is never refused, loses nothing, and converges day by day', async () => {
    const databaseUrl = await postgres.createDatabase();
    await clearRequests();
    const before = (await apiCalls()).length;
    const connector = await startReplica(
      'budget',
      world.env(databaseUrl, {
        SF_API_BUDGET: String(BUDGET),
        SF_API_BUDGET_WINDOW_SECONDS: '2',
        WORKER_BATCH_SIZE: '5',
        WORKER_POLL_SECONDS: '0.5',
        RETRY_DELAY_SECONDS: '1',
        RETRY_MAX_DELAY_SECONDS: '2'
      })
    );
    const sessions = world.sessionIds(SESSIONS);
    try {
      // 240 deliveries in batches of 5: about 2 calls a batch, far more than 30 calls
      await burst(connector, sessions);
      const spent = await eventually(
        'the budget is spent',
        async () => {
          const calls = (await apiCalls()).length - before;
          return { done: calls >= BUDGET - 5, value: calls };
        },
        { timeoutMs: 120_000, intervalMs: 200 }
      );
      await new Promise((r) => setTimeout(r, 3000)); // several windows: nothing more goes out
      const calls = (await apiCalls()).slice(before);
      assert.ok(
        calls.length <= BUDGET,
        `${calls.length} calls within the budget of ${BUDGET} (${spent} when first seen)`
      );
      assert.deepEqual(
        calls.filter((r) => r.status === 403),
        [],
        'never REQUEST_LIMIT_EXCEEDED'
      );
      const waiting = await queueCounts(databaseUrl);
      const written =
        SESSIONS -
        salesforceMismatches(
          await world.scopeStates(sessions),
          await world.salesforceSessions()
        ).length;
      assert.equal(waiting.dead, 0, 'nothing dead-lettered');
      assert.ok(waiting.pending > 0, 'the rest waits in the queue');
      const metrics = await scrapeMetrics(connector.url);
      assert.equal(metrics('worklink_salesforce_api_budget_calls'), BUDGET);
      const spentGauge = metrics('worklink_salesforce_api_spent_24h_calls');
      assert.ok(
        spentGauge >= calls.length - 1 && spentGauge <= BUDGET,
        `/metrics shows the spend (${spentGauge} for ${calls.length} calls in the sandbox log)`
      );
      assert.ok(
        written + waiting.pending >= SESSIONS,
        `nothing lost: ${written} written + ${waiting.pending} waiting`
      );

      // each "day" the spend ages out and the next budget's worth goes through, until all arrived
      const states = await world.scopeStates(sessions);
      await eventually(
        'every session in Salesforce, day by day',
        async () => {
          await ageLedger(databaseUrl);
          await new Promise((r) => setTimeout(r, 1500));
          const wrong = salesforceMismatches(
            states,
            await world.salesforceSessions()
          ).length;
          return { done: wrong === 0, value: `${wrong} sessions still wrong` };
        },
        { timeoutMs: 240_000, intervalMs: 100 }
      );
      assert.equal((await queueCounts(databaseUrl)).dead, 0);
      const all = (await apiCalls()).slice(before);
      assert.deepEqual(
        all.filter((r) => r.status === 403),
        [],
        'never REQUEST_LIMIT_EXCEEDED'
      );
    } finally {
      await connector.stop();
    }
  });

  it('yields to other integrations near the org limit, below SF_API_USAGE_SLOWDOWN, and goes on when their usage falls', async () => {
    const databaseUrl = await postgres.createDatabase();
    await sfFaults({ apiLimit: 1000, apiUsage: 870 });
    const connector = await startReplica(
      'org-yield',
      world.env(databaseUrl, {
        SF_API_BUDGET: '',
        SF_API_USAGE_SLOWDOWN: '0.9',
        SF_API_BUDGET_WINDOW_SECONDS: '3',
        WORKER_BATCH_SIZE: '5',
        WORKER_POLL_SECONDS: '0.5'
      })
    );
    const sessions = world.sessionIds(2 * SESSIONS).slice(SESSIONS);
    try {
      await clearRequests();
      const before = (await apiCalls()).length;
      await burst(connector, sessions);
      const limits = () =>
        json<{ apiUsage: number; apiLimit: number }>(`${sf()}/sandbox/faults`);
      await eventually(
        'the connector reaches the org threshold',
        async () => {
          const { apiUsage } = await limits();
          return { done: apiUsage >= 900, value: apiUsage };
        },
        { timeoutMs: 120_000, intervalMs: 200 }
      );
      await new Promise((r) => setTimeout(r, 4000)); // longer than a probe interval
      const { apiUsage } = await limits();
      assert.ok(
        apiUsage < 1000,
        `usage ${apiUsage} stays below the org's limit`
      );
      assert.ok(
        apiUsage <= 900 + 2 * 5,
        `usage ${apiUsage}: at most a probing batch past 90 %`
      );
      assert.deepEqual(
        (await apiCalls()).slice(before).filter((r) => r.status === 403),
        []
      );
      assert.ok((await queueCounts(databaseUrl)).pending > 0, 'the rest waits');

      await sfFaults({ apiUsage: 100 }); // the other integrations' rolling usage falls
      await waitForSalesforceToMatch(
        world,
        await world.scopeStates(sessions),
        'after the org usage fell',
        {
          timeoutMs: 120_000,
          intervalMs: 200
        }
      );
      assert.equal((await queueCounts(databaseUrl)).dead, 0);
    } finally {
      await sfFaults({ apiLimit: 100_000, apiUsage: 0 });
      await connector.stop();
    }
  });
});

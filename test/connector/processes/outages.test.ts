// Outages while deliveries flow into a real `connector serve` process: Salesforce answers 503 for a while,
// then runs out of daily API calls (403 REQUEST_LIMIT_EXCEEDED), Scope answers 500/429 to a share of the
// GraphQL requests, and every Salesforce token expires mid-run. After each recovery everything arrives;
// the retries are visible (sandbox request logs, /metrics worklink_retries_total) and finite, and
// nothing ends in dead letters.
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
import {
  startReplicaWorld,
  waitForSalesforceToMatch
} from '../../support/replicas/replica-world.ts';
import type { ReplicaWorld } from '../../support/replicas/replica-world.ts';
import { inspectPool } from '../../support/shared-postgres.ts';
import { healthy, scrapeMetrics } from './support/connector-metrics.ts';
import type { SalesforceRequest } from './support/e2e-world.ts';
import { json } from './support/e2e-world.ts';
import { eventually } from '../../support/wait-for.ts';

const PER_PHASE = 30;
const DEADLINE_MS = 150_000;

let postgres: TestPostgres;
let world: ReplicaWorld;
before(async () => {
  [postgres, world] = await Promise.all([
    startTestPostgres(),
    startReplicaWorld({ historicalSessions: 200 })
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
const sfRequests = () => json<SalesforceRequest[]>(`${sf()}/sandbox/requests`);
const scopeFaults = (faults: Record<string, unknown>) =>
  json(`${world.scope.url}/sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults)
  });
const scopeStats = () =>
  json<{ graphqlRequests: number; injectedFaults: Record<string, number> }>(
    `${world.scope.url}/sandbox/stats`
  );

const isToken = (r: SalesforceRequest) => r.path.includes('/oauth2/token');

describe('outages of Salesforce and Scope', { timeout: 600_000 }, () => {
  it('Salesforce 503, Salesforce API limit, Scope 500/429 and token expiry: everything arrives, retries bounded, no dead letters', async () => {
    const databaseUrl = await postgres.createDatabase();
    const connector = await startReplica(
      'outages',
      world.env(databaseUrl, {
        RETRY_DELAY_SECONDS: '1',
        RETRY_MAX_DELAY_SECONDS: '3',
        RETRY_LIMIT: '25',
        // phase 2 shrinks the org's allowance to 1,000 calls: a share-based budget would (rightly) stop the
        // connector until its own spend ages out; this test is about the outages (api-budget.test.ts
        // covers the budget)
        SF_API_BUDGET: ''
      })
    );
    const all = world.sessionIds(PER_PHASE * 4);
    const phase = (n: number) => all.slice(n * PER_PHASE, (n + 1) * PER_PHASE);
    const post = async (sessions: readonly string[]) => {
      const stream = await postStream(
        interleave(sessions, 2),
        (id) => signedDelivery(id, world.scope.url),
        {
          targets: () => [connector.url],
          concurrency: 4,
          before: (id) => world.touch(id)
        }
      );
      assert.equal(
        stream.acknowledged.size,
        sessions.length * 2,
        'every delivery acknowledged (outages do not affect receiving)'
      );
    };
    const arrived = async (sessions: readonly string[], what: string) =>
      waitForSalesforceToMatch(world, await world.scopeStates(sessions), what, {
        timeoutMs: DEADLINE_MS,
        intervalMs: 200
      });
    const failuresSeen = async (
      status: number,
      atLeast: number,
      what: string
    ) =>
      eventually(
        what,
        async () => {
          const failed = (await sfRequests()).filter(
            (r) => r.status === status
          ).length;
          return { done: failed >= atLeast, value: failed };
        },
        { timeoutMs: DEADLINE_MS, intervalMs: 200 }
      );

    try {
      // 1. Salesforce unavailable (503) until the connector has been refused a few times
      await sfFaults({ unavailable: true });
      await post(phase(0));
      const refused503 = await failuresSeen(
        503,
        3,
        'Salesforce 503s to the connector'
      );
      await sfFaults({ unavailable: false });
      await arrived(phase(0), 'phase 1 sessions after the Salesforce outage');

      // 2. Daily API limit exhausted (403 REQUEST_LIMIT_EXCEEDED), then a new day
      await sfFaults({ apiLimit: 1000, apiUsage: 1000 });
      await post(phase(1));
      const refused403 = await failuresSeen(
        403,
        2,
        'REQUEST_LIMIT_EXCEEDED answers'
      );
      await sfFaults({ apiLimit: 100_000, apiUsage: 0 });
      await arrived(phase(1), 'phase 2 sessions after the API limit reset');

      // 3. Scope answers 500 or 429 to 40 % of its API requests while the sessions flow
      const scopeBefore = await scopeStats();
      await scopeFaults({ errorRate: 0.4, errorStatuses: [500, 429] });
      await post(phase(2));
      await arrived(phase(2), 'phase 3 sessions through Scope errors');
      const scopeAfter = await scopeStats();
      await scopeFaults({ errorRate: 0 });
      const injected =
        Object.values(scopeAfter.injectedFaults).reduce((a, b) => a + b, 0) -
        Object.values(scopeBefore.injectedFaults).reduce((a, b) => a + b, 0);
      assert.ok(
        injected >= 1,
        `Scope refused some requests (${JSON.stringify(scopeAfter.injectedFaults)})`
      );

      // 4. Every Salesforce token expires mid-run
      const tokensBefore = (await sfRequests()).filter(isToken).length;
      await post(phase(3).slice(0, PER_PHASE / 2));
      await arrived(phase(3).slice(0, PER_PHASE / 2), 'phase 4 first half');
      await sfFaults({ expireTokensNow: true });
      await post(phase(3).slice(PER_PHASE / 2));
      await arrived(phase(3), 'phase 4 sessions after the token expiry');
      const log = await sfRequests();
      const tokensAfter = log.filter(isToken).length;
      assert.ok(
        tokensAfter - tokensBefore >= 1,
        'the connector authenticated again after the expiry'
      );
      assert.ok(
        tokensAfter - tokensBefore <= 3,
        `re-authentication is not repeated (${tokensAfter - tokensBefore})`
      );
      assert.ok(
        log.some((r) => r.status === 401 && !isToken(r)),
        'an expired token was refused once (INVALID_SESSION_ID)'
      );

      // everything, once, final; retries happened and were finite; nothing dead
      await arrived(all, 'every session of every phase');
      assert.equal((await world.salesforceSessions()).length, all.length);
      const metrics = await scrapeMetrics(connector.url);
      const retries = metrics('worklink_retries_total');
      assert.ok(retries >= 3, `retries happened (${retries})`);
      assert.ok(retries <= all.length * 10, `retries are bounded (${retries})`);
      assert.equal(metrics('worklink_dead_letters_total'), 0);
      assert.ok(
        metrics('worklink_api_calls_total', { system: 'salesforce' }) > 0,
        '/metrics counts Salesforce API calls'
      );
      assert.ok(
        metrics('worklink_api_calls_total', { system: 'scope' }) > 0,
        '/metrics counts Scope API calls'
      );
      const failedSf = log.filter((r) => r.status >= 400).length;
      assert.ok(
        failedSf >= refused503 + refused403,
        'the refusals are in the Salesforce log'
      );
      assert.ok(
        failedSf < 400,
        `Salesforce was not hammered during the outages (${failedSf} refused calls)`
      );
      // once recovered, nothing keeps failing
      await new Promise((r) => setTimeout(r, 1500));
      const settled = await sfRequests();
      assert.deepEqual(
        settled.slice(log.length).filter((r) => r.status >= 400),
        [],
        'no failing Salesforce calls after recovery'
      );
      const pool = inspectPool(databaseUrl);
      try {
        const dead = await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM dead_letters'
        );
        assert.equal(dead.rows[0]?.n, 0, 'nothing in dead letters');
      } finally {
        await pool.end();
      }
      assert.ok(await healthy(connector.url));
    } finally {
      await sfFaults({
        unavailable: false,
        apiLimit: 100_000,
        apiUsage: 0
      }).catch(() => undefined);
      await scopeFaults({ errorRate: 0 }).catch(() => undefined);
      await connector.stop();
    }
  });
});

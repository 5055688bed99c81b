// Replicas that never stall (real processes, one real PostgreSQL): a resource held by a dead replica
// blocks only itself, and only until its lease lapses; a busy replica never starves the other; a rolling
// restart under load loses nothing and pauses processing for less than a lease.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../../support/wait-for.ts';
import {
  interleave,
  postStream,
  signedDelivery
} from '../../support/replicas/delivery-stream.ts';
import {
  longestProcessingPause,
  writtenBy
} from '../../support/replicas/processing-evidence.ts';
import {
  activeJobIds,
  jobStates,
  overlappingJobs,
  storedDeliveryIds
} from './support/queue-inspection.ts';
import {
  restartOneByOne,
  startReplica,
  startReplicas,
  stopAll
} from '../../support/replicas/replica-process.ts';
import type { Replica } from '../../support/replicas/replica-process.ts';
import {
  salesforceMismatches,
  waitForSalesforceToMatch
} from '../../support/replicas/replica-world.ts';
import { inspectPool } from '../../support/shared-postgres.ts';
import { replicaSuite } from '../../support/replicas/replica-suite.ts';
import { startSlowProxy } from './support/slow-proxy.ts';

const suite = replicaSuite({
  historicalSessions: 720,
  salesforceLatencyMs: 100
});

async function landed(sessions: readonly string[]): Promise<boolean> {
  const expected = await suite.world.scopeStates(sessions);
  return (
    salesforceMismatches(expected, await suite.world.salesforceSessions())
      .length === 0
  );
}

async function waitForSalesforce(
  sessions: readonly string[],
  what: string
): Promise<void> {
  await waitForSalesforceToMatch(
    suite.world,
    await suite.world.scopeStates(sessions),
    what,
    { timeoutMs: 180_000 }
  );
}

/** One new delivery per session (after a change in Scope), round-robin to the replicas. */
function deliver(sessions: readonly string[], replicas: readonly Replica[]) {
  return postStream(
    sessions,
    (id) => signedDelivery(id, suite.world.scope.url),
    {
      targets: () => replicas.map((r) => r.url),
      concurrency: 8,
      before: (id) => suite.world.touch(id)
    }
  );
}

describe('replicas that never stall', { timeout: 600_000 }, () => {
  it('kill -9 of a replica holding jobs: unrelated sessions land while the held ones wait for their lease, then they land too', async () => {
    const databaseUrl = await suite.postgres.createDatabase();
    const pool = inspectPool(databaseUrl);
    // the victim's Scope never answers in time: it holds every job it takes until it is killed
    const stuckScope = await startSlowProxy(suite.world.scope.url, 120_000);
    const sessions = suite.world.sessionIds(60);
    const held = sessions.slice(0, 5);
    const unrelated = sessions.slice(5, 45);
    let replicas: Replica[] = [];
    try {
      const victim = await startReplica(
        'victim',
        suite.world.env(databaseUrl, {
          SCOPE_BASE_URL: stuckScope.url,
          WORKER_CONCURRENCY: '5',
          WORKER_BATCH_SIZE: '1'
        })
      );
      await deliver(held, [victim]);
      await waitFor(
        'the victim to hold a job of every held session',
        async () => (await activeJobIds(pool)).length === held.length,
        { timeoutMs: 30_000 }
      );
      const orphans = await activeJobIds(pool);
      await victim.kill();
      const killedAt = Date.now();

      replicas = await startReplicas(2, () => suite.world.env(databaseUrl));
      // newer deliveries for the held sessions (their jobs wait behind the orphans) and unrelated ones
      await deliver([...held, ...unrelated], replicas);
      await waitForSalesforce(unrelated, 'the unrelated sessions');
      const unrelatedMs = Date.now() - killedAt;
      const whenUnrelatedLanded = await jobStates(pool, orphans);
      assert.deepEqual(
        whenUnrelatedLanded.map((j) => j.state),
        orphans.map(() => 'active'),
        'the unrelated sessions did not wait for the orphans'
      );
      assert.equal(await landed(held), false, 'the held sessions wait');

      await waitForSalesforce(held, 'the held sessions, after their lease');
      console.error(
        `[recovery] after kill -9: unrelated sessions landed at ${unrelatedMs} ms, held ones at ${Date.now() - killedAt} ms (two replicas started in between)`
      );
      const reclaimed = await jobStates(pool, orphans);
      assert.deepEqual(
        reclaimed.map((j) => j.state),
        orphans.map(() => 'completed'),
        `orphans: ${JSON.stringify(reclaimed)}`
      );
      assert.equal(await overlappingJobs(pool), 0);
    } finally {
      await stopAll(replicas);
      await stuckScope.close();
      await pool.end();
    }
  });

  it('two replicas, many sessions with newer pending jobs while their older job is active: both keep working', async () => {
    const databaseUrl = await suite.postgres.createDatabase();
    const pool = inspectPool(databaseUrl);
    const replicas = await startReplicas(2, () =>
      suite.world.env(databaseUrl, { WORKER_BATCH_SIZE: '20' })
    );
    try {
      const sessions = suite.world.sessionIds(300).slice(60, 260);
      // three deliveries per session, spread over time: a newer job is pending while the older is active
      const stream = await postStream(
        interleave(sessions, 3),
        (id) => signedDelivery(id, suite.world.scope.url),
        {
          targets: () => replicas.map((r) => r.url),
          concurrency: 4,
          before: (id) => suite.world.touch(id)
        }
      );
      await waitForSalesforce(sessions, 'every session');
      const written = await Promise.all(replicas.map(writtenBy));
      const total = written.reduce((a, b) => a + b, 0);
      console.error(
        `[recovery] stream ${stream.elapsedMs} ms; written per replica ${written.join(' / ')}`
      );
      for (const [i, count] of written.entries())
        assert.ok(
          count >= total * 0.2,
          `replica-${i + 1} wrote ${count} of ${total}: it was starved`
        );
      assert.equal(await overlappingJobs(pool), 0);
    } finally {
      await stopAll(replicas);
      await pool.end();
    }
  });

  it('rolling restart of 3 replicas under load: nothing lost, no duplicate, processing pauses less than a lease', async () => {
    const databaseUrl = await suite.postgres.createDatabase();
    const pool = inspectPool(databaseUrl);
    const leaseSeconds = 30;
    const env = () => suite.world.env(databaseUrl, { WORKER_BATCH_SIZE: '20' });
    const replicas = await startReplicas(3, env);
    const behindBalancer = new Set(replicas.map((r) => r.url));
    const exitCodes: (number | string | null)[] = [];
    try {
      const sessions = suite.world.sessionIds(600).slice(260, 560);
      const from = new Date();
      let restarting: Promise<void> | undefined;
      const stream = await postStream(
        interleave(sessions, 3),
        (id) => signedDelivery(id, suite.world.scope.url),
        {
          targets: () => [...behindBalancer],
          concurrency: 8,
          before: (id) => suite.world.touch(id),
          onAcknowledged: (count) => {
            if (count < 100 || restarting) return;
            restarting = restartOneByOne(
              replicas,
              behindBalancer,
              env,
              exitCodes
            );
          }
        }
      );
      await restarting;
      await waitForSalesforce(sessions, 'every session, exactly once');
      const to = new Date();
      assert.deepEqual(exitCodes, [0, 0, 0], 'every SIGTERM exits 0');
      assert.equal(
        (await storedDeliveryIds(pool, [...stream.acknowledged.keys()])).size,
        stream.acknowledged.size,
        'every acknowledged delivery is stored'
      );
      assert.equal(await overlappingJobs(pool), 0);
      // A batch's job completes after its upsert (steps, rollups and the files job come later), so the
      // last batches may still be active when their records show: they must finish well inside a lease.
      await waitFor(
        'no job left active',
        async () => (await activeJobIds(pool)).length === 0,
        { timeoutMs: 15_000 }
      );
      const pauseMs = await longestProcessingPause(pool, from, to);
      console.error(
        `[recovery] rolling restart: stream ${stream.elapsedMs} ms, longest processing pause ${Math.round(pauseMs)} ms`
      );
      assert.ok(
        pauseMs < leaseSeconds * 1000,
        `longest pause ${Math.round(pauseMs)} ms`
      );
    } finally {
      await stopAll(replicas);
      await pool.end();
    }
  });
});

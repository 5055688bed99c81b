// Several connector replicas (real OS processes) on ONE PostgreSQL, as customers run them behind a load
// balancer with a managed DATABASE_URL (issue #7): they share the queue without processing a resource
// twice at once, lose nothing when one is killed, survive a PostgreSQL restart, and start together.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIGRATIONS } from '../../../connector/src/db/migrations.ts';
import { MIGRATION_LOCK_KEY } from '../../../connector/src/db/sql.ts';
import { waitFor } from '../../support/wait-for.ts';
import {
  interleave,
  postStream,
  signedDelivery
} from '../../support/replicas/delivery-stream.ts';
import {
  jobsLeasedBy,
  jobStates,
  overlappingJobs,
  startMaintenance,
  storedDeliveryIds
} from './support/queue-inspection.ts';
import {
  startReplicas,
  stopAll
} from '../../support/replicas/replica-process.ts';
import type { Replica } from '../../support/replicas/replica-process.ts';
import { waitForSalesforceToMatch } from '../../support/replicas/replica-world.ts';
import { inspectPool } from '../../support/shared-postgres.ts';
import { replicaSuite } from '../../support/replicas/replica-suite.ts';
import { startSlowProxy } from './support/slow-proxy.ts';

const suite = replicaSuite({ historicalSessions: 1100 });

/** Polls Salesforce until every session is there exactly once with Scope's final state. */
async function waitForSalesforce(
  sessionIds: readonly string[],
  timeoutMs: number
): Promise<void> {
  await waitForSalesforceToMatch(
    suite.world,
    await suite.world.scopeStates(sessionIds),
    'every session in Salesforce exactly once with its final state',
    { timeoutMs }
  );
}

/** GET /readyz; a replica that does not answer is a failure that shows its last log lines. */
async function readyStatus(replica: Replica): Promise<number> {
  try {
    return (await fetch(`${replica.url}/readyz`)).status;
  } catch (error) {
    throw new Error(
      `${replica.name} does not answer (${(error as Error).message}):\n${replica.logTail(60)}`
    );
  }
}

describe(
  'connector replicas sharing one PostgreSQL',
  { timeout: 600_000 },
  () => {
    it('three replicas share 5,000 deliveries; one is killed with kill -9 half-way; every session lands exactly once, final', async () => {
      const databaseUrl = await suite.postgres.createDatabase();
      const pool = inspectPool(databaseUrl);
      // replica-1 reaches Scope through a slow proxy: it always has a batch in hand when it is killed
      const slowScope = await startSlowProxy(suite.world.scope.url, 1500);
      const replicas: Replica[] = await startReplicas(3, (i) =>
        suite.world.env(databaseUrl, {
          WORKER_BATCH_SIZE: '100',
          ...(i === 0 ? { SCOPE_BASE_URL: slowScope.url } : {})
        })
      );
      // no pg-boss maintenance here: the lease sweep of the surviving replicas alone frees the orphans
      try {
        const [victim] = replicas as [Replica, ...Replica[]];
        const behindBalancer = new Set(replicas.map((r) => r.url));
        const sessions = suite.world.sessionIds(1000);
        const order = interleave(sessions, 5);
        let killed: Promise<string[]> | undefined;

        const stream = await postStream(
          order,
          (id) => signedDelivery(id, suite.world.scope.url),
          {
            targets: () => [...behindBalancer],
            concurrency: 32,
            before: (id) => suite.world.touch(id),
            onAcknowledged: (count) => {
              if (count < order.length / 2 || killed) return;
              killed = (async () => {
                // replica-1's own leases (its pid is in the lease holder): the jobs it holds when killed
                let inHand: string[] = [];
                await waitFor(
                  'replica-1 to hold a batch',
                  async () =>
                    (inHand = await jobsLeasedBy(pool, victim.pid)).length > 0,
                  { timeoutMs: 30_000 }
                );
                await victim.kill();
                behindBalancer.delete(victim.url); // the balancer's health check notices
                // what is still active a few seconds later was the dead replica's: only its lease frees it
                await new Promise((r) => setTimeout(r, 4000));
                return (await jobStates(pool, inHand))
                  .filter((j) => j.state === 'active')
                  .map((j) => j.id);
              })();
            }
          }
        );
        assert.equal(
          stream.acknowledged.size,
          order.length,
          'every delivery acknowledged'
        );
        const drainStarted = Date.now();
        const orphaned = await (killed ?? Promise.resolve([]));
        assert.notEqual(await victim.exited, 0);
        assert.ok(
          orphaned.length > 0,
          'replica-1 was killed with jobs in hand'
        );

        await waitForSalesforce(sessions, 180_000);
        console.error(
          `[replicas] stream ${stream.elapsedMs} ms, drain ${Date.now() - drainStarted} ms`
        );

        const stored = await storedDeliveryIds(pool, [
          ...stream.acknowledged.keys()
        ]);
        assert.equal(
          stored.size,
          stream.acknowledged.size,
          'every acknowledged delivery is stored'
        );
        // the jobs the dead replica held came back when their lease lapsed: re-run by the others, or
        // completed as covered by a newer pending job of the same session (which the others ran)
        const recovered = await jobStates(pool, orphaned);
        assert.ok(
          recovered.every((j) => j.state === 'completed'),
          `orphaned jobs: ${JSON.stringify(recovered.slice(0, 5))}`
        );
        assert.equal(
          await overlappingJobs(pool),
          0,
          'no resource was processed by two workers at once'
        );
        for (const replica of replicas.slice(1))
          assert.equal(
            await Promise.race([replica.exited, 'running']),
            'running'
          );
      } finally {
        await stopAll(replicas);
        await slowScope.close();
        await pool.end();
      }
    });

    it('PostgreSQL restarted mid-stream: replicas answer 503 (never 2xx) while it is down, reconnect, lose nothing acknowledged', async () => {
      const databaseUrl = await suite.postgres.createDatabase();
      const pool = inspectPool(databaseUrl);
      const replicas = await startReplicas(2, () =>
        suite.world.env(databaseUrl)
      );
      const maintenance = await startMaintenance(databaseUrl);
      try {
        const sessions = suite.world.sessionIds(1000).slice(-300);
        const order = interleave(sessions, 4);
        let outage:
          Promise<{ downFrom: number; downUntil: number }> | undefined;
        let refused = 0;

        const stream = await postStream(
          order,
          (id) => signedDelivery(id, suite.world.scope.url),
          {
            targets: () => replicas.map((r) => r.url),
            concurrency: 8,
            before: (id) => suite.world.touch(id),
            onAttempt: (attempt) => {
              if (attempt.status === 503) refused++;
            },
            onAcknowledged: (count) => {
              if (count < order.length / 3 || outage) return;
              outage = (async () => {
                await suite.postgres.stopServer();
                const downFrom = Date.now();
                for (const replica of replicas)
                  await waitFor(
                    `${replica.name} to report not ready`,
                    async () => (await readyStatus(replica)) === 503,
                    { timeoutMs: 20_000 }
                  );
                // keep it down until both replicas have refused deliveries for a while
                await waitFor(
                  'deliveries refused during the outage',
                  () => refused >= 20 && Date.now() - downFrom > 2000,
                  { timeoutMs: 30_000 }
                );
                const downUntil = Date.now();
                await suite.postgres.startServer();
                return { downFrom, downUntil };
              })();
              outage.catch(() => undefined); // awaited (and reported) after the stream
            },
            deliveryTimeoutMs: 60_000
          }
        ).catch(async (error: unknown) => {
          await outage; // an outage that went wrong explains the stream's failure better
          throw new Error(
            `${(error as Error).message}\n${replicas.map((r) => `${r.name}:\n${r.logTail(8)}`).join('\n')}`
          );
        });
        assert.ok(outage, 'the outage happened during the stream');
        const { downFrom, downUntil } = await outage;
        const during = stream.attempts.filter(
          (a) => a.sentAt >= downFrom && a.answeredAt <= downUntil
        );
        assert.ok(
          during.length > 0,
          'deliveries were posted during the outage'
        );
        assert.deepEqual(
          during.filter((a) => a.status !== 503),
          [],
          'every delivery posted while PostgreSQL was down was answered 503'
        );
        for (const replica of replicas)
          assert.ok(
            during.some((a) => a.target === replica.url),
            `${replica.name} was asked during the outage`
          );
        assert.equal(
          stream.acknowledged.size,
          order.length,
          'everything was acknowledged after the restart'
        );
        for (const replica of replicas) {
          assert.equal(
            await Promise.race([replica.exited, 'running']),
            'running',
            `${replica.name} kept running`
          );
          await waitFor(
            `${replica.name} ready again`,
            async () => (await readyStatus(replica)) === 200,
            { timeoutMs: 30_000 }
          );
        }

        const stored = await storedDeliveryIds(pool, [
          ...stream.acknowledged.keys()
        ]);
        assert.equal(
          stored.size,
          stream.acknowledged.size,
          'every acknowledged delivery survived the restart'
        );
        await waitForSalesforce(sessions, 180_000);
        assert.equal(await overlappingJobs(pool), 0);
      } finally {
        await suite.postgres.startServer(); // for the next test, whatever happened
        await maintenance.stop({ graceful: false });
        await stopAll(replicas);
        await pool.end();
      }
    });

    it('two replicas started at the same instant on an empty database both come up', async () => {
      for (let round = 0; round < 2; round++) {
        const databaseUrl = await suite.postgres.createDatabase();
        const pool = inspectPool(databaseUrl);
        // A start barrier: the test holds the migration lock until both replicas wait for it, so that they
        // run migrations and set up the queue (pg-boss schema) at the same instant, not by luck.
        const barrier = await pool.connect();
        await barrier.query('SELECT pg_advisory_lock($1)', [
          MIGRATION_LOCK_KEY
        ]);
        let released = false;
        const starting = startReplicas(2, () => suite.world.env(databaseUrl));
        let replicas: Replica[] = [];
        try {
          await waitFor(
            'both replicas waiting to migrate',
            async () =>
              (
                await pool.query<{ n: number }>(
                  `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                 WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`
                )
              ).rows[0]?.n === 2,
            { timeoutMs: 90_000 }
          );
          await barrier.query('SELECT pg_advisory_unlock($1)', [
            MIGRATION_LOCK_KEY
          ]);
          released = true;
          barrier.release();
          replicas = await starting;

          const versions = await pool.query<{ version: number; n: number }>(
            'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version'
          );
          assert.deepEqual(
            versions.rows.map((r) => [r.version, r.n]),
            [...MIGRATIONS]
              .sort((a, b) => a.version - b.version)
              .map((m) => [m.version, 1])
          );
          const queues = await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pgboss.queue WHERE name = 'scope-resource'`
          );
          assert.equal(queues.rows[0]?.n, 1);
          const [session] = suite.world.sessionIds(1);
          for (const replica of replicas) {
            await waitFor(
              `${replica.name} ready`,
              async () => (await fetch(`${replica.url}/readyz`)).status === 200,
              { timeoutMs: 30_000 }
            );
            const delivery = signedDelivery(
              session as string,
              suite.world.scope.url
            );
            const response = await fetch(`${replica.url}/webhooks/scope`, {
              method: 'POST',
              headers: delivery.headers,
              body: delivery.body
            });
            assert.equal(
              response.status,
              202,
              `${replica.name} stores deliveries`
            );
          }
        } finally {
          if (!released) barrier.release(true);
          if (!replicas.length) await starting.catch(() => undefined);
          await stopAll(replicas);
          await pool.end();
        }
      }
    });
  }
);

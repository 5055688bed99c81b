// kill -9 of a zero-config connector (embedded PostgreSQL in DATA_DIR) at seeded random points while
// 1,000 signed generation-2 deliveries (200 sessions × 5 changes) flow; it is restarted on the same
// DATA_DIR each time (the killed process leaves its PostgreSQL running as an orphan, which the restart
// must recover). Every acknowledged delivery must be stored, and every session must end in Salesforce
// exactly once with Scope's final state.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runningEmbeddedUrl } from '../../../connector/src/db/open-database.ts';
import {
  freePort,
  makeTempDir,
  waitFor
} from '../receiving/support/test-postgres.ts';
import {
  interleave,
  postStream,
  signedDelivery
} from '../replicas/support/delivery-stream.ts';
import { storedDeliveryIds } from '../replicas/support/queue-inspection.ts';
import { startReplica } from '../replicas/support/replica-process.ts';
import type { Replica } from '../replicas/support/replica-process.ts';
import {
  salesforceMismatches,
  startReplicaWorld
} from '../replicas/support/replica-world.ts';
import type { ReplicaWorld } from '../replicas/support/replica-world.ts';
import { inspectPool } from '../replicas/support/shared-postgres.ts';
import { healthy, scrapeMetrics } from './support/connector-metrics.ts';

const SEED = Number(process.env.KILL9_SEED ?? 20_251_128);
const SESSIONS = 200;
const ROUNDS = 5;
const KILLS = 3;

/** mulberry32: a small seeded PRNG, so a failing run can be repeated with KILL9_SEED. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let world: ReplicaWorld;
before(async () => {
  world = await startReplicaWorld({ historicalSessions: 260 });
});
after(async () => {
  await world?.close();
});

describe('kill -9 while 1,000 events flow', { timeout: 420_000 }, () => {
  it(`is killed ${KILLS} times at random points and restarted on the same DATA_DIR: nothing acknowledged is lost, every session lands once, final`, async () => {
    const random = seeded(SEED);
    const dataDir = join(makeTempDir('worklink-kill9-'), 'postgres');
    const port = await freePort();
    const { DATABASE_URL: _unused, ...base } = world.env('');
    const env = {
      ...base,
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(port),
      WORKER_BATCH_SIZE: '50'
    };
    const sessions = world.sessionIds(SESSIONS);
    const order = interleave(sessions, ROUNDS);
    // kill points: acknowledgement counts spread over the stream, plus a random pause before each kill
    const killAt = Array.from({ length: KILLS }, (_, i) =>
      Math.floor(((i + 0.2 + random() * 0.6) / KILLS) * order.length * 0.9)
    );
    const processes: Replica[] = [];
    let current = await startReplica('kill9-0', env, {
      startTimeoutMs: 120_000
    });
    processes.push(current);
    const url = current.url;
    const kills: { at: number; pid: number; exit: number | string | null }[] =
      [];
    let chain: Promise<void> = Promise.resolve();
    let nextKill = 0;

    try {
      const stream = await postStream(
        order,
        (id) => signedDelivery(id, world.scope.url),
        {
          targets: () => [url],
          concurrency: 8,
          before: (id) => world.touch(id),
          retryPauseMs: 100,
          deliveryTimeoutMs: 240_000,
          keepAttempts: false,
          onAcknowledged: (count) => {
            if (
              nextKill >= killAt.length ||
              count < (killAt[nextKill] as number)
            )
              return;
            nextKill++;
            const pauseMs = Math.floor(random() * 400);
            chain = chain.then(async () => {
              await new Promise((r) => setTimeout(r, pauseMs));
              const victim = current;
              await victim.kill();
              kills.push({
                at: count,
                pid: victim.pid,
                exit: await victim.exited
              });
              current = await startReplica(`kill9-${kills.length}`, env, {
                startTimeoutMs: 180_000
              });
              processes.push(current);
              assert.equal(
                current.url,
                url,
                'the restarted connector listens on the same port'
              );
            });
          }
        }
      );
      await chain;
      assert.equal(
        kills.length,
        KILLS,
        `killed ${KILLS} times: ${JSON.stringify(kills)}`
      );
      assert.ok(kills.every((k) => k.exit === 'SIGKILL'));
      assert.equal(
        stream.acknowledged.size,
        order.length,
        'every delivery was eventually acknowledged'
      );

      // the restarts found the killed process's PostgreSQL still running (or its pid file stale) and recovered
      const recovered = processes
        .slice(1)
        .flatMap((p) => p.events)
        .filter((e) =>
          /orphaned embedded PostgreSQL|stale postmaster/.test(String(e.msg))
        );
      assert.ok(
        recovered.length >= 1,
        'a restart recovered the embedded PostgreSQL left by a killed process'
      );

      const expected = await world.scopeStates(sessions);
      let problems: string[] = [];
      await waitFor(
        async () => {
          problems = salesforceMismatches(
            expected,
            await world.salesforceSessions()
          );
          return problems.length === 0;
        },
        180_000,
        'every session exactly once in Salesforce with its final state'
      ).catch((error: Error) => {
        throw new Error(
          `${error.message}: ${problems.length} wrong, e.g. ${problems.slice(0, 5).join('; ')}\n${current.logTail(10)}`
        );
      });
      const records = await world.salesforceSessions();
      assert.equal(records.length, SESSIONS, 'no other record was created');

      const connection = runningEmbeddedUrl(dataDir);
      assert.ok(connection, 'the last connector runs its embedded PostgreSQL');
      const pool = inspectPool(connection);
      try {
        const stored = await storedDeliveryIds(pool, [
          ...stream.acknowledged.keys()
        ]);
        assert.equal(
          stored.size,
          stream.acknowledged.size,
          'every acknowledged delivery is stored'
        );
        const dead = await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM dead_letters'
        );
        assert.equal(dead.rows[0]?.n, 0, 'nothing in dead letters');
      } finally {
        await pool.end();
      }
      const metrics = await scrapeMetrics(url);
      assert.equal(metrics('worklink_queue_depth'), 0);
      assert.ok(await healthy(url));
    } finally {
      await chain.catch(() => undefined);
      await current.stop();
    }
  });
});

// Final states first (issue #20): a delivery of a completed session or an ended call starts its job at the
// end of the short final window and at a higher priority; progress updates wait for the progress window,
// and every update of a resource in that window shares one job. Against pg-boss 10's real schema.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  ProcessOutcome,
  ResourceEvent
} from '../../../connector/src/contracts.ts';
import { migrate } from '../../../connector/src/db/migrate.ts';
import { createPool } from '../../../connector/src/db/pool.ts';
import { bossSql } from '../../../connector/src/queue/boss-compat.ts';
import { storeDeliveries } from '../../../connector/src/queue/delivery-store.ts';
import { nextWindowEndMs } from '../../../connector/src/queue/job-timing.ts';
import type { CoalesceWindows } from '../../../connector/src/queue/job-timing.ts';
import {
  BOSS_SCHEMA,
  RESOURCE_QUEUE,
  createBoss,
  ensureResourceQueue
} from '../../../connector/src/queue/resource-queue.ts';
import type { DeliveryRecord } from '../../../connector/src/webhooks/receive-delivery.ts';
import { createJobRunner } from '../../../connector/src/worker/job-runner.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

const sql = bossSql(BOSS_SCHEMA);
let sequence = 0;

const delivery = (
  resourceId: string,
  event: 'created' | 'updated' | 'completed'
): DeliveryRecord => {
  const deliveryId = `d-${++sequence}`;
  return {
    deliveryId,
    generation: 2,
    resourceId,
    resourceType: 'ScenarioSession',
    event,
    topic: `scenario_session/${event}`,
    headers: { 'x-scope-webhook-id': deliveryId },
    body: { data: { id: resourceId } }
  };
};

/** The connector's queue on one database, opened again by a "restarted" process. */
async function openQueue(databaseUrl: string) {
  const pool = createPool(databaseUrl, { max: 4 });
  await migrate(pool);
  const boss = createBoss(pool, { supervise: false });
  await boss.start();
  await ensureResourceQueue(boss, {
    retryLimit: 3,
    retryDelaySeconds: 1,
    expireInSeconds: 60
  });
  const store = (records: DeliveryRecord[], windows: CoalesceWindows) =>
    storeDeliveries(pool, boss, records, windows);
  const fetchLeased = async (batch = 10) =>
    (
      await pool.query<{ data: { resourceId: string } }>(sql.fetchLeased, [
        RESOURCE_QUEUE,
        batch,
        'test',
        30,
        0
      ])
    ).rows.map((row) => row.data.resourceId);
  const queued = async () =>
    (
      await pool.query<{ key: string; priority: number; due_in: number }>(
        `SELECT singleton_key AS key, priority,
           EXTRACT(EPOCH FROM start_after - now())::float AS due_in
         FROM pgboss.job WHERE name = $1 AND state = 'created' ORDER BY 1`,
        [RESOURCE_QUEUE]
      )
    ).rows;
  const close = async () => {
    try {
      await boss.stop({ graceful: false, close: false });
    } finally {
      await pool.end();
    }
  };
  return { pool, boss, store, fetchLeased, queued, close };
}

const HOUR: CoalesceWindows = { progressSeconds: 3600, finalSeconds: 0 };

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('coalescing windows (final states first)', () => {
  it('progress updates of a resource share one job that waits for the window; a final state brings it forward', async () => {
    const q = await openQueue(await postgres.createDatabase());
    try {
      await q.store([delivery('A', 'created'), delivery('A', 'updated')], HOUR);
      await q.store([delivery('A', 'updated'), delivery('B', 'updated')], HOUR);
      const waiting = await q.queued();
      assert.deepEqual(
        waiting.map((j) => [j.key, j.priority]),
        [
          ['A', 0],
          ['B', 0]
        ]
      );
      assert.ok(waiting.every((j) => j.due_in > 0 && j.due_in <= 3600));
      assert.deepEqual(await q.fetchLeased(), [], 'progress is not due yet');
      await q.store([delivery('A', 'completed')], HOUR);
      assert.deepEqual(await q.fetchLeased(), ['A'], 'the final state is due');
      assert.deepEqual(
        (await q.queued()).map((j) => j.key),
        ['B'],
        'B keeps coalescing'
      );
    } finally {
      await q.close();
    }
  });

  it('a final-state delivery is processed before progress queued earlier', async () => {
    const q = await openQueue(await postgres.createDatabase());
    const order: string[] = [];
    const processor = {
      process: async (events: ResourceEvent[]): Promise<ProcessOutcome[]> => {
        const ids = [...new Set(events.map((e) => e.resourceId))];
        order.push(...ids);
        return ids.map((resourceId) => ({ resourceId, status: 'written' }));
      }
    };
    const runner = createJobRunner({
      boss: q.boss,
      pool: q.pool,
      processor,
      batchSize: 1,
      pollingIntervalSeconds: 0.1,
      leaseSeconds: 30,
      maxHoldSeconds: 60,
      retryDelaySeconds: 1,
      retryMaxDelaySeconds: 2
    });
    try {
      const due: CoalesceWindows = { progressSeconds: 0, finalSeconds: 0 };
      await q.store(
        [delivery('P1', 'created'), delivery('P2', 'updated')],
        due
      );
      await q.store([delivery('P3', 'updated')], due);
      await q.store([delivery('F', 'completed')], due);
      await runner.start();
      await waitFor(
        async () => order,
        (o) => o.length === 4,
        'four jobs'
      );
      assert.equal(order[0], 'F');
      assert.deepEqual(order.slice(1).sort(), ['P1', 'P2', 'P3']);
    } finally {
      await runner.stop();
      await q.close();
    }
  });

  it('an idle worker fetches when a window ends, not at its next poll', async () => {
    const q = await openQueue(await postgres.createDatabase());
    const windows: CoalesceWindows = { progressSeconds: 20, finalSeconds: 1 };
    const taken: { id: string; at: number }[] = [];
    const runner = createJobRunner({
      boss: q.boss,
      pool: q.pool,
      processor: {
        process: async (events: ResourceEvent[]) => {
          const ids = [...new Set(events.map((e) => e.resourceId))];
          for (const id of ids) taken.push({ id, at: Date.now() });
          return ids.map((resourceId) => ({
            resourceId,
            status: 'written' as const
          }));
        }
      },
      batchSize: 10,
      // a poll this long would make the final state wait a minute
      pollingIntervalSeconds: 60,
      nextWindowEnd: (nowMs) => nextWindowEndMs(windows, nowMs),
      leaseSeconds: 30,
      maxHoldSeconds: 60,
      retryDelaySeconds: 1,
      retryMaxDelaySeconds: 2
    });
    try {
      await runner.start();
      // the loop has polled once, found nothing, and sleeps
      await new Promise((resolve) => setTimeout(resolve, 300));
      await q.store([delivery('F', 'completed')], windows);
      const storedAt = Date.now();
      await waitFor(
        async () => taken,
        (t) => t.length === 1,
        'the final state, taken at its window end'
      );
      assert.equal(taken[0]?.id, 'F');
      const waited = (taken[0]?.at ?? 0) - storedAt;
      assert.ok(
        waited < 30_000,
        `taken ${waited} ms after it was stored: at the 1 s window's end, not at the 60 s poll`
      );
    } finally {
      await runner.stop();
      await q.close();
    }
  });

  it('the budget widens the progress window only: final states are still fetched', async () => {
    const q = await openQueue(await postgres.createDatabase());
    try {
      const due: CoalesceWindows = { progressSeconds: 0, finalSeconds: 0 };
      await q.store(
        [delivery('P', 'updated'), delivery('F', 'completed')],
        due
      );
      const widened = async () =>
        (
          await q.pool.query<{ data: { resourceId: string } }>(
            sql.fetchLeased,
            [RESOURCE_QUEUE, 10, 'test', 30, 600]
          )
        ).rows.map((row) => row.data.resourceId);
      assert.deepEqual(await widened(), ['F']);
      assert.deepEqual(await q.fetchLeased(), ['P']);
    } finally {
      await q.close();
    }
  });

  it('nothing is lost across a restart while updates wait in their window', async () => {
    const databaseUrl = await postgres.createDatabase();
    const first = await openQueue(databaseUrl);
    const short: CoalesceWindows = { progressSeconds: 1, finalSeconds: 1 };
    try {
      await first.store(
        [delivery('R1', 'updated'), delivery('R2', 'completed')],
        short
      );
      await first.store([delivery('R1', 'updated')], short);
    } finally {
      await first.close();
    }
    const second = await openQueue(databaseUrl);
    try {
      const taken: string[] = [];
      await waitFor(
        async () => {
          taken.push(...(await second.fetchLeased()));
          return taken;
        },
        (t) => t.length >= 2,
        'both jobs after the restart'
      );
      assert.deepEqual(taken.sort(), ['R1', 'R2']);
      const { rows } = await second.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM deliveries'
      );
      assert.equal(rows[0]?.n, 3);
    } finally {
      await second.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDeliveryStore } from '../../../connector/src/queue/delivery-store.ts';
import type { DeliveryRecord } from '../../../connector/src/webhooks/receive-delivery.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import { startMigratedQueue } from './support/migrated-queue.ts';

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

const record = (deliveryId: string, resourceId: string): DeliveryRecord => ({
  deliveryId,
  generation: 2,
  resourceId,
  resourceType: 'ScenarioSession',
  event: 'updated',
  headers: { 'x-scope-webhook-id': deliveryId },
  body: { data: { id: resourceId } }
});

const migratedQueue = (max: number) => startMigratedQueue(postgres, max);

describe('delivery store (group commit)', () => {
  it('groups concurrent deliveries into few transactions, dedupes, and coalesces jobs per resource', async () => {
    const { pool, boss, close } = await migratedQueue(6);
    const batches: number[] = [];
    const batcher = createDeliveryStore({
      pool,
      boss,
      windowMs: 5,
      maxBatch: 100,
      maxConcurrentFlushes: 2,
      onBatch: (n) => batches.push(n)
    });
    try {
      const submissions = Array.from({ length: 300 }, (_, i) =>
        batcher.submit(record(`d-${i % 250}`, `r-${i % 40}`))
      );
      const results = await Promise.all(submissions);
      await batcher.drain();
      assert.equal(results.filter((r) => r.status === 'accepted').length, 250);
      assert.equal(results.filter((r) => r.status === 'duplicate').length, 50);
      assert.ok(
        batches.length < 300 / 2,
        `expected grouped transactions, got ${batches.length}`
      );
      const { rows } = await pool.query<{ deliveries: number; jobs: number }>(
        `SELECT (SELECT count(*)::int FROM deliveries) AS deliveries,
                (SELECT count(*)::int FROM pgboss.job WHERE name = 'scope-resource') AS jobs`
      );
      assert.deepEqual(rows[0], { deliveries: 250, jobs: 40 });
    } finally {
      await close();
    }
  });

  it('isolates a delivery that cannot be stored: the rest of its batch is still acknowledged', async () => {
    const { pool, boss, close } = await migratedQueue(4);
    const batcher = createDeliveryStore({
      pool,
      boss,
      windowMs: 20,
      maxBatch: 50
    });
    try {
      const poison = { ...record('poison', 'r-x'), sentAt: 'not a timestamp' };
      const results = await Promise.allSettled([
        batcher.submit(record('ok-1', 'r-1')),
        batcher.submit(poison),
        batcher.submit(record('ok-2', 'r-2'))
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled']
      );
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM deliveries'
      );
      assert.equal(rows[0]?.n, 2);
    } finally {
      await close();
    }
  });
});

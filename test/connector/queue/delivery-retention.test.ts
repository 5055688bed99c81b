import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../../connector/src/db/migrate.ts';
import { createPool } from '../../../connector/src/db/pool.ts';
import type { Pool } from '../../../connector/src/db/pool.ts';
import {
  pruneDeliveries,
  startDeliveryRetention
} from '../../../connector/src/db/delivery-retention.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { TestPostgres } from '../../support/postgres.ts';

const DAY_MS = 86_400_000;

async function insertDeliveries(
  pool: Pool,
  count: number,
  ageDays: number,
  prefix: string
) {
  await pool.query(
    `INSERT INTO deliveries (delivery_id, generation, resource_id, resource_type, event, body, received_at)
     SELECT $1 || g, 2, 'res-' || g, 'ScenarioSession', 'updated', '{}'::jsonb, now() - ($2 || ' days')::interval
     FROM generate_series(1, $3) AS g`,
    [prefix, String(ageDays), count]
  );
}

const count = async (pool: Pool): Promise<number> =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries'))
    .rows[0]?.n ?? -1;

describe('delivery retention', () => {
  let postgres: TestPostgres;
  before(async () => {
    postgres = await startTestPostgres();
  });
  after(async () => {
    await postgres.stop();
  });

  it('deletes only deliveries older than the cutoff, across several batches', async () => {
    const pool = createPool(await postgres.createDatabase());
    try {
      await migrate(pool);
      await insertDeliveries(pool, 12_000, 45, 'old-');
      await insertDeliveries(pool, 50, 1, 'new-');
      const deleted = await pruneDeliveries(
        pool,
        new Date(Date.now() - 30 * DAY_MS)
      );
      assert.equal(deleted, 12_000);
      assert.equal(await count(pool), 50);
      const { rows } = await pool.query<{ delivery_id: string }>(
        `SELECT delivery_id FROM deliveries WHERE delivery_id LIKE 'old-%'`
      );
      assert.equal(rows.length, 0);
    } finally {
      await pool.end();
    }
  });

  it('runs on start when enabled, and keeps everything when DELIVERY_RETENTION_DAYS is 0', async () => {
    const pool = createPool(await postgres.createDatabase());
    try {
      await migrate(pool);
      await insertDeliveries(pool, 10, 40, 'old-');
      await insertDeliveries(pool, 5, 0, 'new-');
      const keepAll = startDeliveryRetention({ pool, retentionDays: 0 });
      keepAll();
      assert.equal(await count(pool), 15);
      const stop = startDeliveryRetention({ pool, retentionDays: 30 });
      try {
        await waitFor(
          'old deliveries pruned',
          async () => (await count(pool)) === 5,
          { timeoutMs: 10_000 }
        );
      } finally {
        stop();
      }
    } finally {
      await pool.end();
    }
  });
});

// The compat statements of queue/boss-compat.ts against pg-boss 10's real schema: the fetch that a
// resource active elsewhere cannot block (where pg-boss's own fetch returns nothing), and the lease sweep.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bossSql } from '../../../connector/src/queue/boss-compat.ts';
import type { HandBackCount } from '../../../connector/src/queue/boss-compat.ts';
import {
  BOSS_SCHEMA,
  RESOURCE_QUEUE,
  resourceJob
} from '../../../connector/src/queue/resource-queue.ts';
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

const sql = bossSql(BOSS_SCHEMA);
const job = (resourceId: string) =>
  resourceJob({ resourceId, resourceType: 'ScenarioSession' });

async function queue() {
  const { pool, boss, close } = await startMigratedQueue(postgres, 4);
  const fetchLeased = async (holder: string, batch = 10, lease = 30) =>
    (
      await pool.query<{ id: string; data: { resourceId: string } }>(
        sql.fetchLeased,
        [RESOURCE_QUEUE, batch, holder, lease, 0]
      )
    ).rows;
  const states = async () =>
    (
      await pool.query<{ key: string; state: string }>(
        `SELECT singleton_key AS key, state::text FROM pgboss.job WHERE name = $1 ORDER BY 1, 2`,
        [RESOURCE_QUEUE]
      )
    ).rows.map((r) => `${r.key}:${r.state}`);
  return {
    pool,
    boss,
    fetchLeased,
    states,
    close
  };
}

describe('leased fetch (pg-boss 10 compat)', () => {
  it('skips a resource that is active elsewhere, where pg-boss 10’s own fetch returns nothing', async () => {
    const q = await queue();
    try {
      await q.boss.insert([job('A')]);
      assert.equal((await q.fetchLeased('replica-1')).length, 1); // A is active now
      await q.boss.insert([job('A'), job('B'), job('C')]); // a newer A waits behind the active one
      // the stall of the issue: A's pending job makes pg-boss's batch fetch fail (23505, swallowed)
      assert.deepEqual(
        await q.boss.fetch(RESOURCE_QUEUE, { batchSize: 10 }),
        []
      );
      const taken = await q.fetchLeased('replica-2');
      assert.deepEqual(taken.map((j) => j.data.resourceId).sort(), ['B', 'C']);
      assert.deepEqual(await q.states(), [
        'A:active',
        'A:created',
        'B:active',
        'C:active'
      ]);
      const leases = await q.pool.query<{ holder: string; n: number }>(
        'SELECT holder, count(*)::int AS n FROM job_leases GROUP BY holder ORDER BY holder'
      );
      assert.deepEqual(
        leases.rows.map((r) => [r.holder, r.n]),
        [
          ['replica-1', 1],
          ['replica-2', 2]
        ]
      );
    } finally {
      await q.close();
    }
  });

  it('reclaims only lapsed leases: covered jobs complete, the others go back to retry at once; live leases stay', async () => {
    const q = await queue();
    try {
      await q.boss.insert([job('A'), job('B'), job('C')]);
      await q.fetchLeased('dead', 10, 30);
      await q.boss.insert([job('A')]); // a newer delivery of A is pending
      // the dead replica's leases lapse; C is renewed by a live holder
      await q.pool.query(
        `UPDATE job_leases SET expires_at = now() - interval '1 second'`
      );
      const c = await q.pool.query<{ id: string }>(
        `SELECT id::text FROM pgboss.job WHERE singleton_key = 'C'`
      );
      await q.pool.query(`UPDATE job_leases SET holder = 'live'`);
      await q.pool.query(sql.renewLeases, ['live', [c.rows[0]?.id], 30]);

      const { rows } = await q.pool.query<HandBackCount>(sql.reclaimExpired, [
        RESOURCE_QUEUE,
        30
      ]);
      assert.deepEqual(rows[0], { covered: 1, released: 1 });
      assert.deepEqual(await q.states(), [
        'A:completed',
        'A:created',
        'B:retry',
        'C:active'
      ]);
      const again = await q.fetchLeased('successor');
      assert.deepEqual(
        again.map((j) => j.data.resourceId).sort(),
        ['A', 'B'],
        'the reclaimed work is available at once'
      );
    } finally {
      await q.close();
    }
  });
});

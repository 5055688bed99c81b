// Rollups on an interval (ROLLUP_INTERVAL_SECONDS > 0), through both sandboxes and PostgreSQL: a batch
// only marks its parents dirty (no Salesforce call), one drain recomputes the marks of several batches
// in ≤ 3 calls; a parent re-marked while a drain runs stays dirty; a failed drain leaves its rows and
// the next one heals; two drainers on one database never take the same parent; a drain whose
// connection dies mid-transaction loses nothing, and a new process's drainer finishes the work.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { ProcessOutcome } from '../../../connector/src/contracts.ts';
import { createPool } from '../../../connector/src/db/pool.ts';
import { createMetrics } from '../../../connector/src/metrics.ts';
import { readDirtyStats } from '../../../connector/src/rollups/dirty-parents.ts';
import type { DirtyParent } from '../../../connector/src/rollups/dirty-parents.ts';
import type { RollupClient } from '../../../connector/src/rollups/recompute-parents.ts';
import { createSalesforceClient } from '../../../connector/src/salesforce/index.ts';
import type { SalesforceClient } from '../../../connector/src/salesforce/index.ts';
import { createBatchProcessor } from '../../../connector/src/worker/index.ts';
import { call, launch, rollupChecks } from './helpers/rollup-checks.ts';
import { MAPPING, startSyncHarness } from './helpers/sync-harness.ts';
import type { SyncHarness } from './helpers/sync-harness.ts';

const OUTCOMES = { windowDays: 30, resolvedStatuses: ['Completed', 'Closed'] };

let h: SyncHarness;
let client: SalesforceClient;
before(async () => {
  h = await startSyncHarness({
    scope: { seed: { historicalSessions: 0, historicalCalls: 0 } },
    rollups: OUTCOMES,
    rollupInterval: true
  });
  client = createSalesforceClient({
    auth: {
      loginUrl: h.salesforce.url,
      flow: 'jwt',
      clientId: h.salesforce.clientId,
      username: h.salesforce.username,
      privateKeyPem: h.salesforce.jwtPrivateKeyPem
    },
    apiVersion: h.salesforce.apiVersion
  });
});
after(() => h?.close());

const {
  control,
  workOrder,
  runToCompletion,
  eventsOf,
  assertRollupsMatchSessions,
  rollupWrites,
  queries
} = rollupChecks(() => h);

const statuses = (outcomes: readonly ProcessOutcome[]) => [
  ...new Set(outcomes.map((o) => o.status))
];

/** REST API calls in the sandbox's request log (token requests are not API calls). */
const apiCalls = async () =>
  (await control<{ path: string }[]>('GET', '/requests')).filter((r) =>
    r.path.startsWith('/services/data/')
  ).length;

const dirtyRows = async (pool: pg.Pool = h.pool) =>
  (
    await pool.query<DirtyParent>(
      'SELECT kind, id, generation::text AS generation FROM rollup_dirty_parents ORDER BY kind, id'
    )
  ).rows;

const key = (r: Pick<DirtyParent, 'kind' | 'id'>) => `${r.kind}:${r.id}`;

/** Runs sessions of `links` to completion and processes their final events in one batch. */
async function batchOf(links: readonly string[]): Promise<void> {
  const opened = await runToCompletion(links);
  assert.deepEqual(statuses(await h.processor.process(eventsOf(opened))), [
    'written'
  ]);
}

/** A client that runs `hook` once, before its first call of `method` reaches Salesforce. */
function hooked(
  method: 'query' | 'updateRecords',
  hook: () => Promise<void>
): RollupClient {
  let fired = false;
  const once = async () => {
    if (fired) return;
    fired = true;
    await hook();
  };
  return {
    query: async (...args: Parameters<RollupClient['query']>) => {
      if (method === 'query') await once();
      return client.query(...args);
    },
    updateRecords: async (
      ...args: Parameters<RollupClient['updateRecords']>
    ) => {
      if (method === 'updateRecords') await once();
      return client.updateRecords(...args);
    }
  } as RollupClient;
}

describe('rollups on an interval', { timeout: 300_000 }, () => {
  it('a batch marks its parents without a rollup call; one drain recomputes several batches in ≤ 3 calls', async () => {
    await control('DELETE', '/requests');
    await batchOf([launch('PUMP-100', '00000101'), call('00000101')]);
    assert.equal(await rollupWrites(), 0, 'no Collections update');
    assert.equal(
      await queries(),
      2,
      'the work-order lookup and the stored-session read only'
    );
    const wo101 = await workOrder('00000101');
    assert.equal(wo101.WorkLink_AR_Sessions__c, null, 'not yet recomputed');
    assert.deepEqual((await dirtyRows()).map(key).sort(), [
      `asset:${String(wo101.AssetId)}`,
      `case:${String(wo101.CaseId)}`,
      `work_order:${wo101.Id}`
    ]);

    await batchOf([
      launch('HVAC-7', '00000102'),
      call('00000102'),
      launch('PUMP-100', '00000101')
    ]);
    await batchOf([launch('GEN-3000', '00000103')]);
    assert.equal(await rollupWrites(), 0);
    const marked = await dirtyRows();
    assert.ok(marked.length >= 6, JSON.stringify(marked));
    const stats = await readDirtyStats(h.pool);
    assert.equal(stats.waiting, marked.length);
    assert.ok(stats.oldestSeconds >= 0);
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.setRollupProbe(() => readDirtyStats(h.pool));
    assert.match(
      await metrics.registry.metrics(),
      new RegExp(`^worklink_rollup_dirty_parents ${marked.length}$`, 'm')
    );

    await control('DELETE', '/requests');
    const result = await h.drainer({ client }).drain();
    assert.equal(result.taken.length, marked.length);
    assert.equal(result.failed, 0);
    assert.equal(result.cleared, marked.length);
    const calls = await apiCalls();
    assert.ok(calls <= 3, `${calls} Salesforce calls for 3 batches`);
    assert.equal(await rollupWrites(), 1, 'one Collections update');
    assert.deepEqual(await dirtyRows(), []);
    assert.equal((await workOrder('00000101')).WorkLink_AR_Sessions__c, 2);
    await assertRollupsMatchSessions();
  });

  it('a parent re-marked while a drain runs stays dirty and is recomputed by the next drain', async () => {
    await batchOf([launch('HVAC-7', '00000102')]);
    const before = await workOrder('00000102');
    // a batch of the same work order lands after the drain read Salesforce, before it writes
    const drainer = h.drainer({
      client: hooked('updateRecords', () =>
        batchOf([launch('HVAC-7', '00000102')])
      )
    });
    const first = await drainer.drain();
    assert.equal(first.failed, 0);
    const wo102 = await workOrder('00000102');
    assert.equal(
      wo102.WorkLink_AR_Sessions__c,
      Number(before.WorkLink_AR_Sessions__c ?? 0) + 1,
      'the drain wrote what it read: one session short'
    );
    const left = (await dirtyRows()).map(key);
    assert.ok(left.includes(`work_order:${wo102.Id}`), JSON.stringify(left));
    await assert.rejects(assertRollupsMatchSessions());

    const second = await drainer.drain();
    assert.equal(second.failed, 0);
    assert.deepEqual(await dirtyRows(), []);
    assert.equal(
      (await workOrder('00000102')).WorkLink_AR_Sessions__c,
      Number(before.WorkLink_AR_Sessions__c ?? 0) + 2
    );
    await assertRollupsMatchSessions();
  });

  it('a failed drain (503, then a locked row) leaves its rows; the next drain heals', async () => {
    let failures = 0;
    const metrics = { rollupFailure: (n = 1) => void (failures += n) };
    const drainer = h.drainer({ client, metrics });
    await batchOf([launch('PUMP-100', '00000101'), call('00000102')]);
    const marked = await dirtyRows();

    await control('PUT', '/faults', { unavailable: true });
    try {
      const failed = await drainer.drain();
      assert.equal(failed.failed, 1);
      assert.equal(failed.cleared, 0);
    } finally {
      await control('PUT', '/faults', { unavailable: false });
    }
    assert.equal(failures, 1, 'counted as a rollup failure');
    assert.deepEqual(await dirtyRows(), marked, 'every row left as it was');

    const wo101 = await workOrder('00000101');
    await control('PUT', '/faults', { lockRowIds: [wo101.Id] });
    try {
      const refused = await drainer.drain();
      assert.equal(refused.failed, 1, 'UNABLE_TO_LOCK_ROW on one record');
    } finally {
      await control('PUT', '/faults', { lockRowIds: [] });
    }
    assert.equal(failures, 2);
    const left = (await dirtyRows()).map(key);
    assert.ok(left.includes(`work_order:${wo101.Id}`), JSON.stringify(left));
    assert.ok(!left.some((k) => k.startsWith('case:')), 'written ones go');
    await assert.rejects(assertRollupsMatchSessions());

    const healed = await drainer.drain();
    assert.equal(healed.failed, 0);
    assert.deepEqual(await dirtyRows(), []);
    await assertRollupsMatchSessions();
  });

  it('two drainers on one database (two pools) never take the same parent', async () => {
    await batchOf([
      launch('GEN-3000', '00000103'),
      launch('HVAC-7', '00000104'),
      launch('PUMP-100', '00000105'),
      call('00000101')
    ]);
    const marked = (await dirtyRows()).map(key);
    assert.ok(marked.length >= 5, JSON.stringify(marked));
    const other = createPool(h.connectionString, { max: 2 });
    try {
      let second: readonly DirtyParent[] = [];
      // the second replica drains while the first holds its parents, mid-way through its reads
      const first = await h
        .drainer({
          limit: 2,
          client: hooked('query', async () => {
            second = (
              await h.drainer({ pool: other, client, limit: 100 }).drain()
            ).taken;
          })
        })
        .drain();
      const a = first.taken.map(key);
      const b = second.map(key);
      assert.equal(a.length, 2);
      assert.equal(b.length, marked.length - 2, JSON.stringify({ a, b }));
      assert.deepEqual(
        a.filter((k) => b.includes(k)),
        []
      );
      assert.deepEqual([...a, ...b].sort(), marked);
    } finally {
      await other.end();
    }
    assert.deepEqual(await dirtyRows(), []);
    await assertRollupsMatchSessions();
  });

  it('a drain whose connection dies mid-transaction loses nothing; a new process drains the rows', async () => {
    await batchOf([launch('HVAC-7', '00000102'), call('00000101')]);
    const marked = await dirtyRows();
    // the process about to die: its own pool, whose backend is terminated while it calls Salesforce
    const dying = new pg.Pool({
      connectionString: h.connectionString,
      application_name: 'worklink-dying-drain',
      max: 1
    });
    dying.on('error', () => undefined);
    dying.on('connect', (c) => c.on('error', () => undefined));
    try {
      const drain = h
        .drainer({
          pool: dying,
          client: hooked('updateRecords', async () => {
            await h.pool.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'worklink-dying-drain'"
            );
          })
        })
        .drain();
      await assert.rejects(drain);
    } finally {
      await dying.end();
    }
    assert.deepEqual(await dirtyRows(), marked, 'rolled back: still dirty');

    const fresh = createPool(h.connectionString, { max: 2 });
    try {
      assert.deepEqual(await dirtyRows(fresh), marked);
      const result = await h.drainer({ pool: fresh, client }).drain();
      assert.equal(result.taken.length, marked.length);
      assert.equal(result.failed, 0);
    } finally {
      await fresh.end();
    }
    assert.deepEqual(await dirtyRows(), []);
    await assertRollupsMatchSessions();
  });

  it('a stop lets a drain in flight finish, or drops its connection at the deadline (rolled back)', async () => {
    await batchOf([launch('PUMP-100', '00000101')]);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (reached = resolve));
    const drainer = h.drainer({
      client: hooked('updateRecords', async () => {
        reached();
        await held;
      })
    });
    const marked = await dirtyRows();
    const drain = drainer.drain();
    await inFlight;
    // the deadline is already past: the pass's connection is dropped at once
    await drainer.stop(Date.now() - 1);
    release();
    await assert.rejects(drain);
    assert.deepEqual(await dirtyRows(), marked, 'rolled back: still dirty');

    const finishing = h.drainer({
      client: hooked('query', async () => {
        reached();
        await held;
      })
    });
    const second = finishing.drain();
    await finishing.stop(Date.now() + 120_000);
    const result = await second;
    assert.equal(result.failed, 0);
    assert.deepEqual(
      await dirtyRows(),
      [],
      'the pass finished before the stop returned'
    );
    await assertRollupsMatchSessions();
  });

  it('a batch whose mark fails (database down) recomputes its rollups itself', async () => {
    let asked = 0;
    const processor = createBatchProcessor({
      scope: h.scopeClient,
      salesforce: client,
      mapping: MAPPING,
      rollups: {
        client,
        outcomes: OUTCOMES,
        markDirty: async () => {
          asked += 1;
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        }
      }
    });
    const opened = await runToCompletion([launch('HVAC-7', '00000104')]);
    await control('DELETE', '/requests');
    assert.deepEqual(statuses(await processor.process(eventsOf(opened))), [
      'written'
    ]);
    assert.equal(asked, 1);
    assert.equal(await rollupWrites(), 1, 'recomputed in the batch');
    assert.deepEqual(await dirtyRows(), []);
    await assertRollupsMatchSessions();
  });

  it('a drain waits while the Salesforce API budget says so: nothing is taken', async () => {
    await batchOf([call('00000103')]);
    const marked = await dirtyRows();
    await control('DELETE', '/requests');
    const deferred = await h
      .drainer({ client, admission: async () => 60_000 })
      .drain();
    assert.equal(deferred.deferred, true);
    assert.equal(await apiCalls(), 0);
    assert.deepEqual(await dirtyRows(), marked);
    await h.drainer({ client, admission: async () => 0 }).drain();
    assert.deepEqual(await dirtyRows(), []);
    await assertRollupsMatchSessions();
  });
});

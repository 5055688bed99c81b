// Incremental detection both ways (introspection finds an updatedSince filter, or there is none and
// content hashes decide), resume after kill -9, and one pass at a time (advisory lock, pg-boss cron).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import {
  ANALYTICS_SQL,
  SYNC_LOCK_KEY
} from '../../../connector/src/analytics/sql.ts';
import { createSyncMetrics } from '../../../connector/src/sync/sync-metrics.ts';
import {
  SYNC_QUEUE,
  startSyncScheduler
} from '../../../connector/src/sync/sync-scheduler.ts';
import type { SyncSummary } from '../../../connector/src/sync/run-sync-pass.ts';
import { waitFor } from '../../support/wait-for.ts';
import { MAPPING, startSyncHarness } from './helpers/sync-harness.ts';
import type { SyncHarness } from './helpers/sync-harness.ts';

const harnesses: SyncHarness[] = [];
const harness = async (options: Parameters<typeof startSyncHarness>[0]) => {
  const h = await startSyncHarness({ salesforce: false, ...options });
  harnesses.push(h);
  return h;
};
after(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function mutate(h: SyncHarness, count: number): Promise<string[]> {
  const response = await fetch(`${h.scope.url}/sandbox/mutate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'sessions', count })
  });
  return ((await response.json()) as { changed: { id: string }[] }).changed.map(
    (c) => c.id
  );
}

describe('incremental passes', { timeout: 300_000 }, () => {
  it('uses the updatedSince filter when introspection finds it, and reads only what changed', async () => {
    const h = await harness({
      scope: {
        seed: { historicalSessions: 300, historicalCalls: 20 },
        schema: { exposeUpdatedAt: true, updatedSinceFilter: true }
      }
    });
    const first = await h.pass();
    assert.equal(first.outcome, 'succeeded', first.error);
    assert.equal(first.capabilities?.sessionsSince, 'updatedSince');
    assert.equal(
      first.sessions.updatedSince,
      null,
      'no watermark yet: the first pass reads everything'
    );
    assert.equal(first.sessions.written, 288);
    const changed = await mutate(h, 10);
    const second = await h.pass();
    assert.ok(
      second.sessions.updatedSince,
      'the second pass filters on the first pass start'
    );
    assert.equal(second.sessions.seen, 10, 'only changed sessions come back');
    assert.equal(second.sessions.written, 10);
    assert.ok(
      second.graphqlRequests <= 5,
      `GraphQL requests: ${second.graphqlRequests}`
    );
    const stored = await h.pool.query<{
      session_id: string;
      scope_updated_at: Date;
    }>(
      'SELECT session_id, scope_updated_at FROM analytics.scenario_sessions WHERE session_id = ANY($1)',
      [changed]
    );
    assert.equal(stored.rows.length, 10);
    assert.ok(
      stored.rows.every(
        (r) => r.scope_updated_at.getTime() > Date.parse('2025-06-01')
      ),
      'updatedAt is stored when exposed'
    );
    const full = await h.pass({ mode: 'full' });
    assert.equal(full.sessions.updatedSince, null);
    assert.equal(full.sessions.seen, 288);
    assert.equal(full.sessions.written, 0);
  });

  it('without a date filter in the schema, pages everything and writes only what the hashes say changed', async () => {
    const h = await harness({
      scope: { seed: { historicalSessions: 300, historicalCalls: 0 } }
    });
    const first = await h.pass();
    assert.equal(first.capabilities?.sessionsSince, undefined);
    assert.equal(first.sessions.written, 288);
    await mutate(h, 7);
    const second = await h.pass();
    assert.equal(second.sessions.updatedSince, null);
    assert.equal(second.sessions.seen, 288);
    assert.equal(second.sessions.written, 7);
    assert.equal(second.sessions.unchanged, 281);
  });
});

describe('resume and exclusivity', { timeout: 300_000 }, () => {
  it('resumes a pass killed half-way from its cursor', async () => {
    const h = await harness({
      scope: {
        seed: { historicalSessions: 1500, historicalCalls: 0 },
        faults: { latencyMs: 40 }
      }
    });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./helpers/pass-child.ts', import.meta.url))
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: h.connectionString,
          SCOPE_URL: h.scope.url
        },
        stdio: 'ignore'
      }
    );
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => resolve())
    );
    await waitFor(
      'eight committed pages',
      async () => {
        const row = await h.pool.query<{ pages: number }>(
          `SELECT pages FROM analytics.sync_cursors WHERE stream = 'scenario_sessions'`
        );
        return (row.rows[0]?.pages ?? 0) >= 8;
      },
      { timeoutMs: 120_000 }
    );
    child.kill('SIGKILL');
    await exited;
    // PostgreSQL releases the killed pass's advisory lock once it notices the connection is gone
    // (at once on an idle machine, later on a loaded one): until then a pass is rightly skipped.
    await waitFor(
      "the killed pass's sync lock released",
      async () => {
        const locks = await h.pool.query<{ held: number }>(
          `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory'`
        );
        return locks.rows[0]?.held === 0;
      },
      { timeoutMs: 60_000 }
    );
    const importedBefore = await h.count('scenario_sessions');
    assert.ok(
      importedBefore >= 8 * 25 && importedBefore < 1440,
      `imported before the kill: ${importedBefore}`
    );

    const resumed = await h.pass({ streams: ['scenario_sessions'] });
    assert.equal(resumed.outcome, 'succeeded', resumed.error);
    assert.equal(resumed.resumed, true);
    assert.ok(
      resumed.sessions.seen < 1440,
      `the resumed pass started from the cursor (saw ${resumed.sessions.seen})`
    );
    assert.ok(
      resumed.sessions.seen >= 1440 - importedBefore,
      'and did not skip anything'
    );
    assert.equal(await h.count('scenario_sessions'), 1440);
    const runs = await h.pool.query<{ outcome: string }>(
      'SELECT outcome FROM analytics.sync_runs ORDER BY run_id'
    );
    assert.deepEqual(
      runs.rows.map((r) => r.outcome),
      ['interrupted', 'succeeded']
    );
    const next = await h.pass({ streams: ['scenario_sessions'] });
    assert.equal(next.resumed, false);
    assert.equal(next.sessions.seen, 1440);
    assert.equal(next.sessions.written, 0);
  });

  it('skips a pass while another holds the sync lock', async () => {
    const h = await harness({
      scope: { seed: { historicalSessions: 10, historicalCalls: 0 } }
    });
    const holder = await h.pool.connect();
    try {
      await holder.query(ANALYTICS_SQL.tryLock, [SYNC_LOCK_KEY]);
      const summary = await h.pass();
      assert.equal(summary.outcome, 'skipped');
      assert.equal(await h.count('sync_runs'), 0);
    } finally {
      await holder.query(ANALYTICS_SQL.unlock, [SYNC_LOCK_KEY]);
      holder.release();
    }
    assert.equal((await h.pass()).outcome, 'succeeded');
  });

  it('schedules the pass with pg-boss cron and counts runs and writes in /metrics', async () => {
    const h = await harness({
      scope: { seed: { historicalSessions: 60, historicalCalls: 0 } }
    });
    const registry = new Registry();
    const passes: SyncSummary[] = [];
    const scheduler = await startSyncScheduler({
      pool: h.pool,
      cron: '0 3 * * *',
      pass: {
        scope: h.scopeClient,
        mapping: MAPPING,
        pageSize: 25,
        metrics: createSyncMetrics(registry)
      },
      onPass: (summary) => passes.push(summary)
    });
    try {
      const schedules = await h.pool.query<{ name: string; cron: string }>(
        'SELECT name, cron FROM pgboss.schedule'
      );
      assert.deepEqual(schedules.rows, [
        { name: SYNC_QUEUE, cron: '0 3 * * *' }
      ]);
      // A cron tick is what inserts this job; sending it directly runs the same worker now.
      const { createBoss } =
        await import('../../../connector/src/queue/resource-queue.ts');
      const boss = createBoss(h.pool, { supervise: false });
      await boss.start();
      await boss.send(SYNC_QUEUE, {});
      await boss.stop({ graceful: false, close: false });
      await waitFor('the scheduled pass', () => passes.length > 0, {
        timeoutMs: 60_000
      });
      assert.equal(passes[0]?.outcome, 'succeeded');
      assert.equal(passes[0]?.sessions.written, 58);
      const text = await registry.metrics();
      assert.match(text, /worklink_sync_runs_total\{outcome="succeeded"\} 1/);
      assert.match(
        text,
        /worklink_sync_written_total\{entity="scenario_session"\} 58/
      );
      const run = await h.pool.query<{ trigger: string }>(
        'SELECT trigger FROM analytics.sync_runs'
      );
      assert.deepEqual(run.rows, [{ trigger: 'cron' }]);
    } finally {
      await scheduler.stop();
    }
  });
});

// The sync engine through both sandboxes over real HTTP and a real PostgreSQL: 10,000 seeded sessions
// land exactly, a second pass writes nothing, 10 changed sessions are exactly what the next pass
// writes, and reconciliation fills Salesforce and then has nothing left to repair.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSyncHarness } from './helpers/sync-harness.ts';
import type { SyncHarness } from './helpers/sync-harness.ts';

const SEEDED = 10_000;
const CALLS = 200;
/** The seed puts every 25th record in the other company, which the sandbox token cannot read. */
const visible = (n: number) => n - Math.floor((n + 1) / 25);

let h: SyncHarness;
before(async () => {
  h = await startSyncHarness({
    scope: { seed: { historicalSessions: SEEDED, historicalCalls: CALLS } }
  });
});
after(async () => h?.close());

async function scopeTotal(field: string): Promise<number> {
  const result = await h.scopeClient.execute<{ c: { totalCount: number } }>(
    'count',
    `query { c: ${field}(first: 1) { totalCount } }`
  );
  return result.data?.c.totalCount ?? -1;
}

describe('sync through the sandboxes', { timeout: 900_000 }, () => {
  it('imports 10,000 seeded sessions exactly and repairs every Salesforce record', async () => {
    const expectedSessions = await scopeTotal('scenarioSessions');
    const expectedCalls = await scopeTotal('calls');
    assert.equal(expectedSessions, visible(SEEDED));
    assert.equal(expectedCalls, visible(CALLS));

    const summary = await h.pass();
    assert.equal(summary.outcome, 'succeeded', summary.error);
    assert.deepEqual(summary.errors, []);
    assert.equal(summary.sessions.seen, expectedSessions);
    assert.equal(summary.sessions.written, expectedSessions);
    assert.equal(summary.calls.written, expectedCalls);
    assert.equal(await h.count('scenario_sessions'), expectedSessions);
    assert.equal(await h.count('calls'), expectedCalls);

    // Every session's database id 10001… present once, none of the other company's.
    const ids = await h.pool.query<{ database_id: string }>(
      'SELECT database_id FROM analytics.scenario_sessions ORDER BY database_id::int'
    );
    const expectedIds = Array.from({ length: SEEDED }, (_, i) => i)
      .filter((i) => i % 25 !== 24)
      .map((i) => String(10_001 + i));
    assert.deepEqual(
      ids.rows.map((r) => r.database_id),
      expectedIds
    );

    // Steps and events agree with the per-session counts; photos keep metadata only.
    const sums = await h.pool.query<{
      steps: number;
      events: number;
      photos: number;
      urls: number;
    }>(`
      SELECT (SELECT sum(step_count)::int FROM analytics.scenario_sessions) AS steps,
             (SELECT sum(event_count)::int FROM analytics.scenario_sessions) AS events,
             (SELECT count(*)::int FROM analytics.session_events WHERE has_photo) AS photos,
             (SELECT count(*)::int FROM analytics.session_events WHERE event_data::text ILIKE '%/sandbox/files/%') AS urls`);
    assert.equal(await h.count('session_steps'), sums.rows[0]?.steps);
    assert.equal(await h.count('session_events'), sums.rows[0]?.events);
    assert.ok((sums.rows[0]?.photos ?? 0) > 0, 'photo events are flagged');
    assert.equal(sums.rows[0]?.urls, 0, 'no expiring file URL is stored');
    // the scenario's step (name, order, sequence) comes along with each session step
    const unnamed = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analytics.session_steps
       WHERE step_name IS NULL OR order_index IS NULL OR sequence_name IS NULL`
    );
    assert.equal(unnamed.rows[0]?.n, 0, 'every imported step has its name');

    const run = await h.pool.query(
      'SELECT * FROM analytics.sync_runs WHERE run_id = $1',
      [summary.runId]
    );
    assert.equal(run.rows[0]?.outcome, 'succeeded');
    assert.equal(run.rows[0]?.sessions_written, expectedSessions);
    assert.ok(run.rows[0]?.finished_at instanceof Date);

    // Nothing reached Salesforce by webhook: reconciliation wrote every session and call.
    assert.equal(summary.reconcile.repaired, expectedSessions + expectedCalls);
    assert.equal(
      (await h.salesforceSessions()).length,
      expectedSessions + expectedCalls
    );
  });

  it('writes nothing on a second pass', async () => {
    const summary = await h.pass();
    assert.equal(summary.outcome, 'succeeded', summary.error);
    assert.equal(summary.sessions.written, 0);
    assert.equal(summary.calls.written, 0);
    assert.equal(summary.sessions.unchanged, visible(SEEDED));
    assert.equal(summary.steps + summary.events, 0);
    assert.equal(summary.reconcile.repaired, 0);
    assert.equal(summary.reconcile.checked, visible(SEEDED) + visible(CALLS));
  });

  it('writes exactly the 10 sessions changed in the sandbox, and repairs exactly those in Salesforce', async () => {
    const response = await fetch(`${h.scope.url}/sandbox/mutate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'sessions', count: 10 })
    });
    const changed = (await response.json()) as { changed: { id: string }[] };
    assert.equal(changed.changed.length, 10);
    const before = await h.pool.query<{ session_id: string; synced_at: Date }>(
      'SELECT session_id, synced_at FROM analytics.scenario_sessions'
    );
    const summary = await h.pass();
    assert.equal(summary.outcome, 'succeeded', summary.error);
    assert.equal(summary.sessions.written, 10);
    assert.equal(summary.calls.written, 0);
    assert.equal(
      summary.reconcile.repaired,
      10,
      'the webhooks of these changes were never delivered'
    );
    const afterRows = await h.pool.query<{
      session_id: string;
      synced_at: Date;
    }>('SELECT session_id, synced_at FROM analytics.scenario_sessions');
    const previous = new Map(
      before.rows.map((r) => [r.session_id, r.synced_at.getTime()])
    );
    const rewritten = afterRows.rows
      .filter((r) => previous.get(r.session_id) !== r.synced_at.getTime())
      .map((r) => r.session_id);
    assert.deepEqual(rewritten.sort(), changed.changed.map((c) => c.id).sort());
  });

  it('answers the common questions through the views', async () => {
    const perWorkOrder = await h.pool.query<{
      work_order_number: string;
      sessions: number;
    }>(
      `SELECT work_order_number, sessions FROM analytics.v_sessions_per_work_order WHERE work_order_number = '00000101'`
    );
    const direct = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analytics.scenario_sessions WHERE work_order_number = '00000101' AND work_order_id IS NULL`
    );
    assert.equal(perWorkOrder.rows[0]?.sessions, direct.rows[0]?.n);
    const rates = await h.pool.query<{
      sessions: number;
      completion_rate: string;
    }>('SELECT * FROM analytics.v_scenario_completion_rate');
    assert.equal(
      rates.rows.reduce((sum, r) => sum + r.sessions, 0),
      visible(SEEDED)
    );
    for (const r of rates.rows)
      assert.ok(
        Number(r.completion_rate) > 0.7 && Number(r.completion_rate) < 1,
        r.completion_rate
      );
    const calls = await h.pool.query<{
      calls: number;
      total_duration_seconds: string;
    }>('SELECT * FROM analytics.v_calls_per_work_order');
    assert.ok(calls.rows.length > 0);
    assert.ok(
      calls.rows.every(
        (r) => r.calls > 0 && Number(r.total_duration_seconds) >= 0
      )
    );
  });
});

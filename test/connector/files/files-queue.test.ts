// The files queue through a real connector and PostgreSQL: a written session gets its files job (the
// files processor sees the Scope session id), a call does not; the files job's own retries end in a
// dead letter of the files queue next to (not instead of) the session's own, and replay re-enqueues it
// into the files queue; SYNC_FILES=false enqueues nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pool } from 'pg';
import type {
  BatchProcessor,
  ProcessOutcome,
  ResourceEvent
} from '../../../connector/src/contracts.ts';
import { FILES_QUEUE } from '../../../connector/src/queue/files-queue.ts';
import {
  deadLettersList,
  deadLettersReplay,
  formatDeadLetters,
  statusReport
} from '../../../connector/src/runtime/admin-commands.ts';
import {
  gen2NodeBody,
  gen2Request,
  nodeId
} from '../../support/webhook-fixtures.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import { startTestConnector } from '../receiving/support/start-connector.ts';

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

function recorder(
  decide: (e: ResourceEvent, n: number) => Omit<ProcessOutcome, 'resourceId'>
) {
  const seen: ResourceEvent[] = [];
  const calls = new Map<string, number>();
  const processor: BatchProcessor = {
    async process(events) {
      seen.push(...events);
      return events.map((e) => {
        const n = (calls.get(e.resourceId) ?? 0) + 1;
        calls.set(e.resourceId, n);
        return { resourceId: e.resourceId, ...decide(e, n) };
      });
    }
  };
  return { processor, seen, calls };
}

const sessions = recorder((e) => ({
  status: 'written',
  // what Scope's __typename would say (the delivery may not name the kind)
  kind: Buffer.from(e.resourceId, 'base64').toString().startsWith('Call')
    ? 'Call'
    : 'ScenarioSession',
  salesforceId: 'a0B5g00000AbCdEFGH'
}));

const filesJobs = async (pool: Pool) =>
  (
    await pool.query<{ state: string; n: number }>(
      `SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state`,
      [FILES_QUEUE]
    )
  ).rows;

async function deliver(
  c: {
    post: (
      p: string,
      r: { headers: Record<string, string>; body: string | Buffer }
    ) => Promise<{ status: number }>;
  },
  id: string,
  n: number
) {
  const res = await c.post(
    '/webhooks/scope',
    gen2Request(gen2NodeBody(id, { work_order_id: '0WO5g000000AbCdEAA' }), {
      webhookId: `wh-files-${n}`
    })
  );
  assert.equal(res.status, 202);
}

describe('files queue', () => {
  it('a written session gets one files job; a call gets none', async () => {
    const files = recorder(() => ({ status: 'written' }));
    const c = await startTestConnector(postgres, {
      processor: sessions.processor,
      files: files.processor
    });
    const session = nodeId('ScenarioSession', 4711);
    const call = nodeId('Call', 4712);
    try {
      await deliver(c, session, 1);
      await deliver(c, call, 2);
      await waitFor(
        'the files job done',
        async () =>
          (await filesJobs(c.pool)).some((r) => r.state === 'completed'),
        { timeoutMs: 20_000 }
      );
      assert.deepEqual(
        files.seen.map((e) => e.resourceId),
        [session]
      );
      assert.equal(files.seen[0]?.event, 'files');
      const report = await statusReport(c.connector.database);
      assert.equal(report.files.depth, 0);
      assert.equal(report.files.states.completed, 1);
      const metrics = await (await fetch(`${c.url}/metrics`)).text();
      assert.match(metrics, /^worklink_files_queue_depth 0$/m);
      assert.match(metrics, /^worklink_files_skipped 0$/m);
    } finally {
      await c.stop();
    }
  });

  it("the files job's dead letter is kept apart from the session's, and replay puts it back in the files queue", async () => {
    let failing = true;
    const files = recorder(() =>
      failing
        ? {
            status: 'retry',
            reason: 'Salesforce SERVER_UNAVAILABLE (HTTP 503)',
            retryAfterSeconds: 0
          }
        : { status: 'written' }
    );
    const c = await startTestConnector(postgres, {
      processor: sessions.processor,
      files: files.processor,
      env: { RETRY_LIMIT: '1' }
    });
    const session = nodeId('ScenarioSession', 4713);
    try {
      await deliver(c, session, 3);
      await waitFor(
        'a files dead letter',
        async () => (await deadLettersList(c.connector.database)).length === 1,
        { timeoutMs: 30_000 }
      );
      const [letter] = await deadLettersList(c.connector.database);
      assert.equal(letter?.queue, FILES_QUEUE);
      assert.equal(letter?.resourceId, session);
      assert.match(
        letter?.reason ?? '',
        /retries exhausted after 2 attempts: Salesforce SERVER_UNAVAILABLE/
      );
      assert.match(formatDeadLetters([letter!]), /photos/);
      // the session itself is written: its own queue holds nothing dead
      assert.equal(sessions.calls.get(session), 1);
      failing = false;
      assert.deepEqual(
        await deadLettersReplay(c.connector.database, c.connector.boss, {
          resourceIds: [session]
        }),
        [session]
      );
      await waitFor(
        'the replayed files job',
        () => (files.calls.get(session) ?? 0) === 3,
        { timeoutMs: 20_000 }
      );
      assert.equal(
        sessions.calls.get(session),
        1,
        'a files replay does not rewrite the session'
      );
      await waitFor(
        'replayed job completed',
        async () =>
          (await filesJobs(c.pool)).some((r) => r.state === 'completed'),
        { timeoutMs: 10_000 }
      );
    } finally {
      await c.stop();
    }
  });

  it('SYNC_FILES=false enqueues no files job', async () => {
    const files = recorder(() => ({ status: 'written' }));
    const c = await startTestConnector(postgres, {
      processor: sessions.processor,
      files: files.processor,
      env: { SYNC_FILES: 'false' }
    });
    const session = nodeId('ScenarioSession', 4714);
    try {
      await deliver(c, session, 4);
      await waitFor(
        'the session written',
        () => sessions.calls.get(session) === 1,
        { timeoutMs: 20_000 }
      );
      await waitFor(
        'its job completed',
        async () =>
          (
            await c.pool.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'scope-resource' AND state = 'completed'`
            )
          ).rows[0]?.n === 1,
        { timeoutMs: 10_000 }
      );
      assert.deepEqual(await filesJobs(c.pool), []);
      assert.equal(c.connector.filesRunner, undefined);
      assert.deepEqual(files.seen, []);
    } finally {
      await c.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pool } from 'pg';
import type {
  BatchProcessor,
  ProcessOutcome,
  ResourceEvent
} from '../../../connector/src/contracts.ts';
import {
  deadLettersList,
  deadLettersReplay,
  formatDeadLetters
} from '../../../connector/src/runtime/admin-commands.ts';
import { computeRetryDelay } from '../../../connector/src/queue/retry-delay.ts';
import {
  gen2DefaultBody,
  gen2NodeBody,
  gen2Request,
  nodeId
} from '../../support/webhook-fixtures.ts';
import { startTestConnector } from '../receiving/support/start-connector.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { TestPostgres } from '../../support/postgres.ts';

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

/** A fake processor that records every batch and answers from a per-resource script. */
function recordingProcessor(
  decide: (
    event: ResourceEvent,
    call: number
  ) => Omit<ProcessOutcome, 'resourceId'> = () => ({ status: 'written' })
) {
  const batches: ResourceEvent[][] = [];
  const calls = new Map<string, number>();
  let open = true;
  const processor: BatchProcessor = {
    async process(events) {
      batches.push(events);
      return events.map((event) => {
        const n = (calls.get(event.resourceId) ?? 0) + 1;
        calls.set(event.resourceId, n);
        return { resourceId: event.resourceId, ...decide(event, n) };
      });
    }
  };
  return {
    processor,
    batches,
    calls,
    get open() {
      return open;
    },
    close: () => {
      open = false;
    }
  };
}

describe('queue: coalescing, retries, dead letters', () => {
  it('coalesces ten deliveries of one session into one job and hands them to the processor newest first', async () => {
    const c = await startTestConnector(postgres);
    const id = nodeId('ScenarioSession', 1);
    try {
      for (let i = 0; i < 10; i++) {
        const res = await c.post(
          '/webhooks/scope',
          gen2Request(
            gen2NodeBody(id, {
              work_order_id: `0WO00000000000${i}AAA`,
              step: i
            }),
            { webhookId: `wh-${i}` }
          )
        );
        assert.equal(res.status, 202);
      }
      assert.equal(
        await c.count('deliveries'),
        10,
        'every delivery is kept as the audit record'
      );
      assert.equal(await c.jobCount(), 1, 'one queued job for the resource');
    } finally {
      await c.stop();
    }
    // a worker started afterwards sees the resource in one batch, with its deliveries newest first
    // (the processor coalesces them into one fetch; custom-query payloads may arrive out of order)
    const recorder = recordingProcessor();
    const w = await startTestConnectorOn(c, recorder.processor);
    try {
      await waitFor('a processed batch', () => recorder.batches.length > 0, {
        timeoutMs: 15_000
      });
      const events = recorder.batches.flat();
      assert.equal(recorder.batches.length, 1, 'one batch');
      assert.equal(events.length, 10);
      assert.ok(events.every((e) => e.resourceId === id));
      assert.deepEqual(
        events.map((e) => e.deliveryId),
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `wh-${i}`)
      );
      assert.equal((events[0]?.node?.externalData as { step: number }).step, 9);
      await waitFor(
        'job completed',
        async () => (await jobStates(w.pool)).completed === 1,
        { timeoutMs: 10_000 }
      );
    } finally {
      await w.stop();
    }
  });

  it('retries with backoff, then dead-letters when retries run out; replay re-enqueues', async () => {
    let failing = true;
    const recorder = recordingProcessor(() =>
      failing
        ? {
            status: 'retry',
            reason: 'Salesforce 503 Service Unavailable',
            retryAfterSeconds: 0
          }
        : { status: 'written' }
    );
    const c = await startTestConnector(postgres, {
      processor: recorder.processor,
      env: { RETRY_LIMIT: '2' }
    });
    const id = nodeId('ScenarioSession', 2);
    try {
      assert.equal(
        (await c.post('/webhooks/scope', gen2Request(gen2DefaultBody(id))))
          .status,
        202
      );
      await waitFor(
        'a dead letter',
        async () => (await c.count('dead_letters')) === 1,
        { timeoutMs: 20_000 }
      );
      assert.equal(
        recorder.calls.get(id),
        3,
        'first attempt + RETRY_LIMIT retries'
      );
      const [letter] = await deadLettersList(c.connector.database);
      assert.equal(letter?.resourceId, id);
      assert.equal(letter?.attempts, 3);
      assert.match(
        letter?.reason ?? '',
        /retries exhausted after 3 attempts: Salesforce 503/
      );
      assert.match(formatDeadLetters([letter!]), new RegExp(id));

      failing = false;
      const replayed = await deadLettersReplay(
        c.connector.database,
        c.connector.boss,
        { resourceIds: [id] }
      );
      assert.deepEqual(replayed, [id]);
      await waitFor('the replayed job', () => recorder.calls.get(id) === 4, {
        timeoutMs: 10_000
      });
      assert.equal(
        (await deadLettersList(c.connector.database)).length,
        0,
        'no pending dead letters after replay'
      );
      assert.equal(
        (
          await deadLettersList(c.connector.database, { includeReplayed: true })
        )[0]?.status,
        'replayed'
      );
      assert.deepEqual(
        await deadLettersReplay(c.connector.database, c.connector.boss, {
          all: true
        }),
        [],
        'nothing left to replay'
      );
    } finally {
      await c.stop();
    }
  });

  it('a retry the API budget caused (nothing reached Salesforce) uses no attempt: far past RETRY_LIMIT, nothing is dead-lettered', async () => {
    let refusals = 6;
    const recorder = recordingProcessor(() =>
      refusals-- > 0
        ? {
            status: 'retry',
            reason:
              "Salesforce API_BUDGET_EXHAUSTED: the connector's Salesforce API budget is blocked (window)",
            retryAfterSeconds: 0,
            uncounted: true
          }
        : { status: 'written' }
    );
    const c = await startTestConnector(postgres, {
      processor: recorder.processor,
      env: {
        RETRY_LIMIT: '1',
        RETRY_DELAY_SECONDS: '1',
        RETRY_MAX_DELAY_SECONDS: '1'
      }
    });
    const id = nodeId('ScenarioSession', 6);
    try {
      assert.equal(
        (await c.post('/webhooks/scope', gen2Request(gen2DefaultBody(id))))
          .status,
        202
      );
      await waitFor(
        'written after the budget let it through',
        async () => (await jobStates(c.pool)).completed === 1,
        { timeoutMs: 30_000 }
      );
      assert.equal(recorder.calls.get(id), 7, 'six refusals, then the write');
      assert.equal(await c.count('dead_letters'), 0);
      const { rows } = await c.pool.query<{ retry_count: number }>(
        `SELECT retry_count FROM pgboss.job WHERE name = 'scope-resource'`
      );
      assert.deepEqual(
        rows.map((r) => r.retry_count),
        [0],
        'no attempt counted'
      );
    } finally {
      await c.stop();
    }
  });

  it('moves a permanent failure straight to dead letters and completes the others of the batch individually', async () => {
    const bad = nodeId('ScenarioSession', 3);
    const good = nodeId('ScenarioSession', 4);
    const skipped = nodeId('Call', 5);
    const recorder = recordingProcessor((event) =>
      event.resourceId === bad
        ? {
            status: 'dead',
            reason:
              'FIELD_CUSTOM_VALIDATION_EXCEPTION: Duration must be positive'
          }
        : event.resourceId === skipped
          ? { status: 'skipped', reason: 'foreign node' }
          : { status: 'written', salesforceId: 'a0X000000000001AAA' }
    );
    const c = await startTestConnector(postgres, {
      env: { WORKER_BATCH_SIZE: '50' }
    });
    for (const [id, topic] of [
      [bad, 'scenario_session/completed'],
      [good, 'scenario_session/completed'],
      [skipped, 'call/updated']
    ] as const) {
      assert.equal(
        (
          await c.post(
            '/webhooks/scope',
            gen2Request(gen2DefaultBody(id), { topic })
          )
        ).status,
        202
      );
    }
    await c.stop();
    const w = await startTestConnectorOn(c, recorder.processor);
    try {
      await waitFor(
        'three completed jobs',
        async () => (await jobStates(w.pool)).completed === 3,
        { timeoutMs: 15_000 }
      );
      assert.equal(
        recorder.batches.length,
        1,
        'one batch for the three resources'
      );
      const letters = await deadLettersList(w.connector.database);
      assert.deepEqual(
        letters.map((l) => [l.resourceId, l.attempts]),
        [[bad, 1]]
      );
      assert.match(
        letters[0]?.reason ?? '',
        /FIELD_CUSTOM_VALIDATION_EXCEPTION/
      );
      const metrics = await w.connector.metrics.registry.metrics();
      assert.match(metrics, /worklink_dead_letters_total 1/);
      assert.match(
        metrics,
        /worklink_process_outcomes_total\{status="written"\} 1/
      );
    } finally {
      await w.stop();
    }
  });

  it('a processor that throws sends the whole batch back for retry without losing it', async () => {
    let throwing = true;
    const processor: BatchProcessor = {
      async process(events) {
        if (throwing) {
          throwing = false;
          throw new Error('socket hang up');
        }
        return events.map((e) => ({
          resourceId: e.resourceId,
          status: 'written' as const
        }));
      }
    };
    const c = await startTestConnector(postgres, { processor });
    try {
      await c.post(
        '/webhooks/scope',
        gen2Request(gen2DefaultBody(nodeId('ScenarioSession', 6)))
      );
      await waitFor(
        'completed after one retry',
        async () => (await jobStates(c.pool)).completed === 1,
        { timeoutMs: 15_000 }
      );
      const metrics = await c.connector.metrics.registry.metrics();
      assert.match(metrics, /worklink_retries_total 1/);
    } finally {
      await c.stop();
    }
  });
});

describe('computeRetryDelay', () => {
  it('grows exponentially, is jittered, capped, and honours Retry-After', () => {
    const at = (attempt: number, random: number, hint?: number) =>
      computeRetryDelay(attempt, {
        baseSeconds: 5,
        maxSeconds: 300,
        hintSeconds: hint,
        random: () => random
      });
    assert.equal(at(0, 0), 2.5);
    assert.equal(at(0, 1), 5);
    assert.equal(at(3, 1), 40);
    assert.equal(at(20, 1), 300);
    assert.equal(at(20, 0), 150);
    assert.equal(at(0, 0, 60), 60);
    assert.equal(at(0, 0, 10_000), 300);
  });
});

async function jobStates(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ state: string; n: number }>(
    `SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = 'scope-resource' GROUP BY state`
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** A second connector process (with a worker) on the database of a stopped one. */
async function startTestConnectorOn(
  previous: { pool: { options: { connectionString?: string } } } & object,
  processor: BatchProcessor
) {
  const url = (
    previous as unknown as { pool: { options: { connectionString: string } } }
  ).pool.options.connectionString;
  return startTestConnector(
    { ...postgres, createDatabase: async () => url },
    { processor }
  );
}

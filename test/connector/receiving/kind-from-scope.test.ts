// Real deliveries through the real HTTP server, PostgreSQL queue and worker, with the processor on both
// sandboxes: what a delivery's labels and headers say never outweighs the signed body or Scope itself.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  launchLink,
  runToCompletion,
  startHarness
} from '../processing/helpers/sandboxes.ts';
import type { Harness } from '../processing/helpers/sandboxes.ts';
import {
  gen1Body,
  gen2DefaultBody,
  gen2NodeBody,
  gen2Request,
  PATH_TOKEN
} from '../../support/webhook-fixtures.ts';
import { startTestConnector } from './support/start-connector.ts';
import type { RunningConnector } from './support/start-connector.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { TestPostgres } from '../../support/postgres.ts';

const REPLAYS = 25;

let postgres: TestPostgres;
let h: Harness;
let c: RunningConnector;
before(async () => {
  [postgres, h] = await Promise.all([startTestPostgres(), startHarness()]);
  c = await startTestConnector(postgres, { processor: h.processor });
});
after(async () => {
  await c?.stop();
  await h?.close();
  await postgres?.stop();
});
beforeEach(() => h.scope.reset());

/** A session started from work order 00000101 and run to completion in the Scope sandbox. */
async function completedSession(): Promise<string> {
  const wo = await h.workOrder('00000101');
  const opened = await h.scope.open(
    launchLink({ asset: 'PUMP-100', work_order_id: wo.Id })
  );
  await runToCompletion(h.scope);
  return opened.id;
}

const recordsOf = async (scopeId: string) =>
  (await h.sessions()).filter((s) => s.Scope_Id__c === scopeId);

/** Every job of the resource finished (jobs are inserted before the 202, so none can still appear). */
async function settled(resourceId: string): Promise<void> {
  await waitFor(
    `the jobs of ${resourceId} to finish`,
    async () => {
      const { rows } = await c.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job
         WHERE name = 'scope-resource' AND singleton_key = $1 AND state IN ('created', 'retry', 'active')`,
        [resourceId]
      );
      return rows[0]?.n === 0;
    },
    { timeoutMs: 60_000 }
  );
}

async function deadLetters(): Promise<unknown[]> {
  return (await c.pool.query('SELECT resource_id, reason FROM dead_letters'))
    .rows;
}

describe('the kind of a resource comes from the signed body and from Scope', () => {
  it(`a signed session body replayed ${REPLAYS} times under a call topic still reaches Salesforce as a session`, async () => {
    const id = await completedSession();
    const body = gen2DefaultBody(id);
    const genuine = await c.post(
      '/webhooks/scope',
      gen2Request(body, { topic: 'scenario_session/completed' })
    );
    assert.equal(genuine.status, 202);
    await waitFor('condition', async () => (await recordsOf(id)).length === 1);

    // the same signed bytes, a fresh webhook id each time and an unsigned header that lies
    for (let i = 0; i < REPLAYS; i++) {
      const replay = await c.post(
        '/webhooks/scope',
        gen2Request(body, { topic: 'call/updated' })
      );
      assert.equal(replay.status, 202, JSON.stringify(replay.body));
    }
    await settled(id);

    assert.deepEqual(await deadLetters(), []);
    const records = await recordsOf(id);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.Kind__c, 'Scenario Session');
    assert.equal(records[0]?.Steps_Possible__c, 6);
  });

  it('a generation-1 delivery labelled "Scenario" is resolved by Scope and written as a session', async () => {
    const id = await completedSession();
    const res = await c.post(`/webhooks/scope/${PATH_TOKEN}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(gen1Body({ id, type: 'Scenario' }))
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal((res.body as { status: string }).status, 'accepted');
    await settled(id);
    assert.deepEqual(await deadLetters(), []);
    const records = await recordsOf(id);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.Kind__c, 'Scenario Session');
  });

  it("Scope's documented payload query (no id, no __typename) leads to a normal fetch by id", async () => {
    const id = await completedSession();
    const {
      id: _id,
      __typename: _t,
      ...documented
    } = gen2NodeBody(id).data.node;
    const res = await c.post(
      '/webhooks/scope',
      gen2Request(
        { data: { id, node: { ...documented, state: 'from-the-payload' } } },
        { topic: 'scenario_session/completed' }
      )
    );
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await settled(id);
    const [record] = await recordsOf(id);
    const scope = (await h.scopeClient
      .fetchNodes([{ id, kind: 'ScenarioSession' }])
      .then((r) => r.get(id))) as { node: { state: string } };
    assert.equal(record?.State__c, scope.node.state, "Scope's state, fetched");
    assert.notEqual(record?.State__c, 'from-the-payload');
  });
});

// Session steps through both sandboxes: a technician runs a scenario, Scope's webhooks reach a real
// connector process, and Salesforce ends with one Scope_AR_Session_Step__c per viewed step under the
// session (Master-Detail), its photos counted; the step still open gets its Completed_At__c later on the
// same record; duplicates and replays (same and fresh delivery ids) never add a record; a step whose
// write Salesforce refuses does not stop the session and is healed by the session's next write.
import { sameSalesforceDateTime } from '../../../connector/src/salesforce/date-time.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import { eventually } from '../../support/wait-for.ts';
import { startReplica } from '../../support/replicas/replica-process.ts';
import { freshConnector } from './support/fresh-connector.ts';
import { json, sessionsOf, startE2eWorld } from './support/e2e-world.ts';
import type { E2eWorld, SalesforceRow } from './support/e2e-world.ts';
import { loadDeeplinks } from './support/lwc-deeplinks.ts';
import type { WorklinkDeeplinks } from './support/lwc-deeplinks.ts';
import {
  postDelivery,
  processedCount,
  waitForWorker
} from './support/replay.ts';
import { subscribeTopics } from './support/subscribe.ts';

const DEADLINE_MS = 120_000;
const TOPICS = [
  'scenario_session/created',
  'scenario_session/updated',
  'scenario_session/completed'
];

let postgres: TestPostgres;
let world: E2eWorld;
let links: WorklinkDeeplinks;

before(async () => {
  [postgres, world, links] = await Promise.all([
    startTestPostgres(),
    startE2eWorld({
      scope: { seed: { historicalSessions: 0, historicalCalls: 0, seed: 11 } }
    }),
    loadDeeplinks()
  ]);
});
after(async () => {
  await world?.close();
  await postgres?.stop();
});

interface ScopeStep {
  id: string;
  viewedAt: string;
  scenarioStep: {
    id: string;
    name: string;
    orderIndex: number;
    scenarioSequence: { name: string };
  };
}

/** Scope's own view of the session's steps (the sandbox's control plane, outside any fault). */
async function scopeSteps(id: string): Promise<{
  state: string;
  steps: ScopeStep[];
  completed: Set<string>;
  photos: Map<string, number>;
}> {
  const body = await json<{ data: { node: Record<string, unknown> } }>(
    `${world.scope.url}/sandbox/graphql`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($id: ID!) { node(id: $id) { ... on ScenarioSession {
          state
          steps(first: 100) { nodes { id viewedAt scenarioStep { id name orderIndex scenarioSequence { name } } } }
          completedSteps(first: 100) { nodes { scenarioStep { id } } }
          events(first: 100, valueTypes: [PHOTO]) { nodes { scenarioSessionStep { scenarioStep { id } } } } } } }`,
        variables: { id }
      })
    }
  );
  const node = body.data.node as {
    state: string;
    steps: { nodes: ScopeStep[] };
    completedSteps: { nodes: { scenarioStep: { id: string } }[] };
    events: {
      nodes: { scenarioSessionStep: { scenarioStep: { id: string } } }[];
    };
  };
  const photos = new Map<string, number>();
  for (const e of node.events.nodes) {
    const step = e.scenarioSessionStep.scenarioStep.id;
    photos.set(step, (photos.get(step) ?? 0) + 1);
  }
  return {
    state: node.state,
    steps: node.steps.nodes,
    completed: new Set(node.completedSteps.nodes.map((n) => n.scenarioStep.id)),
    photos
  };
}

async function stepRows(): Promise<SalesforceRow[]> {
  return world.sfRecords('Scope_AR_Session_Step__c');
}

/** What is wrong with Salesforce's steps of the session against Scope's, [] when nothing. */
async function stepProblems(scopeId: string): Promise<string[]> {
  const [session] = await sessionsOf(world, scopeId);
  if (!session) return ['no session record'];
  const truth = await scopeSteps(scopeId);
  const rows = (await stepRows()).filter(
    (r) => r.Scope_AR_Session__c === session.Id
  );
  const problems: string[] = [];
  if (rows.length !== truth.steps.length)
    problems.push(
      `${rows.length} step records, Scope has ${truth.steps.length}`
    );
  for (const step of truth.steps) {
    const key = `${scopeId}|${step.scenarioStep.id}`;
    const found = rows.filter((r) => r.Step_Key__c === key);
    if (found.length !== 1) {
      problems.push(`${key}: ${found.length} records`);
      continue;
    }
    const row = found[0] as SalesforceRow;
    const completed = truth.completed.has(step.scenarioStep.id);
    if (row.Step_Name__c !== step.scenarioStep.name)
      problems.push(`${key}: name ${String(row.Step_Name__c)}`);
    if (row.Step_Order__c !== step.scenarioStep.orderIndex)
      problems.push(`${key}: order ${String(row.Step_Order__c)}`);
    if (row.Sequence_Name__c !== step.scenarioStep.scenarioSequence.name)
      problems.push(`${key}: sequence ${String(row.Sequence_Name__c)}`);
    // Salesforce keeps dateTime fields to the second
    if (!sameSalesforceDateTime(String(row.Viewed_At__c), step.viewedAt))
      problems.push(`${key}: viewed ${String(row.Viewed_At__c)}`);
    if (completed !== (row.Completed_At__c !== null))
      problems.push(`${key}: completed ${String(row.Completed_At__c)}`);
    if (row.Photos__c !== (truth.photos.get(step.scenarioStep.id) ?? 0))
      problems.push(`${key}: photos ${String(row.Photos__c)}`);
  }
  return problems;
}

async function waitForSteps(scopeId: string, what: string): Promise<void> {
  await eventually(
    what,
    async () => {
      const problems = await stepProblems(scopeId);
      return { done: problems.length === 0, value: problems };
    },
    { timeoutMs: DEADLINE_MS, intervalMs: 250 }
  );
}

/** Opens the work order's launch link as the WorkLink app does; the session id. */
async function launch(number: string, asset: string): Promise<string> {
  const wo = await world.workOrder(number);
  const link = links.buildLaunchLink({
    assetId: asset,
    workOrderId: wo.Id,
    workOrderNumber: number,
    caseId: wo.CaseId as string | null
  });
  return (await world.open(link as string)).id;
}

async function advance(steps: number): Promise<void> {
  await json(`${world.scope.url}/sandbox/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ steps })
  });
}

describe('session steps through both sandboxes', { timeout: 400_000 }, () => {
  it('writes the viewed steps, completes the open one later on the same record, and survives duplicates and replays', async () => {
    const connector = await freshConnector(world, postgres, 'steps');
    try {
      await subscribeTopics(
        world.scope.url,
        `${connector.url}/webhooks/scope`,
        TOPICS
      );
      await world.scopeFaults({ duplicateRate: 0.5, reorder: true });
      const id = await launch('00000101', 'PUMP-100');
      await advance(3);
      const running = await scopeSteps(id);
      assert.equal(
        running.state,
        'IN_PROGRESS',
        'the session is still running'
      );
      assert.ok(running.steps.length >= 2, 'the technician viewed steps');
      await waitForSteps(id, 'the running session steps in Salesforce');
      const [session] = await sessionsOf(world, id);
      const open = (await stepRows()).filter(
        (r) =>
          r.Scope_AR_Session__c === session?.Id && r.Completed_At__c === null
      );
      assert.equal(
        open.length,
        1,
        'exactly the step still open has no completion'
      );
      const openRow = open[0] as SalesforceRow;

      await world.runToCompletion();
      await waitForSteps(id, 'the completed session steps in Salesforce');
      const afterCompletion = await stepRows();
      const reopened = afterCompletion.find((r) => r.Id === openRow.Id);
      assert.ok(reopened, 'the open step kept its record');
      assert.notEqual(reopened.Completed_At__c, null, 'and is completed now');
      assert.equal(
        afterCompletion.filter((r) => r.Step_Key__c === openRow.Step_Key__c)
          .length,
        1
      );
      const photos = afterCompletion.reduce(
        (n, r) => n + Number(r.Photos__c),
        0
      );
      assert.ok(photos > 0, 'photo events were counted on their steps');

      const { deliveries } = await world.scopeDeliveries();
      assert.ok(
        deliveries.some((d) => d.duplicate),
        'Scope sent duplicates'
      );
      await world.clearSfRequests();
      for (const freshId of [false, true]) {
        const processed = await processedCount(connector.url);
        for (const delivery of [...deliveries].reverse())
          assert.ok(
            [200, 202].includes(
              await postDelivery(connector.url, delivery, { freshId })
            )
          );
        if (freshId)
          await waitForWorker(connector.url, processed + 1, DEADLINE_MS);
      }
      // A Composite call (SF_COMPOSITE) is one entry listing its subrequests' paths.
      const paths = (await world.sfRequests()).flatMap((r) =>
        r.subrequests ? r.subrequests.map((s) => s.path) : [r.path]
      );
      assert.ok(
        paths.some((p) =>
          p.includes('/composite/sobjects/Scope_AR_Session__c/')
        ),
        'the replayed deliveries rewrote the session'
      );
      assert.ok(
        !paths.some((p) => p.includes('Scope_AR_Session_Step__c')),
        'its unchanged step list was not sent again'
      );
      assert.deepEqual(await stepProblems(id), []);
      const ids = (rows: SalesforceRow[]) => rows.map((r) => r.Id).sort();
      assert.deepEqual(
        ids(await stepRows()),
        ids(afterCompletion),
        'replays rewrote the same step records, none added'
      );
    } finally {
      await world.scopeFaults({ duplicateRate: 0, reorder: false });
      await connector.stop();
    }
  });

  it('a step Salesforce refuses does not stop its session, and the next write heals it', async () => {
    const connector = await freshConnector(world, postgres, 'steps-heal');
    try {
      await subscribeTopics(
        world.scope.url,
        `${connector.url}/webhooks/scope`,
        TOPICS
      );
      const id = await launch('00000102', 'HVAC-7');
      await advance(1);
      await waitForSteps(id, 'the first step in Salesforce');
      const [firstRow] = await stepRows();
      assert.ok(firstRow && firstRow.Completed_At__c === null);
      const lockedKey = String(firstRow.Step_Key__c);
      // Every write of that one step now fails with UNABLE_TO_LOCK_ROW, both attempts of each batch.
      await world.sfFaults({ lockRowIds: [lockedKey] });
      await advance(2);
      await eventually(
        'the session and its later steps written, the locked step left as it was',
        async () => {
          const [session] = await sessionsOf(world, id);
          const truth = await scopeSteps(id);
          const problems = await stepProblems(id);
          return {
            done:
              session?.Steps_Viewed__c === truth.steps.length &&
              problems.length === 1 &&
              problems[0] === `${lockedKey}: completed null`,
            value: { viewed: session?.Steps_Viewed__c, problems }
          };
        },
        { timeoutMs: DEADLINE_MS, intervalMs: 250 }
      );
      await world.sfFaults({ lockRowIds: [] });
      await world.runToCompletion();
      await waitForSteps(id, 'every step once the lock is gone');
    } finally {
      await world.sfFaults({ lockRowIds: [] });
      await connector.stop();
    }
  });

  it('SYNC_STEPS=false writes the session and its counters, no steps', async () => {
    await json(`${world.scope.url}/sandbox/reset`, { method: 'POST' });
    await json(`${world.salesforce.url}/sandbox/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    });
    const connector = await startReplica(
      'steps-off',
      world.env({
        DATABASE_URL: await postgres.createDatabase(),
        SYNC_STEPS: 'false'
      })
    );
    try {
      await subscribeTopics(
        world.scope.url,
        `${connector.url}/webhooks/scope`,
        TOPICS
      );
      const id = await launch('00000103', 'GEN-3000');
      await world.runToCompletion();
      const truth = await scopeSteps(id);
      await eventually(
        'the completed session in Salesforce',
        async () => {
          const [session] = await sessionsOf(world, id);
          return {
            done: session?.Steps_Viewed__c === truth.steps.length,
            value: session?.Steps_Viewed__c
          };
        },
        { timeoutMs: DEADLINE_MS, intervalMs: 250 }
      );
      assert.ok(truth.steps.length > 0);
      assert.deepEqual(await stepRows(), []);
    } finally {
      await connector.stop();
    }
  });
});

// The Call type and calls root are undocumented: the connector takes them from SCOPE_CALL_TYPE /
// SCOPE_CALLS_FIELD or finds them by one introspection, disables calls with a warning when there are
// none, and `doctor` reports what it found — all against the Scope sandbox with the type renamed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startScopeSandbox } from '../../../sandboxes/scope/index.ts';
import type {
  ScopeSandbox,
  ScopeSandboxOptions
} from '../../../sandboxes/scope/index.ts';
import { runCli } from '../../../connector/src/cli.ts';
import { loadConfig } from '../../../connector/src/config.ts';
import {
  formatDoctorChecks,
  runDoctor
} from '../../../connector/src/runtime/admin-commands.ts';
import { scopeDoctorChecks } from '../../../connector/src/runtime/scope-doctor.ts';
import { createScopeClient } from '../../../connector/src/scope/index.ts';
import type { ScopeClientOptions } from '../../../connector/src/scope/index.ts';
import { subscriptionQueryProblems } from '../../../connector/src/scope/subscription-query-rule.ts';

const TOKEN = 'sandbox-company-token';
const RENAMED = {
  callTypeName: 'RemoteAssistanceCall',
  callsRootField: 'remoteAssistanceCalls'
};

const sandboxes: ScopeSandbox[] = [];
async function sandbox(schema: ScopeSandboxOptions['schema'] = {}) {
  const started = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    seed: { historicalSessions: 2, historicalCalls: 3 },
    schema
  });
  sandboxes.push(started);
  return started;
}
after(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

function client(scope: ScopeSandbox, extra: Partial<ScopeClientOptions> = {}) {
  const warnings: string[] = [];
  const scopeClient = createScopeClient({
    baseUrl: scope.url,
    auth: { kind: 'token', token: TOKEN, scheme: 'token' },
    permalink: 'sandbox',
    logger: {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (fields: unknown, message?: string) => {
        warnings.push(`${message ?? ''} ${JSON.stringify(fields)}`);
      }
    } as never,
    ...extra
  });
  return { scopeClient, warnings };
}

async function introspections(scope: ScopeSandbox): Promise<number> {
  const stats = (await fetch(`${scope.url}/sandbox/stats`).then((r) =>
    r.json()
  )) as { operations: Record<string, number> };
  return stats.operations.WorkLinkOptionalFields ?? 0;
}

describe('the Call type, configured or discovered', () => {
  let renamed: ScopeSandbox;
  before(async () => {
    renamed = await sandbox(RENAMED);
  });

  it('discovers a renamed Call type and its root with one introspection, then fetches and pages calls', async () => {
    const { scopeClient } = client(renamed);
    const call = await renamed.open(
      'worklink://resource?action=fetch_user&user=501&work_order_number=00000101'
    );
    const results = await scopeClient.fetchNodes([
      { id: call.id, kind: 'Call' }
    ]);
    const fetched = results.get(call.id);
    assert.equal(fetched?.status, 'found');
    assert.equal(
      fetched?.status === 'found' ? fetched.node.__typename : null,
      'RemoteAssistanceCall'
    );
    const page = await scopeClient.pageCalls({ first: 10 });
    assert.equal(page.nodes.length, 4, 'three seeded calls and the new one');
    const schema = await scopeClient.callSchema();
    assert.deepEqual(
      [schema.typeName, schema.typeSource, schema.rootField, schema.rootSource],
      [
        'RemoteAssistanceCall',
        'discovered',
        'remoteAssistanceCalls',
        'discovered'
      ]
    );
    assert.equal(await introspections(renamed), 1);
  });

  it('uses SCOPE_CALL_TYPE / SCOPE_CALLS_FIELD when they are set', async () => {
    const config = loadConfig({
      SCOPE_CALL_TYPE: 'RemoteAssistanceCall',
      SCOPE_CALLS_FIELD: 'remoteAssistanceCalls'
    });
    const { scopeClient } = client(renamed, {
      callTypeName: config.scope.callType,
      callsRootField: config.scope.callsField
    });
    const page = await scopeClient.pageCalls({ first: 2 });
    assert.equal(page.nodes.length, 2);
    assert.equal(page.nodes[0]?.__typename, 'RemoteAssistanceCall');
    const schema = await scopeClient.callSchema();
    assert.deepEqual(
      [schema.typeSource, schema.rootSource],
      ['configured', 'configured']
    );
  });

  it('disables calls with a clear warning when no Call type is found, and keeps sessions working', async () => {
    const odd = await sandbox({
      callTypeName: 'ExpertConnection',
      callsRootField: 'expertConnections'
    });
    const { scopeClient, warnings } = client(odd);
    const session = await odd.open(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100'
    );
    const call = await odd.open(
      'worklink://resource?action=fetch_user&user=501'
    );
    const results = await scopeClient.fetchNodes([
      { id: session.id, kind: 'ScenarioSession' },
      { id: call.id, kind: 'Call' }
    ]);
    assert.equal(results.get(session.id)?.status, 'found');
    const failed = results.get(call.id);
    assert.equal(failed?.status, 'failed');
    assert.match(
      failed?.status === 'failed' ? failed.error.message : '',
      /calls are disabled: no Call type .*set SCOPE_CALL_TYPE/
    );
    await assert.rejects(
      scopeClient.pageCalls({ first: 1 }),
      /calls are disabled/
    );
    assert.ok(
      warnings.some((w) => /no Call type/.test(w)),
      `warned: ${warnings.join(' | ')}`
    );
  });

  it('reports a configured Call type the tenant lacks', async () => {
    const { scopeClient } = client(renamed, { callTypeName: 'Call' });
    const schema = await scopeClient.callSchema();
    assert.equal(schema.typeName, null);
    assert.match(schema.problems.join(), /SCOPE_CALL_TYPE=Call is not a type/);
  });
});

describe('connector doctor: the Scope schema check', () => {
  it('names the Call type it found, the date filters, and flags a subscription whose query lacks __typename', async () => {
    const scope = await sandbox({ ...RENAMED, updatedSinceFilter: true });
    const subscribe = (query: string | null) =>
      fetch(`${scope.url}/api/v3/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Token token=${TOKEN}`
        },
        body: JSON.stringify({
          query:
            'mutation ($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { errors { message } webhookSubscription { id } } }',
          variables: {
            input: {
              webhookSubscription: {
                topic: { key: 'scenario_session/completed' },
                callbackUrl: 'https://connector.example/webhooks/scope',
                sharedSecret: 's3cret',
                query
              }
            }
          }
        })
      }).then(
        async (r) =>
          (
            (await r.json()) as {
              data: {
                createWebhookSubscription: {
                  webhookSubscription: { id: string };
                };
              };
            }
          ).data.createWebhookSubscription.webhookSubscription.id
      );
    await subscribe(null);
    await subscribe(
      'query ($nodeId: ID!) { node(id: $nodeId) { __typename id ... on ScenarioSession { state } } }'
    );
    const bad = await subscribe(
      'query ($nodeId: ID!) { node(id: $nodeId) { ... on ScenarioSession { id state externalData } } }'
    );
    const { scopeClient } = client(scope);
    const checks = await runDoctor({
      config: loadConfig({ SCOPE_API_TOKEN: TOKEN, SCOPE_BASE_URL: scope.url }),
      scope: () => scopeClient.ping(),
      scopeSchema: () => scopeDoctorChecks(scopeClient)
    });
    const output = formatDoctorChecks(checks).join('\n');
    assert.match(output, /✓ scope: authenticated as Sandbox Admin/);
    assert.match(output, /✓ scope schema: every selected field exists/);
    assert.match(
      output,
      /✓ scope call type: Call type RemoteAssistanceCall \(discovered\), root field remoteAssistanceCalls \(discovered\)/
    );
    assert.match(
      output,
      /✓ scope date filters: scenarioSessions: updatedSince; remoteAssistanceCalls: updatedSince/
    );
    const line =
      output
        .split('\n')
        .find((l) => l.includes('scope webhook subscriptions')) ?? '';
    assert.match(line, /^✗/);
    assert.ok(line.includes(bad), `names the bad subscription: ${line}`);
    assert.match(line, /selects no __typename/);
    assert.equal(
      (line.match(/selects no/g) ?? []).length,
      1,
      'only the one bad subscription is flagged'
    );
  });

  it('reads every schema check from the client’s one introspection', async () => {
    const scope = await sandbox({ ...RENAMED, updatedSinceFilter: true });
    const { scopeClient } = client(scope);
    const first = await scopeDoctorChecks(scopeClient);
    const second = await scopeDoctorChecks(scopeClient);
    assert.deepEqual(
      second.map((c) => [c.name, c.ok, c.detail]),
      first.map((c) => [c.name, c.ok, c.detail])
    );
    assert.ok(
      first.every((c) => c.ok),
      JSON.stringify(first)
    );
    const stats = (await fetch(`${scope.url}/sandbox/stats`).then((r) =>
      r.json()
    )) as { graphqlRequests: number; operations: Record<string, number> };
    assert.equal(stats.operations.WorkLinkOptionalFields, 1);
    assert.equal(
      stats.graphqlRequests,
      3,
      'one introspection, then one subscription listing per run'
    );
  });

  it('`connector doctor` prints the Scope checks, also when Salesforce is not configured', async () => {
    const scope = await sandbox(RENAMED);
    const lines: string[] = [];
    const code = await runCli(['doctor'], {
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
      env: {
        SCOPE_API_TOKEN: TOKEN,
        SCOPE_BASE_URL: scope.url,
        // Nothing listens on port 1: the database check fails at once, the others still run.
        DATABASE_URL: 'postgres://doctor:x@127.0.0.1:1/none'
      }
    });
    assert.equal(code, 1);
    const output = lines.join('\n');
    assert.match(output, /✓ scope: authenticated/);
    assert.match(
      output,
      /✓ scope call type: Call type RemoteAssistanceCall \(discovered\)/
    );
    assert.match(output, /✗ salesforce: not configured/);
  });

  it('holds custom queries to the id and __typename rule through fragments', () => {
    assert.deepEqual(
      subscriptionQueryProblems(
        'query ($nodeId: ID!) { node(id: $nodeId) { ...F } } fragment F on Node { __typename id }'
      ),
      []
    );
    assert.deepEqual(subscriptionQueryProblems('query { viewer { name } }'), [
      'selects no node(id: $nodeId)'
    ]);
    assert.deepEqual(
      subscriptionQueryProblems(
        'query ($nodeId: ID!) { node(id: $nodeId) { ... on ScenarioSession { state } } }'
      ),
      ['selects no id', 'selects no __typename']
    );
    assert.match(
      subscriptionQueryProblems('query {')[0] ?? '',
      /does not parse/
    );
  });
});

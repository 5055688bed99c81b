import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import {
  buildNodeQuery,
  createScopeClient,
  maxNodesPerRequest,
  ScopeApiError
} from '../../../connector/src/scope/index.ts';
import { DEFAULT_SELECTIONS } from '../../../connector/src/scope/scope-client.ts';
import { startLocalServer } from './helpers/local-server.ts';
import type {
  LocalServer,
  RecordedRequest,
  Reply
} from './helpers/local-server.ts';
import { sessionNode } from './helpers/fixtures.ts';

interface GraphQLBody {
  query: string;
  variables: Record<string, string>;
  permalink?: string;
}

/** Answers aliased node queries from a map: id → node | 'forbidden' | absent (null). */
function nodeServer(
  nodes: Record<string, Record<string, unknown> | 'forbidden'>,
  before?: (r: RecordedRequest) => Reply | undefined
) {
  return startLocalServer((request) => {
    const early = before?.(request);
    if (early) return early;
    const body = JSON.parse(request.body) as GraphQLBody;
    const operation = parse(body.query)
      .definitions[0] as OperationDefinitionNode;
    const data: Record<string, unknown> = {};
    const errors: unknown[] = [];
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== 'Field') continue;
      const alias = selection.alias?.value ?? selection.name.value;
      if (selection.name.value === 'viewer') {
        data[alias] = { name: 'Sandbox Admin' };
        continue;
      }
      const arg = selection.arguments?.[0]?.value;
      const id =
        arg?.kind === 'Variable' ? body.variables[arg.name.value] : undefined;
      const node = id === undefined ? undefined : nodes[id];
      if (node === 'forbidden') {
        data[alias] = null;
        errors.push({
          message: 'Not authorized to read object',
          path: [alias]
        });
      } else {
        data[alias] = node ?? null;
      }
    }
    return { body: errors.length ? { data, errors } : { data } };
  });
}

const servers: LocalServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

describe('buildNodeQuery', () => {
  it('aliases one node field per id and passes ids as variables', () => {
    const hostile = 'x") { id } evil: node(id: "y';
    const { query, variables, aliases } = buildNodeQuery(
      ['a', hostile],
      DEFAULT_SELECTIONS.ScenarioSession
    );
    assert.deepEqual(aliases, ['n0', 'n1']);
    assert.deepEqual(variables, { id0: 'a', id1: hostile });
    assert.ok(!query.includes(hostile));
    const operation = parse(query).definitions[0] as OperationDefinitionNode;
    assert.equal(operation.selectionSet.selections.length, 2);
  });
  it('keeps a request within the 500,000-node limit', () => {
    assert.equal(
      maxNodesPerRequest(50, {
        typeName: 'T',
        selection: 'id',
        nestedNodes: 2
      }),
      50
    );
    assert.equal(
      maxNodesPerRequest(1000, {
        typeName: 'T',
        selection: 'id',
        nestedNodes: 9999
      }),
      50
    );
  });
});

/** A client of the local server with a plain token and nothing else configured. */
function tokenClient(baseUrl: string): ReturnType<typeof createScopeClient> {
  return createScopeClient({
    baseUrl,
    auth: { kind: 'token', token: 't', scheme: 'token' }
  });
}

describe('createScopeClient', () => {
  it('fetches nodes in batches with the token scheme, permalink and access code', async () => {
    const nodes: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < 5; i++) nodes[`s${i}`] = sessionNode({ id: `s${i}` });
    const server = await nodeServer(nodes);
    servers.push(server);
    const calls: [string, string, number | 'network'][] = [];
    const client = createScopeClient({
      baseUrl: server.url,
      auth: { kind: 'token', token: 'sandbox-company-token', scheme: 'token' },
      permalink: 'sandbox',
      privateAccessCode: 'beta',
      fetchBatchSize: 2,
      metrics: { apiCall: (...args) => calls.push(args) }
    });
    const results = await client.fetchNodes(
      ['s0', 's1', 's2', 's3', 's4', 's0'].map((id) => ({
        id,
        kind: 'ScenarioSession' as const
      }))
    );
    const [introspection, ...fetches] = server.requests;
    assert.match(
      introspection?.body ?? '',
      /WorkLinkOptionalFields/,
      'one introspection before the first fetch'
    );
    assert.equal(fetches.length, 3, 'ceil(5 / 2) requests');
    assert.equal(calls.length, 4);
    await client.fetchNodes([{ id: 's0', kind: 'ScenarioSession' }]);
    assert.equal(server.requests.length, 5, 'no second introspection');
    for (const request of server.requests) {
      assert.equal(request.url, '/api/v3/graphql');
      assert.equal(
        request.headers.authorization,
        'Token token=sandbox-company-token'
      );
      assert.equal(request.headers.privateaccesscode, 'Token token=beta');
      assert.equal(
        (JSON.parse(request.body) as GraphQLBody).permalink,
        'sandbox'
      );
    }
    assert.equal(results.size, 5);
    const first = results.get('s3');
    assert.equal(first?.status, 'found');
    assert.equal(first?.status === 'found' ? first.node.id : undefined, 's3');
  });

  it('tells found, not found and not authorized apart, and the permalink can go in the query string', async () => {
    const server = await nodeServer({
      ok: sessionNode({ id: 'ok' }),
      foreign: 'forbidden'
    });
    servers.push(server);
    const client = createScopeClient({
      baseUrl: server.url,
      auth: { kind: 'token', token: 't', scheme: 'bearer' },
      permalink: 'sandbox',
      permalinkIn: 'query'
    });
    const results = await client.fetchNodes([
      { id: 'ok', kind: 'ScenarioSession' },
      { id: 'missing', kind: 'ScenarioSession' },
      { id: 'foreign', kind: 'ScenarioSession' }
    ]);
    assert.equal(results.get('ok')?.status, 'found');
    assert.equal(results.get('missing')?.status, 'not-found');
    assert.deepEqual(results.get('foreign'), {
      status: 'forbidden',
      reason: 'Not authorized to read object'
    });
    assert.equal(server.requests[0]?.url, '/api/v3/graphql?permalink=sandbox');
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer t');
  });

  it('selects updatedAt only when the schema has it', async () => {
    const server = await startLocalServer((request) => {
      const body = JSON.parse(request.body) as GraphQLBody;
      if (body.query.includes('WorkLinkOptionalFields')) {
        return {
          body: {
            data: {
              t0: { fields: [{ name: 'id' }, { name: 'updatedAt' }] },
              t1: { fields: [{ name: 'id' }] }
            }
          }
        };
      }
      return {
        body: {
          data: {
            n0: sessionNode({ id: 'a', updatedAt: '2025-01-10T09:30:00Z' })
          }
        }
      };
    });
    servers.push(server);
    const client = tokenClient(server.url);
    await client.fetchNodes([{ id: 'a', kind: 'ScenarioSession' }]);
    const selections = await client.currentSelections();
    assert.match(selections.ScenarioSession.selection, /\bupdatedAt\b/);
    assert.doesNotMatch(selections.Call.selection, /\bupdatedAt\b/);
    assert.match(
      (JSON.parse(server.requests[1]?.body ?? '{}') as GraphQLBody).query,
      /updatedAt/
    );
  });

  it('reports a node of another type as wrong-type', async () => {
    const server = await nodeServer({ c: { __typename: 'Call' } });
    servers.push(server);
    const client = tokenClient(server.url);
    const results = await client.fetchNodes([
      { id: 'c', kind: 'ScenarioSession' }
    ]);
    assert.deepEqual(results.get('c'), {
      status: 'wrong-type',
      typename: 'Call'
    });
  });

  it('turns 429 and 500 into ScopeApiError results with status and Retry-After', async () => {
    let status = 429;
    const server = await nodeServer({}, () => ({
      status,
      headers: { 'retry-after': '7' },
      body: { error: 'slow down' }
    }));
    servers.push(server);
    const client = tokenClient(server.url);
    let result = (
      await client.fetchNodes([{ id: 'a', kind: 'ScenarioSession' }])
    ).get('a');
    assert.equal(result?.status, 'failed');
    assert.ok(
      result?.status === 'failed' &&
        result.error.status === 429 &&
        result.error.retryAfterSeconds === 7
    );
    status = 500;
    result = (
      await client.fetchNodes([{ id: 'a', kind: 'ScenarioSession' }])
    ).get('a');
    assert.ok(
      result?.status === 'failed' &&
        result.error.status === 500 &&
        result.error.kind === 'http'
    );
  });

  it('signs in, and signs in again once on 401', async () => {
    let validToken = 'first';
    let signIns = 0;
    const server = await nodeServer(
      { a: sessionNode({ id: 'a' }) },
      (request) => {
        if (request.url === '/api/v2/users/sign_in.json') {
          signIns += 1;
          const body = JSON.parse(request.body) as {
            user: { username: string; password: string };
          };
          if (body.user.password !== 'worklink-sandbox')
            return { status: 401, body: { error: 'Invalid' } };
          return {
            body: { id: 1, email: body.user.username, auth_token: validToken }
          };
        }
        if (request.headers.authorization !== `Bearer token=${validToken}`)
          return { status: 401, body: { error: 'expired' } };
        return undefined;
      }
    );
    servers.push(server);
    const client = createScopeClient({
      baseUrl: server.url,
      auth: {
        kind: 'sign-in',
        baseUrl: server.url,
        email: 'admin@sandbox.scopear.test',
        password: 'worklink-sandbox'
      }
    });
    assert.equal(
      (await client.fetchNodes([{ id: 'a', kind: 'ScenarioSession' }])).get('a')
        ?.status,
      'found'
    );
    assert.equal(signIns, 1);
    validToken = 'second'; // the session token expired server-side
    assert.equal(
      (await client.fetchNodes([{ id: 'a', kind: 'ScenarioSession' }])).get('a')
        ?.status,
      'found'
    );
    assert.equal(signIns, 2);
    assert.deepEqual(await client.ping(), { viewerName: 'Sandbox Admin' });
    assert.equal(signIns, 2, 'the fresh token is reused');
  });

  it('does not loop on 401 with a fixed token', async () => {
    const server = await nodeServer({}, () => ({
      status: 401,
      body: { error: 'bad token' }
    }));
    servers.push(server);
    const client = tokenClient(server.url);
    await assert.rejects(
      client.ping(),
      (error: unknown) =>
        error instanceof ScopeApiError &&
        error.status === 401 &&
        error.kind === 'auth'
    );
    assert.equal(server.requests.length, 1);
  });

  it('reports a rejected query as a graphql error', async () => {
    const server = await startLocalServer(() => ({
      body: {
        errors: [{ message: "Field 'calee' doesn't exist on type 'Call'" }]
      }
    }));
    servers.push(server);
    const client = tokenClient(server.url);
    const result = (await client.fetchNodes([{ id: 'a', kind: 'Call' }])).get(
      'a'
    );
    assert.ok(
      result?.status === 'failed' &&
        result.error.kind === 'schema' &&
        /calee/.test(result.error.message)
    );
  });

  it('reports an internal GraphQL error (no data, support reference) as transient', async () => {
    const server = await startLocalServer(() => ({
      body: {
        errors: [
          {
            message:
              'Internal server error. Please contact support with reference 1A2B.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' }
          }
        ]
      }
    }));
    servers.push(server);
    const client = tokenClient(server.url);
    const result = (
      await client.fetchNodes([{ id: 'a', kind: 'ScenarioSession' }])
    ).get('a');
    assert.ok(result?.status === 'failed' && result.error.kind === 'graphql');
  });

  it('reports network failures', async () => {
    const server = await startLocalServer(() => ({}));
    await server.close();
    const client = tokenClient(server.url);
    const result = (
      await client.fetchNodes([{ id: 'a', kind: 'ScenarioSession' }])
    ).get('a');
    assert.ok(result?.status === 'failed' && result.error.kind === 'network');
  });

  it('pages scenario sessions with cursors', async () => {
    const server = await startLocalServer((request) => {
      const body = JSON.parse(request.body) as {
        variables: { first: number; after: string | null };
      };
      const after = body.variables.after;
      return {
        body: {
          data: {
            page: {
              nodes: [sessionNode({ id: after ? 'p2' : 'p1' })],
              pageInfo: { hasNextPage: !after, endCursor: after ? null : 'c1' }
            }
          }
        }
      };
    });
    servers.push(server);
    const client = createScopeClient({
      baseUrl: server.url,
      auth: { kind: 'token', token: 't', scheme: 'token' },
      detectOptionalFields: false
    });
    const first = await client.pageScenarioSessions({ first: 500 });
    assert.equal(first.nodes[0]?.id, 'p1');
    assert.equal(first.endCursor, 'c1');
    const second = await client.pageScenarioSessions({
      first: 25,
      after: first.endCursor
    });
    assert.equal(second.nodes[0]?.id, 'p2');
    assert.equal(second.hasNextPage, false);
    const sent = JSON.parse(server.requests[0]?.body ?? '{}') as {
      variables: { first: number };
      query: string;
    };
    assert.equal(sent.variables.first, 100, 'first is capped at 100');
    assert.match(
      sent.query,
      /scenarioSessions\(first: \$first, after: \$after\)/
    );
  });
});

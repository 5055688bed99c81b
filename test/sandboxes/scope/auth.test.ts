import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientError, GraphQLClient, gql } from 'graphql-request';
import {
  client,
  postJson,
  rawGraphql,
  waitFor,
  withSandbox,
  COMPANY_TOKEN
} from './helpers.ts';

// Reference §3.2 (sign-in, header forms, PrivateAccessCode, permalink) and §3.6 (authorization errors).

const VIEWER = gql`
  {
    viewer {
      name
      email
    }
  }
`;

describe('Scope sandbox authentication and authorization', () => {
  it('signs in with JSON and form bodies and the token works in every header form', async () => {
    await withSandbox({}, async (sandbox) => {
      const json = await postJson(`${sandbox.url}/api/v2/users/sign_in.json`, {
        user: {
          username: 'admin@sandbox.scopear.test',
          password: 'worklink-sandbox'
        }
      });
      assert.equal(json.status, 200);
      for (const key of [
        'id',
        'email',
        'name',
        'permalink',
        'username',
        'guest',
        'auth_token'
      ])
        assert.ok(key in json.body, key);
      assert.equal(json.body.permalink, 'sandbox');
      assert.match(String(json.body.auth_token), /^[\w-]+\.[\w-]+\.[\w-]+$/);

      const form = await fetch(`${sandbox.url}/api/v2/users/sign_in.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          'user[username]': 'admin@sandbox.scopear.test',
          'user[password]': 'worklink-sandbox'
        })
      });
      assert.equal(form.status, 200);
      const token = ((await form.json()) as { auth_token: string }).auth_token;

      for (const header of [
        `Token token=${token}`,
        `Bearer token=${token}`,
        `Bearer ${token}`,
        `Token token="${COMPANY_TOKEN}"`
      ]) {
        const data = await client(sandbox, header).request<{
          viewer: { name: string };
        }>(VIEWER);
        assert.equal(data.viewer.name, 'Sandbox Admin', header);
      }

      const wrong = await postJson(`${sandbox.url}/api/v2/users/sign_in.json`, {
        user: { username: 'admin@sandbox.scopear.test', password: 'nope' }
      });
      assert.equal(wrong.status, 401);
      assert.equal(sandbox.stats().signIns, 2);
    });
  });

  it('answers 401 without a token and when a sign-in token has expired', async () => {
    // long enough that the fresh token still works on a loaded machine, short enough to wait out
    await withSandbox({ tokenTtlSeconds: 4 }, async (sandbox) => {
      const none = await postJson(`${sandbox.url}/api/v3/graphql`, {
        query: '{ viewer { name } }'
      });
      assert.equal(none.status, 401);
      const graph = new GraphQLClient(`${sandbox.url}/api/v3/graphql`);
      await assert.rejects(
        graph.request(VIEWER),
        (error: unknown) =>
          error instanceof ClientError && error.response.status === 401
      );

      const signIn = await postJson(
        `${sandbox.url}/api/v2/users/sign_in.json`,
        {
          user: {
            username: 'admin@sandbox.scopear.test',
            password: 'worklink-sandbox'
          }
        }
      );
      const token = String(signIn.body.auth_token);
      const fresh = await postJson(
        `${sandbox.url}/api/v3/graphql`,
        { query: '{ viewer { name } }' },
        { Authorization: `Bearer token=${token}` }
      );
      assert.equal(fresh.status, 200);
      const expired = await waitFor(
        async () => {
          const response = await postJson(
            `${sandbox.url}/api/v3/graphql`,
            { query: '{ viewer { name } }' },
            { Authorization: `Bearer token=${token}` }
          );
          return response.status === 401 ? response : null;
        },
        'the token to expire',
        30_000
      );
      assert.match(String(expired.body.error), /expired/);
    });
  });

  it('honours permalink in the body or the query string and an optional PrivateAccessCode', async () => {
    await withSandbox(
      { privateAccessCode: 'YWRtaW4xMjU6c2VjcmV0MTI1' },
      async (sandbox) => {
        const headers = {
          Authorization: `Token token=${COMPANY_TOKEN}`,
          PrivateAccessCode: 'Token token=YWRtaW4xMjU6c2VjcmV0MTI1'
        };
        const ok = await postJson(
          `${sandbox.url}/api/v3/graphql`,
          { permalink: 'sandbox', query: '{ viewer { name } }' },
          headers
        );
        assert.equal(ok.status, 200);
        const noCode = await postJson(
          `${sandbox.url}/api/v3/graphql`,
          { query: '{ viewer { name } }' },
          { Authorization: headers.Authorization }
        );
        assert.equal(noCode.status, 401);
        const otherBody = await postJson(
          `${sandbox.url}/api/v3/graphql`,
          { permalink: 'othercorp', query: '{ viewer { name } }' },
          headers
        );
        assert.equal(otherBody.status, 403);
        const otherQuery = await postJson(
          `${sandbox.url}/api/v3/graphql/?permalink=othercorp`,
          { query: '{ viewer { name } }' },
          headers
        );
        assert.equal(otherQuery.status, 403);
      }
    );
  });

  it('a foreign node is null with "Not authorized to read object"; foreign list rows never appear', async () => {
    await withSandbox(
      { seed: { historicalSessions: 100 } },
      async (sandbox) => {
        const foreign = await sandbox.open(
          'worklink://resource?action=fetch_catalog&asset=OC-1',
          { company: 'othercorp' }
        );
        const own = await sandbox.open(
          'worklink://resource?action=fetch_catalog&asset=GEN-3000'
        );
        const query =
          'query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }';
        const result = await rawGraphql(sandbox, query, {
          a: own.id,
          b: foreign.id
        });
        assert.deepEqual(result.body.data, { a: { id: own.id }, b: null });
        const errors = result.body.errors as {
          message: string;
          path: string[];
        }[];
        assert.equal(errors.length, 1);
        assert.equal(errors[0]?.message, 'Not authorized to read object');
        assert.deepEqual(errors[0]?.path, ['b']);

        const unknown = await rawGraphql(
          sandbox,
          '{ node(id: "bm90LWEtbm9kZQ==") { id } }'
        );
        assert.deepEqual(unknown.body, { data: { node: null } });

        const list = await client(sandbox).request<{
          scenarioSessions: { nodes: { id: string }[] };
        }>(gql`
          {
            scenarioSessions(first: 100) {
              nodes {
                id
              }
            }
          }
        `);
        assert.ok(
          !list.scenarioSessions.nodes.some((node) => node.id === foreign.id)
        );
      }
    );
  });

  it('a group-restricted token gets short pages without errors (unauthorized rows dropped)', async () => {
    await withSandbox(
      { seed: { historicalSessions: 400 } },
      async (sandbox) => {
        const query = gql`
          {
            scenarioSessions(first: 100) {
              totalCount
              nodes {
                id
                user {
                  name
                }
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        `;
        type Result = {
          scenarioSessions: {
            totalCount: number;
            nodes: { user: { name: string } }[];
            pageInfo: { hasNextPage: boolean };
          };
        };
        const admin = await client(sandbox).request<Result>(query);
        const restricted = await client(
          sandbox,
          'Token token=sandbox-group-token'
        ).request<Result>(query);
        assert.equal(admin.scenarioSessions.nodes.length, 100);
        assert.ok(
          restricted.scenarioSessions.nodes.length < 100,
          'rows of other groups are dropped'
        );
        assert.ok(restricted.scenarioSessions.nodes.length > 0);
        assert.ok(
          restricted.scenarioSessions.nodes.every(
            (node) => node.user.name !== 'Maria Gonzalez'
          )
        );
        assert.equal(restricted.scenarioSessions.pageInfo.hasNextPage, true);
      }
    );
  });
});

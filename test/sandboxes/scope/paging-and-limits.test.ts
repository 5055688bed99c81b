import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gql } from 'graphql-request';
import { client, rawGraphql, withSandbox } from './helpers.ts';

// Reference §3.5: Relay cursors, first/last 1–100 required, at most 500,000 nodes per request.

type Page = {
  scenarioSessions: {
    totalCount: number;
    nodes: { id: string; databaseId: string }[];
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      endCursor: string | null;
      startCursor: string | null;
    };
  };
};

// The selection every paging query here asks of a scenarioSessions connection.
const PAGE_FIELDS = `
  totalCount
  nodes {
    id
    databaseId
  }
  pageInfo {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`;

const PAGE = gql`
  query Page($after: String) {
    scenarioSessions(first: 100, after: $after) {
      ${PAGE_FIELDS}
    }
  }
`;

function messages(body: Record<string, unknown>): string[] {
  return ((body.errors as { message: string }[] | undefined) ?? []).map(
    (error) => error.message
  );
}

describe('Scope sandbox paging and limits', () => {
  it('walks 10,000 sessions exactly once with cursor paging', async () => {
    await withSandbox(
      { seed: { historicalSessions: 10_400 } },
      async (sandbox) => {
        const graph = client(sandbox);
        const seen = new Set<string>();
        let after: string | null = null;
        let pages = 0;
        let total = -1;
        for (;;) {
          const data: Page = await graph.request<Page>(PAGE, { after });
          total = data.scenarioSessions.totalCount;
          for (const node of data.scenarioSessions.nodes) {
            assert.ok(
              !seen.has(node.id),
              `session ${node.databaseId} seen twice`
            );
            seen.add(node.id);
          }
          pages += 1;
          if (!data.scenarioSessions.pageInfo.hasNextPage) break;
          after = data.scenarioSessions.pageInfo.endCursor;
        }
        // Every 25th seeded session belongs to the other company: 10,400 − 416 = 9,984 plus none foreign.
        const expected = 10_400 - Math.floor(10_400 / 25);
        assert.equal(total, expected);
        assert.equal(seen.size, expected);
        assert.equal(pages, Math.ceil(expected / 100));
      }
    );
  });

  it('pages backwards with last/before and reports hasPreviousPage', async () => {
    await withSandbox(
      { seed: { historicalSessions: 120 } },
      async (sandbox) => {
        const data = await client(sandbox).request<Page>(gql`
          {
            scenarioSessions(last: 5) {
              ${PAGE_FIELDS}
            }
          }
        `);
        const ids = data.scenarioSessions.nodes.map((node) =>
          Number(node.databaseId)
        );
        assert.equal(ids.length, 5);
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b)
        );
        assert.equal(data.scenarioSessions.pageInfo.hasPreviousPage, true);
        assert.equal(data.scenarioSessions.pageInfo.hasNextPage, false);
        const before = await client(sandbox).request<Page>(
          gql`
            query Before($before: String) {
              scenarioSessions(last: 3, before: $before) {
                ${PAGE_FIELDS}
              }
            }
          `,
          { before: data.scenarioSessions.pageInfo.startCursor }
        );
        const previous = before.scenarioSessions.nodes.map((node) =>
          Number(node.databaseId)
        );
        assert.equal(previous.length, 3);
        assert.ok(Math.max(...previous) < Math.min(...ids));
      }
    );
  });

  it('without first or last, a connection gets the default page size, as Scope’s own clients expect', async () => {
    await withSandbox(
      { seed: { historicalSessions: 30 }, schema: { defaultPageSize: 25 } },
      async (sandbox) => {
        // The shape of the api-demo README query and the Google Sheets importer: no `first`.
        const data = await client(sandbox).request<{
          scenarioSessions: {
            nodes: { id: string }[];
            pageInfo: { hasNextPage: boolean };
          };
          webhookTopics: { nodes: { key: string }[] };
        }>(gql`
          {
            scenarioSessions {
              nodes {
                id
              }
              pageInfo {
                hasNextPage
              }
            }
            webhookTopics {
              nodes {
                key
              }
            }
          }
        `);
        assert.equal(data.scenarioSessions.nodes.length, 25);
        assert.equal(data.scenarioSessions.pageInfo.hasNextPage, true);
        assert.ok(data.webhookTopics.nodes.length > 0);
      }
    );
  });

  it('with requireFirstOrLast, demands first or last between 1 and 100 on every unbounded connection', async () => {
    await withSandbox(
      {
        seed: { historicalSessions: 10 },
        schema: { requireFirstOrLast: true }
      },
      async (sandbox) => {
        const missing = await rawGraphql(
          sandbox,
          '{ scenarioSessions { nodes { id } } }'
        );
        assert.equal(missing.status, 200);
        assert.equal(missing.body.data, undefined);
        assert.deepEqual(messages(missing.body), [
          'You must provide a `first` or `last` value to properly paginate the `scenarioSessions` connection.'
        ]);
        const tooMany = await rawGraphql(
          sandbox,
          'query($n: Int) { calls(first: $n) { nodes { id } } }',
          { n: 101 }
        );
        assert.deepEqual(messages(tooMany.body), [
          'Requesting 101 records on the `calls` connection exceeds the `first` limit of 100 records.'
        ]);
        const zero = await rawGraphql(
          sandbox,
          '{ scenarioSessions(last: 0) { nodes { id } } }'
        );
        assert.match(messages(zero.body)[0] ?? '', /between 1 and 100/);
      }
    );
  });

  it('rejects a request for more than 500,000 nodes before executing it', async () => {
    await withSandbox({ seed: { historicalSessions: 10 } }, async (sandbox) => {
      const query = `{
        viewer { organization {
          groups(first: 100) { nodes { members(first: 100) { nodes { id } } } }
          scenarioSessions(first: 100) { nodes { events(first: 100) { nodes { id } } } }
        } }
        scenarioSessions(first: 50) { nodes { steps(first: 100) { nodes { id } } } }
      }`;
      // 100 + 100·100 + 100 + 100·100 + 50 + 50·100 = 25,250 nodes: allowed.
      const allowed = await rawGraphql(sandbox, query);
      assert.deepEqual(messages(allowed.body), []);
      const fragmentOver = await rawGraphql(
        sandbox,
        `query { viewer { organization { members(first: 100) { nodes { ...Deep } } } } }
         fragment Deep on User { organization { groups(first: 100) { nodes { members(first: 60) { nodes { id } } } } } }`
      );
      // 100 + 100·100 + 100·100·60 = 610,100 nodes, counted through the fragment spread.
      assert.deepEqual(messages(fragmentOver.body), [
        'This query requests up to 610,100 nodes which exceeds the maximum allowed of 500,000.'
      ]);
      const stats = sandbox.stats();
      assert.equal(stats.rejected.limits, 1);
    });
  });

  it('answers syntax and validation errors in the GraphQL errors array', async () => {
    await withSandbox({}, async (sandbox) => {
      const invalid = await rawGraphql(sandbox, '{ viewer }');
      assert.match(
        messages(invalid.body)[0] ?? '',
        /must have a selection of subfields/
      );
      const syntax = await rawGraphql(sandbox, '{ viewer { name ');
      assert.match(messages(syntax.body)[0] ?? '', /Syntax Error/);
    });
  });
});

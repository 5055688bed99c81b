import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gql } from 'graphql-request';
import {
  decodeNodeId,
  encodeNodeId,
  toUrlSafe
} from '../../../connector/sandbox/scope/node-id.ts';
import { client, withSandbox } from './helpers.ts';

// Deterministic seeding, large seeds without big memory, and node ids in both documented alphabets.

const SAMPLE = gql`
  {
    scenarioSessions(first: 20) {
      totalCount
      nodes {
        id
        startedAt
        state
        externalData
        scenarioRelease {
          scenario {
            name
          }
        }
      }
    }
    calls(first: 5) {
      totalCount
      nodes {
        id
        state
        externalData
      }
    }
  }
`;

describe('Scope sandbox seed data', () => {
  it('the same seed gives the same data; another seed gives other data', async () => {
    const sample = async (seed: number) => {
      let result: unknown;
      await withSandbox(
        { seed: { historicalSessions: 500, historicalCalls: 100, seed } },
        async (sandbox) => {
          result = await client(sandbox).request(SAMPLE);
        }
      );
      return result;
    };
    const a = await sample(7);
    assert.deepEqual(await sample(7), a);
    assert.notDeepEqual(await sample(8), a);
  });

  it('seeds work-order external data with Salesforce numbers and numbers Salesforce does not have', async () => {
    await withSandbox(
      { seed: { historicalSessions: 400 } },
      async (sandbox) => {
        const numbers = new Set<string>();
        let after: string | null = null;
        for (;;) {
          type Page = {
            scenarioSessions: {
              nodes: { externalData: { work_order_number?: string } }[];
              pageInfo: { hasNextPage: boolean; endCursor: string };
            };
          };
          const data: Page = await client(sandbox).request<Page>(
            gql`
              query ($after: String) {
                scenarioSessions(first: 100, after: $after) {
                  nodes {
                    externalData
                  }
                  pageInfo {
                    hasNextPage
                    endCursor
                  }
                }
              }
            `,
            { after }
          );
          for (const node of data.scenarioSessions.nodes)
            if (node.externalData.work_order_number)
              numbers.add(node.externalData.work_order_number);
          if (!data.scenarioSessions.pageInfo.hasNextPage) break;
          after = data.scenarioSessions.pageInfo.endCursor;
        }
        for (const number of ['00000101', '00000105', '00009901'])
          assert.ok(numbers.has(number), number);
      }
    );
  });

  it('100,000 sessions and 100,000 calls are served without storing them', async () => {
    await withSandbox(
      { seed: { historicalSessions: 100_000, historicalCalls: 100_000 } },
      async (sandbox) => {
        const data = await client(sandbox).request<{
          scenarioSessions: { totalCount: number };
          calls: { totalCount: number };
        }>(SAMPLE);
        assert.equal(data.scenarioSessions.totalCount, 96_000);
        assert.equal(data.calls.totalCount, 96_000);
        const stats = (await fetch(`${sandbox.url}/sandbox/stats`).then(
          (response) => response.json()
        )) as { changedRows: number };
        assert.equal(stats.changedRows, 0, 'nothing materialised in memory');
      }
    );
  });

  it('node ids are Base64 with padding; the URL-safe variant resolves to the same node', async () => {
    const id = encodeNodeId('ScenarioSession', 10001);
    assert.match(id, /^[A-Za-z0-9+/]+=$/);
    assert.deepEqual(decodeNodeId(toUrlSafe(id)), {
      type: 'ScenarioSession',
      databaseId: '10001'
    });
    assert.equal(decodeNodeId('not base64!'), null);
    await withSandbox({ seed: { historicalSessions: 5 } }, async (sandbox) => {
      const data = await client(sandbox).request<{
        a: { id: string } | null;
        b: { id: string } | null;
      }>(
        gql`
          query ($a: ID!, $b: ID!) {
            a: node(id: $a) {
              id
            }
            b: node(id: $b) {
              id
            }
          }
        `,
        { a: id, b: toUrlSafe(id) }
      );
      assert.equal(data.a?.id, id);
      assert.equal(data.b?.id, id);
    });
    await withSandbox(
      { seed: { historicalSessions: 5 }, schema: { nodeIdStyle: 'urlsafe' } },
      async (sandbox) => {
        const data = await client(sandbox).request<{ node: { id: string } }>(
          gql`
            query ($id: ID!) {
              node(id: $id) {
                id
              }
            }
          `,
          { id }
        );
        assert.equal(data.node.id, toUrlSafe(id));
        assert.match(data.node.id, /^[A-Za-z0-9_-]+$/);
      }
    );
  });
});

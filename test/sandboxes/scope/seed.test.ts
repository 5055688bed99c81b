import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gql } from 'graphql-request';
import {
  decodeNodeId,
  encodeNodeId,
  toUrlSafe
} from '../../../sandboxes/scope/node-id.ts';
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

  it('node ids come in both documented alphabets and resolve only exactly as issued', async () => {
    // Ids 10001..10004 cover the four variants of the default `mixed` style.
    const ids = [10001, 10002, 10003, 10004].map((n) =>
      encodeNodeId('ScenarioSession', n)
    );
    assert.ok(ids.some((id) => id.includes('+') && id.endsWith('=')));
    assert.ok(ids.some((id) => id.includes('/') && id.endsWith('=')));
    assert.ok(ids.some((id) => /^[A-Za-z0-9_-]+$/.test(id) && /[-_]/.test(id)));
    for (const id of ids)
      assert.deepEqual(decodeNodeId(id, 'mixed')?.type, 'ScenarioSession');
    assert.equal(decodeNodeId('not base64!'), null);
    const slashed = ids.find((id) => id.includes('/')) ?? '';
    await withSandbox({ seed: { historicalSessions: 5 } }, async (sandbox) => {
      const data = await client(sandbox).request<{
        scenarioSessions: { nodes: { id: string }[] };
        a: { id: string } | null;
        urlsafe: { id: string } | null;
        unpadded: { id: string } | null;
        spaced: { id: string } | null;
      }>(
        gql`
          query ($a: ID!, $urlsafe: ID!, $unpadded: ID!, $spaced: ID!) {
            scenarioSessions(first: 5) {
              nodes {
                id
              }
            }
            a: node(id: $a) {
              id
            }
            urlsafe: node(id: $urlsafe) {
              id
            }
            unpadded: node(id: $unpadded) {
              id
            }
            spaced: node(id: $spaced) {
              id
            }
          }
        `,
        {
          a: slashed,
          urlsafe: toUrlSafe(slashed),
          unpadded: slashed.replace(/=+$/, ''),
          spaced: (ids.find((id) => id.includes('+')) ?? '').replace(/\+/g, ' ')
        }
      );
      assert.deepEqual(
        data.scenarioSessions.nodes.map((node) => node.id).slice(0, 4),
        ids
      );
      assert.equal(data.a?.id, slashed);
      assert.equal(data.urlsafe, null, 'another alphabet is another id');
      assert.equal(data.unpadded, null, 'the padding is part of the id');
      assert.equal(data.spaced, null, "'+' read as a space is not the id");
    });
    await withSandbox(
      { seed: { historicalSessions: 5 }, schema: { nodeIdStyle: 'urlsafe' } },
      async (sandbox) => {
        const data = await client(sandbox).request<{
          scenarioSessions: { nodes: { id: string }[] };
        }>(gql`
          {
            scenarioSessions(first: 5) {
              nodes {
                id
              }
            }
          }
        `);
        for (const node of data.scenarioSessions.nodes)
          assert.match(node.id, /^[A-Za-z0-9_-]+$/);
      }
    );
  });
});

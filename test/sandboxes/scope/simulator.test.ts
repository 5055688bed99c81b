import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gql } from 'graphql-request';
import { client, postJson, waitFor, withSandbox } from './helpers.ts';

// POST /sandbox/open: the WorkLink app simulated (reference §1: action, action parameters, external data).

describe('Scope sandbox simulator', () => {
  it('turns a deeplink with hostile values into exactly the external data the app would store', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const hostile = {
        work_order_id: '0WO5g000000AbCdEFG',
        work_order_number: '00000101',
        quote: `O'Brien "the" <script>alert(1)</script>`,
        ampersand: 'a&b=c?d#e',
        percent: '100% %41 %zz',
        plus: '1+1 = 2',
        unicode: 'Ünïcödé 日本語 🚀',
        newline: 'line1\nline2\r\n',
        empty: '',
        soql: "x' OR Name LIKE '%",
        'key with spaces[and]brackets': 'v'
      };
      const query = Object.entries(hostile)
        .map(
          ([key, value]) =>
            `${encodeURIComponent(key)}=${encodeURIComponent(value)}`
        )
        .join('&');
      // A second `action`/`asset` appended by a careless builder must neither win nor leak into external data.
      const url = `worklink://resource?action=fetch_catalog&asset=${encodeURIComponent('PUMP-100')}&${query}&action=fetch_user&asset=HVAC-7`;
      const response = await postJson(`${sandbox.url}/sandbox/open`, { url });
      assert.equal(response.status, 201);
      assert.equal(response.body.resourceType, 'ScenarioSession');
      assert.deepEqual(response.body.externalData, hostile);
      const data = await client(sandbox).request<{
        node: {
          externalData: unknown;
          scenarioRelease: { scenario: { name: string } };
        };
      }>(
        gql`
          query ($id: ID!) {
            node(id: $id) {
              ... on ScenarioSession {
                externalData
                scenarioRelease {
                  scenario {
                    name
                  }
                }
              }
            }
          }
        `,
        { id: response.body.id }
      );
      assert.deepEqual(data.node.externalData, hostile);
      assert.equal(
        data.node.scenarioRelease.scenario.name,
        'Centrifugal Pump P-100 Seal Replacement'
      );
    });
  });

  it('decodes jQuery $.param style values (+ for spaces) and unwraps deferred links', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const inner =
        'worklink://resource?action=fetch_catalog&asset=42&note=hello+world&sf_id=006ABC';
      const deferred = `https://getworklink.com/deferred?deep_link=${encodeURIComponent(inner)}`;
      const response = await postJson(`${sandbox.url}/sandbox/open`, {
        url: deferred
      });
      assert.equal(response.status, 201);
      assert.deepEqual(response.body.externalData, {
        note: 'hello world',
        sf_id: '006ABC'
      });
    });
  });

  it('rejects malformed links with 400 and unknown assets or users with 404', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const open = (url: string) =>
        postJson(`${sandbox.url}/sandbox/open`, { url });
      for (const url of [
        'not a url',
        'https://example.com/?action=fetch_catalog',
        'worklink://other?action=fetch_catalog',
        'worklink://resource?asset=PUMP-100',
        'worklink://resource?action=launch_rocket'
      ]) {
        const response = await open(url);
        assert.equal(response.status, 400, url);
        assert.equal(typeof response.body.error, 'string');
      }
      const unknownAsset = await open(
        'worklink://resource?action=fetch_catalog&asset=NOPE-1'
      );
      assert.equal(unknownAsset.status, 404);
      assert.match(String(unknownAsset.body.error), /NOPE-1/);
      assert.equal(
        (await open('worklink://resource?action=fetch_catalog&asset=OC-1'))
          .status,
        404,
        'another company’s asset'
      );
      assert.equal(
        (await open('worklink://resource?action=fetch_user&user=999')).status,
        404
      );
      assert.equal(
        (await postJson(`${sandbox.url}/sandbox/open`, {})).status,
        400
      );
    });
  });

  it('runs a session step by step to completion on the clock, with an update webhook per step', async () => {
    await withSandbox(
      {
        seed: { historicalSessions: 0 },
        clock: { manual: false, stepIntervalMs: 5 }
      },
      async (sandbox) => {
        const opened = await sandbox.open(
          'worklink://resource?action=fetch_catalog&asset=GEN-3000'
        );
        const done = await waitFor(async () => {
          const data = await client(sandbox).request<{
            node: {
              state: string;
              numberOfStepsViewed: number;
              endedAt: string | null;
            };
          }>(
            gql`
              query ($id: ID!) {
                node(id: $id) {
                  ... on ScenarioSession {
                    state
                    numberOfStepsViewed
                    endedAt
                  }
                }
              }
            `,
            { id: opened.id }
          );
          return data.node.state === 'COMPLETED' ? data.node : null;
        }, 'the session to complete');
        assert.equal(done.numberOfStepsViewed, 8);
        assert.ok(done.endedAt);
      }
    );
  });

  it('a call link creates a call that connects and ends; the users list carries the call links', async () => {
    await withSandbox(
      {
        seed: { historicalSessions: 0 },
        clock: { manual: true, callTicks: 2 }
      },
      async (sandbox) => {
        const users = (await fetch(`${sandbox.url}/sandbox/users`).then(
          (response) => response.json()
        )) as { name: string; callLink: string | null }[];
        const dana = users.find((user) => user.name === 'Dana Reyes');
        assert.equal(
          dana?.callLink,
          'worklink://resource?action=fetch_user&user=501'
        );
        const opened = await sandbox.open(
          `${dana?.callLink}&work_order_id=0WO5g000000AbCdEFG&work_order_number=00000101`
        );
        assert.equal(opened.resourceType, 'Call');
        assert.deepEqual(
          { ...opened.externalData },
          {
            work_order_id: '0WO5g000000AbCdEFG',
            work_order_number: '00000101'
          }
        );
        const state = async () =>
          (
            await client(sandbox).request<{
              node: {
                state: string;
                caller: { name: string };
                expert: { name: string };
                duration: number | null;
              };
            }>(
              gql`
                query ($id: ID!) {
                  node(id: $id) {
                    ... on Call {
                      state
                      duration
                      caller {
                        name
                      }
                      expert {
                        name
                      }
                    }
                  }
                }
              `,
              { id: opened.id }
            )
          ).node;
        assert.equal((await state()).state, 'CREATED');
        await sandbox.advance();
        assert.equal((await state()).state, 'CONNECTED');
        await sandbox.advance();
        await sandbox.advance();
        const ended = await state();
        assert.equal(ended.state, 'ENDED');
        assert.equal(ended.caller.name, 'Alex Kim');
        assert.equal(ended.expert.name, 'Dana Reyes');
        assert.ok((ended.duration ?? 0) >= 1);
      }
    );
  });

  it('mutate changes N sessions (updatedAt moves) and reset restores the seed', async () => {
    await withSandbox(
      { seed: { historicalSessions: 200 }, schema: { exposeUpdatedAt: true } },
      async (sandbox) => {
        const before = Date.now();
        const mutated = await postJson(`${sandbox.url}/sandbox/mutate`, {
          kind: 'sessions',
          count: 10
        });
        const changed = mutated.body.changed as { id: string }[];
        assert.equal(changed.length, 10);
        const query = gql`
          query ($id: ID!) {
            node(id: $id) {
              ... on ScenarioSession {
                updatedAt
              }
            }
          }
        `;
        for (const row of changed) {
          const data = await client(sandbox).request<{
            node: { updatedAt: string };
          }>(query, { id: row.id });
          assert.ok(Date.parse(data.node.updatedAt) >= before - 1000);
        }
        const touched = await postJson(
          `${sandbox.url}/sandbox/sessions/10001/touch`,
          {}
        );
        assert.equal(touched.status, 200);
        assert.equal(
          (await postJson(`${sandbox.url}/sandbox/sessions/999999/touch`, {}))
            .status,
          404
        );
        await postJson(`${sandbox.url}/sandbox/reset`, {});
        const stats = (await fetch(`${sandbox.url}/sandbox/stats`).then(
          (response) => response.json()
        )) as { changedRows: number };
        assert.equal(stats.changedRows, 0);
        const after = await client(sandbox).request<{
          node: { updatedAt: string };
        }>(query, { id: changed[0]?.id });
        assert.ok(Date.parse(after.node.updatedAt) < before - 1000);
      }
    );
  });
});

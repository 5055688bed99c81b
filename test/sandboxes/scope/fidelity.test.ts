import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gql } from 'graphql-request';
import { UNDOCUMENTED_FIELDS } from '../../../sandboxes/scope/schema/undocumented.ts';
import {
  COMPANY_TOKEN,
  client,
  postJson,
  rawGraphql,
  withSandbox
} from './helpers.ts';

// Sandbox fidelity: the renamed Call type, exact external-data keys, the REST v2 "simulate create"
// status, the documented Attachment fields, one consistent clock and the list of guesses.

const SESSION_TIMES = gql`
  query ($id: ID!) {
    node(id: $id) {
      ... on ScenarioSession {
        state
        startedAt
        endedAt
        duration
        idleDuration
        events(first: 100) {
          nodes {
            createdAt
          }
        }
      }
    }
  }
`;

interface SessionTimes {
  node: {
    state: string;
    startedAt: string;
    endedAt: string | null;
    duration: number;
    idleDuration: number;
    events: { nodes: { createdAt: string }[] };
  };
}

describe('Scope sandbox fidelity', () => {
  it('renames the Call type and the calls root when asked, everywhere the schema names them', async () => {
    await withSandbox(
      {
        seed: { historicalSessions: 0, historicalCalls: 3 },
        schema: {
          callTypeName: 'RemoteAssistanceCall',
          callsRootField: 'remoteAssistanceCalls'
        }
      },
      async (sandbox) => {
        const data = await client(sandbox).request<{
          remoteAssistanceCalls: {
            nodes: { __typename: string; id: string; state: string }[];
          };
          call: { name: string } | null;
          renamed: { name: string } | null;
        }>(gql`
          {
            remoteAssistanceCalls(first: 5) {
              nodes {
                __typename
                id
                ... on RemoteAssistanceCall {
                  state
                }
              }
            }
            call: __type(name: "Call") {
              name
            }
            renamed: __type(name: "RemoteAssistanceCall") {
              name
            }
          }
        `);
        assert.equal(data.call, null);
        assert.equal(data.renamed?.name, 'RemoteAssistanceCall');
        assert.equal(data.remoteAssistanceCalls.nodes.length, 3);
        const first = data.remoteAssistanceCalls.nodes[0];
        assert.equal(first?.__typename, 'RemoteAssistanceCall');
        const byNode = await client(sandbox).request<{
          node: { __typename: string } | null;
        }>(
          gql`
            query ($id: ID!) {
              node(id: $id) {
                __typename
              }
            }
          `,
          { id: first?.id }
        );
        assert.equal(byNode.node?.__typename, 'RemoteAssistanceCall');
        const old = await rawGraphql(
          sandbox,
          '{ calls(first: 1) { nodes { id } } }'
        );
        assert.match(
          String((old.body.errors as { message: string }[])[0]?.message),
          /Cannot query field "calls"/
        );
      }
    );
  });

  it('keeps external-data keys exactly as sent, __proto__ and constructor included', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const link =
        'worklink://resource?action=fetch_catalog&asset=PUMP-100&__proto__=p&constructor=c&toString=t&work_order_number=00000101';
      const opened = await postJson(`${sandbox.url}/sandbox/open`, {
        url: link
      });
      assert.equal(opened.status, 201);
      const expected = JSON.parse(
        '{"__proto__":"p","constructor":"c","toString":"t","work_order_number":"00000101"}'
      ) as Record<string, string>;
      assert.deepEqual(
        Object.keys(opened.body.externalData as object),
        Object.keys(expected)
      );
      const data = await client(sandbox).request<{
        node: { externalData: Record<string, unknown> };
      }>(
        gql`
          query ($id: ID!) {
            node(id: $id) {
              ... on ScenarioSession {
                externalData
              }
            }
          }
        `,
        { id: opened.body.id }
      );
      assert.deepEqual(
        Object.entries(data.node.externalData),
        Object.entries(expected)
      );
      // The filter sees own keys only: `constructor` matches its value, not Object's constructor.
      const filtered = await client(sandbox).request<{
        scenarioSessions: { nodes: { id: string }[] };
      }>(gql`
        {
          scenarioSessions(
            first: 5
            externalData: { type: "MATCH", key: "constructor", value: "c" }
          ) {
            nodes {
              id
            }
          }
        }
      `);
      assert.deepEqual(filtered.scenarioSessions.nodes, [
        { id: opened.body.id }
      ]);

      // REST v2 "simulate create": the same keys survive a JSON body, and it answers 200.
      const rest = await fetch(
        `${sandbox.url}/api/v2/ar_contents/4011/work_instruction_sessions`,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer token=${COMPANY_TOKEN}`
          },
          body: '{"external_data":{"__proto__":"p","constructor":"c"}}'
        }
      );
      assert.equal(rest.status, 200);
      const body = (await rest.json()) as { external_data: object };
      assert.deepEqual(Object.keys(body.external_data), [
        '__proto__',
        'constructor'
      ]);
    });
  });

  it('offers every Attachment field the reference lists', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const type = await client(sandbox).request<{
        __type: { fields: { name: string }[] };
      }>(gql`
        {
          __type(name: "Attachment") {
            fields {
              name
            }
          }
        }
      `);
      const names = new Set(type.__type.fields.map((field) => field.name));
      for (const documented of [
        'id',
        'author',
        'fileContentType',
        'fileDownloadCount',
        'fileFingerprint',
        'fileName',
        'fileSize',
        'fileUpdatedAt',
        'fileURL',
        'fileURLExpiresAt',
        'name',
        'organization',
        'owner',
        'type',
        'fileUrl'
      ])
        assert.ok(names.has(documented), `Attachment.${documented}`);
    });
  });

  it('names every guess it adds to the schema in undocumented.ts, and each one exists', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const schema = await client(sandbox).request<{
        __schema: {
          types: { name: string; fields: { name: string }[] | null }[];
        };
      }>(gql`
        {
          __schema {
            types {
              name
              fields {
                name
              }
            }
          }
        }
      `);
      const fields = new Set(
        schema.__schema.types.flatMap((type) =>
          (type.fields ?? []).map((field) => `${type.name}.${field.name}`)
        )
      );
      for (const guess of UNDOCUMENTED_FIELDS)
        assert.ok(fields.has(guess), guess);
    });
  });

  it('runs sessions and calls on one clock: events inside start..end, nothing in the future, duration = end − start − idle', async () => {
    await withSandbox(
      {
        seed: { historicalSessions: 10 },
        clock: { manual: true, secondsPerStep: 45 }
      },
      async (sandbox) => {
        const session = await sandbox.open(
          'worklink://resource?action=fetch_catalog&asset=HVAC-7'
        );
        const call = await sandbox.open(
          'worklink://resource?action=fetch_user&user=501'
        );
        const check = async () => {
          const now = Date.now();
          const data = await client(sandbox).request<SessionTimes>(
            SESSION_TIMES,
            {
              id: session.id
            }
          );
          const start = Date.parse(data.node.startedAt);
          const end =
            data.node.endedAt === null ? now : Date.parse(data.node.endedAt);
          assert.ok(start <= now && end <= now, 'no time in the future');
          for (const event of data.node.events.nodes) {
            const at = Date.parse(event.createdAt);
            assert.ok(at >= start && at <= end, `event at ${event.createdAt}`);
          }
          return data.node;
        };
        let last = await check();
        while (last.state === 'IN_PROGRESS') {
          await sandbox.advance();
          last = await check();
        }
        // HVAC-7 has 4 steps of 45 simulated seconds each.
        assert.equal(last.duration, 4 * 45);
        assert.equal(
          (Date.parse(last.endedAt ?? '') - Date.parse(last.startedAt)) / 1000 -
            last.idleDuration,
          last.duration
        );
        const calls = await client(sandbox).request<{
          node: {
            createdAt: string;
            startedAt: string;
            endedAt: string;
            duration: number;
            state: string;
          };
        }>(
          gql`
            query ($id: ID!) {
              node(id: $id) {
                ... on Call {
                  createdAt
                  startedAt
                  endedAt
                  duration
                  state
                }
              }
            }
          `,
          { id: call.id }
        );
        const c = calls.node;
        assert.equal(c.state, 'ENDED');
        assert.ok(Date.parse(c.createdAt) <= Date.parse(c.startedAt));
        assert.ok(Date.parse(c.endedAt) <= Date.now());
        assert.equal(
          (Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000,
          c.duration
        );
        assert.equal(c.duration, 3 * 45, 'callTicks × secondsPerStep');

        // Seeded sessions follow the same rule.
        const seeded = await client(sandbox).request<{
          scenarioSessions: {
            nodes: {
              startedAt: string;
              endedAt: string | null;
              duration: number;
              idleDuration: number;
            }[];
          };
        }>(gql`
          {
            scenarioSessions(first: 10) {
              nodes {
                startedAt
                endedAt
                duration
                idleDuration
              }
            }
          }
        `);
        for (const row of seeded.scenarioSessions.nodes.filter(
          (n) => n.endedAt
        )) {
          assert.equal(
            (Date.parse(row.endedAt ?? '') - Date.parse(row.startedAt)) / 1000 -
              row.idleDuration,
            row.duration
          );
        }
      }
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gql } from 'graphql-request';
import {
  client,
  postJson,
  rawGraphql,
  withSandbox,
  COMPANY_TOKEN
} from './helpers.ts';

// Every query shape of reference §5 (and the §4 field lists) through graphql-request over HTTP.

interface SessionNode {
  __typename: string;
  id: string;
  databaseId: string;
  startedAt: string;
  endedAt: string | null;
  duration: number;
  idleDuration: number;
  state: string;
  externalData: Record<string, unknown>;
  numberOfStepsPossible: number;
  numberOfStepsViewed: number;
  percentOfStepsViewed: number;
  scenarioRelease: {
    version: string;
    publishedAt: string;
    scenario: { name: string };
  };
  events: {
    nodes: {
      id: string;
      type: string;
      createdAt: string;
      externalData: unknown;
    }[];
  };
}

describe('Scope sandbox GraphQL: documented query shapes', () => {
  it('5.1 fetches one session by its webhook id with every listed field', async () => {
    await withSandbox({ seed: { historicalSessions: 50 } }, async (sandbox) => {
      const opened = await sandbox.open(
        'worklink://resource?action=fetch_catalog&asset=PUMP-100&work_order_id=0WO5g000000AbCdEFG&work_order_number=00000101'
      );
      await sandbox.advance();
      await sandbox.advance();
      await sandbox.advance();
      const query = gql`
        query Session($id: ID!) {
          node(id: $id) {
            __typename
            ... on ScenarioSession {
              id
              databaseId
              startedAt
              endedAt
              duration
              idleDuration
              state
              externalData
              numberOfStepsPossible
              numberOfStepsViewed
              percentOfStepsViewed
              scenarioRelease {
                version
                publishedAt
                scenario {
                  name
                }
              }
              events(first: 100) {
                nodes {
                  id
                  type
                  createdAt
                  externalData
                }
              }
            }
          }
        }
      `;
      const data = await client(sandbox).request<{ node: SessionNode }>(query, {
        id: opened.id
      });
      const node = data.node;
      assert.equal(node.__typename, 'ScenarioSession');
      assert.equal(node.id, opened.id);
      assert.match(node.id, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.equal(node.databaseId, opened.databaseId);
      assert.equal(typeof node.databaseId, 'string');
      assert.deepEqual(node.externalData, {
        work_order_id: '0WO5g000000AbCdEFG',
        work_order_number: '00000101'
      });
      assert.equal(node.state, 'IN_PROGRESS');
      assert.equal(node.endedAt, null);
      assert.equal(node.numberOfStepsPossible, 6);
      assert.equal(node.numberOfStepsViewed, 3);
      assert.equal(node.percentOfStepsViewed, 50);
      assert.equal(node.duration, 3 * 45);
      assert.ok(!Number.isNaN(Date.parse(node.startedAt)));
      assert.equal(
        node.scenarioRelease.scenario.name,
        'Centrifugal Pump P-100 Seal Replacement'
      );
      assert.equal(node.scenarioRelease.version, '2');
      assert.equal(node.events.nodes.length, 3);
      assert.deepEqual(
        node.events.nodes.map((event) => event.type),
        ['STEP_VIEWED', 'STEP_VIEWED', 'PHOTO']
      );
    });
  });

  it('the full ScenarioSession field list of §4 resolves (steps, parts, release, scenario, user)', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const opened = await sandbox.open(
        'worklink://resource?action=fetch_catalog&asset=PUMP-100'
      );
      for (let step = 0; step < 6; step += 1) await sandbox.advance();
      const data = await client(sandbox).request<{
        node: Record<string, unknown>;
      }>(
        gql`
          query Full($id: ID!) {
            node(id: $id) {
              ... on ScenarioSession {
                state
                endedAt
                sessionType
                email
                user {
                  id
                  name
                  email
                }
                completedSteps {
                  nodes {
                    id
                  }
                }
                parts(
                  first: 10
                  orderBy: { attribute: "startedAt", direction: DESC }
                ) {
                  nodes {
                    id
                    databaseId
                    createdBy {
                      id
                      name
                    }
                  }
                }
                steps {
                  nodes {
                    scenarioStep {
                      name
                      orderIndex
                      scenarioSequence {
                        name
                      }
                    }
                  }
                }
                scenarioRelease {
                  author {
                    id
                    name
                  }
                  publishedAt
                  type
                  version
                  scenario {
                    author {
                      id
                      name
                    }
                    description
                    name
                    originGroup {
                      id
                      name
                    }
                    publishedAt
                    releases {
                      nodes {
                        id
                        databaseId
                      }
                    }
                  }
                }
              }
            }
          }
        `,
        { id: opened.id }
      );
      const node = data.node as {
        state: string;
        endedAt: string;
        email: string;
        user: { name: string };
        completedSteps: { nodes: unknown[] };
        parts: { nodes: { createdBy: { name: string } }[] };
        steps: {
          nodes: {
            scenarioStep: {
              name: string;
              orderIndex: number;
              scenarioSequence: { name: string };
            };
          }[];
        };
        scenarioRelease: {
          author: { name: string };
          scenario: {
            originGroup: { name: string };
            releases: { nodes: unknown[] };
          };
        };
      };
      assert.equal(node.state, 'COMPLETED');
      assert.ok(node.endedAt);
      assert.equal(node.user.name, 'Alex Kim');
      assert.equal(
        node.email,
        node.user.name.toLowerCase().replace(' ', '.') + '@sandbox.scopear.test'
      );
      assert.equal(node.completedSteps.nodes.length, 6);
      assert.equal(node.parts.nodes[0]?.createdBy.name, 'Alex Kim');
      assert.deepEqual(node.steps.nodes[5]?.scenarioStep, {
        name: 'Run in and check for leaks',
        orderIndex: 6,
        scenarioSequence: { name: 'Verification' }
      });
      assert.equal(node.scenarioRelease.author.name, 'Sandbox Admin');
      assert.equal(
        node.scenarioRelease.scenario.originGroup.name,
        'Field Service'
      );
      assert.equal(node.scenarioRelease.scenario.releases.nodes.length, 2);
    });
  });

  it('5.2 finds sessions by external data with MATCH and CONTAINS', async () => {
    await withSandbox(
      { seed: { historicalSessions: 300 } },
      async (sandbox) => {
        const opened = await sandbox.open(
          'worklink://resource?action=fetch_catalog&asset=HVAC-7&sf_case_id=500XXXXXXXXXXXX'
        );
        const query = gql`
          query ByExternal(
            $first: Int!
            $type: String!
            $key: String!
            $value: Alphanumeric!
          ) {
            scenarioSessions(
              first: $first
              externalData: { type: $type, key: $key, value: $value }
            ) {
              nodes {
                id
                databaseId
                startedAt
                endedAt
                state
                externalData
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `;
        type Result = {
          scenarioSessions: {
            nodes: { id: string; externalData: Record<string, unknown> }[];
          };
        };
        const filtered = (type: string, key: string, value: string) =>
          client(sandbox).request<Result>(query, {
            first: 100,
            type,
            key,
            value
          });
        const byCase = await filtered('MATCH', 'sf_case_id', '500XXXXXXXXXXXX');
        assert.deepEqual(
          byCase.scenarioSessions.nodes.map((node) => node.id),
          [opened.id]
        );
        const byNumber = await filtered(
          'MATCH',
          'work_order_number',
          '00000101'
        );
        assert.ok(byNumber.scenarioSessions.nodes.length > 0);
        for (const node of byNumber.scenarioSessions.nodes)
          assert.equal(node.externalData.work_order_number, '00000101');
        const byPart = await filtered('CONTAINS', 'partNumbers', '5678-EFGH');
        assert.ok(byPart.scenarioSessions.nodes.length > 0);
        for (const node of byPart.scenarioSessions.nodes)
          assert.ok(
            (node.externalData.partNumbers as string[]).includes('5678-EFGH')
          );
        const rejected = await rawGraphql(sandbox, query, {
          first: 10,
          type: 'MATCH',
          key: 'k',
          value: "x' OR 1=1"
        });
        assert.match(
          String((rejected.body.errors as { message: string }[])[0]?.message),
          /Alphanumeric/
        );
      }
    );
  });

  it('5.4 lists photos of a session by global id or databaseId', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const opened = await sandbox.open(
        'worklink://resource?action=fetch_catalog&asset=PUMP-100'
      );
      for (let step = 0; step < 6; step += 1) await sandbox.advance();
      const query = gql`
        query Photos(
          $scenarioSessionId: ID
          $first: Int!
          $valueTypes: [ScenarioStepItemTypeEnum!]
        ) {
          scenarioSessionEvents(
            first: $first
            valueTypes: $valueTypes
            scenarioSessionId: $scenarioSessionId
          ) {
            nodes {
              id
              type
              eventData
              photo {
                fileUrl
              }
              scenarioSessionStep {
                scenarioStep {
                  id
                  name
                }
              }
            }
          }
        }
      `;
      type Result = {
        scenarioSessionEvents: {
          nodes: {
            type: string;
            eventData: { user_name: string };
            photo: { fileUrl: string };
            scenarioSessionStep: { scenarioStep: { name: string } };
          }[];
        };
      };
      for (const sessionId of [opened.id, opened.databaseId]) {
        const data = await client(sandbox).request<Result>(query, {
          scenarioSessionId: sessionId,
          first: 100,
          valueTypes: ['PHOTO']
        });
        assert.deepEqual(
          data.scenarioSessionEvents.nodes.map(
            (node) => node.scenarioSessionStep.scenarioStep.name
          ),
          ['Remove the coupling guard', 'Run in and check for leaks']
        );
        const photo = data.scenarioSessionEvents.nodes[0];
        assert.equal(photo?.eventData.user_name, 'Alex Kim');
        const image = await fetch(String(photo?.photo.fileUrl));
        assert.equal(image.headers.get('content-type'), 'image/png');
      }
    });
  });

  it('5.5 viewer, organization connections, calls with the external-data filter', async () => {
    await withSandbox(
      { seed: { historicalSessions: 30, historicalCalls: 30 } },
      async (sandbox) => {
        const call = await sandbox.open(
          'worklink://resource?action=fetch_user&user=501&work_order_number=00000102'
        );
        const data = await client(sandbox).request<{
          viewer: {
            name: string;
            organization: {
              permalink: string;
              members: { totalCount: number };
              groups: { nodes: { name: string }[] };
            };
          };
          calls: {
            nodes: {
              id: string;
              state: string;
              caller: { name: string };
              expert: { name: string; databaseId: string };
              participants: { nodes: { role: string }[] };
            }[];
          };
        }>(gql`
          query {
            viewer {
              name
              organization {
                permalink
                members(first: 50) {
                  totalCount
                }
                groups(first: 10) {
                  nodes {
                    name
                  }
                }
              }
            }
            calls(
              first: 10
              externalData: {
                type: "MATCH"
                key: "work_order_number"
                value: "00000102"
              }
            ) {
              nodes {
                id
                state
                caller {
                  name
                }
                expert {
                  name
                  databaseId
                }
                participants(first: 5) {
                  nodes {
                    role
                  }
                }
              }
            }
          }
        `);
        assert.equal(data.viewer.name, 'Sandbox Admin');
        assert.equal(data.viewer.organization.permalink, 'sandbox');
        assert.equal(data.viewer.organization.members.totalCount, 7);
        assert.ok(
          data.viewer.organization.groups.nodes.some(
            (group) => group.name === 'Remote Experts'
          )
        );
        const found = data.calls.nodes.find((node) => node.id === call.id);
        assert.ok(found, 'the opened call is found by its external data');
        assert.equal(found.state, 'CREATED');
        assert.deepEqual(found.expert, {
          name: 'Dana Reyes',
          databaseId: '501'
        });
        assert.deepEqual(
          found.participants.nodes.map((node) => node.role),
          ['CALLER', 'EXPERT']
        );
      }
    );
  });

  it('GET runs introspection; optional updatedAt/updatedSince appear only when enabled', async () => {
    const fieldsOf = async (url: string) => {
      const response = await fetch(`${url}/api/v3/graphql`, {
        headers: { Authorization: `Token token=${COMPANY_TOKEN}` }
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        data: {
          __schema: {
            types: {
              name: string;
              fields: { name: string; args: { name: string }[] }[] | null;
            }[];
          };
        };
      };
      const types = body.data.__schema.types;
      const session = types.find((type) => type.name === 'ScenarioSession');
      const query = types.find((type) => type.name === 'Query');
      const call = types.find((type) => type.name === 'Call');
      return {
        session: session?.fields?.map((field) => field.name) ?? [],
        call: call?.fields?.map((field) => field.name) ?? [],
        listArgs:
          query?.fields
            ?.find((field) => field.name === 'scenarioSessions')
            ?.args.map((arg) => arg.name) ?? []
      };
    };
    await withSandbox({}, async (sandbox) => {
      const fields = await fieldsOf(sandbox.url);
      assert.ok(fields.session.includes('percentOfStepsViewed'));
      assert.ok(fields.call.includes('externalData'));
      assert.ok(!fields.session.includes('updatedAt'));
      assert.ok(!fields.listArgs.includes('updatedSince'));
    });
    await withSandbox(
      { schema: { exposeUpdatedAt: true, updatedSinceFilter: true } },
      async (sandbox) => {
        const fields = await fieldsOf(sandbox.url);
        assert.ok(fields.session.includes('updatedAt'));
        assert.ok(fields.call.includes('updatedAt'));
        assert.ok(fields.listArgs.includes('updatedSince'));
        const touched = await postJson(`${sandbox.url}/sandbox/mutate`, {
          count: 10
        });
        const changed = (touched.body.changed as { id: string }[])
          .map((row) => row.id)
          .sort();
        const since = new Date(Date.now() - 60_000).toISOString();
        const data = await client(sandbox).request<{
          scenarioSessions: { totalCount: number; nodes: { id: string }[] };
        }>(
          gql`
            query Changed($since: DateTime) {
              scenarioSessions(first: 100, updatedSince: $since) {
                totalCount
                nodes {
                  id
                }
              }
            }
          `,
          { since }
        );
        assert.equal(data.scenarioSessions.totalCount, 10);
        assert.deepEqual(
          data.scenarioSessions.nodes.map((node) => node.id).sort(),
          changed
        );
      }
    );
  });

  it('the resource-url of a webhook returns the first-level attributes', async () => {
    await withSandbox({ seed: { historicalSessions: 5 } }, async (sandbox) => {
      const opened = await sandbox.open(
        'worklink://resource?action=fetch_catalog&asset=42&work_order_number=00000103'
      );
      const response = await fetch(
        `${sandbox.url}/api/v3/graphql/object/${encodeURIComponent(opened.id)}`,
        {
          headers: { Authorization: `Token token=${COMPANY_TOKEN}` }
        }
      );
      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.__typename, 'ScenarioSession');
      assert.equal(body.databaseId, opened.databaseId);
      assert.deepEqual(body.externalData, { work_order_number: '00000103' });
      const foreign = await fetch(
        `${sandbox.url}/api/v3/graphql/object/${encodeURIComponent(opened.id)}`,
        {
          headers: { Authorization: 'Token token=othercorp-company-token' }
        }
      );
      assert.equal(foreign.status, 403);
    });
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connect,
  connectedSandbox,
  permissionSetXml,
  startSandbox
} from './helpers.ts';
import { copyMetadata } from './metadata-fixture.ts';
import { lwcQuery } from '../../support/lwc-queries.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

interface Answer {
  data: Record<string, { query: Record<string, Connection_> }> | null;
  errors?: {
    message: string;
    locations: { line: number; column: number }[];
    paths: string[];
  }[];
}
interface Connection_ {
  edges: { node: Record<string, unknown>; cursor?: string }[];
  totalCount?: number;
  pageInfo?: Record<string, unknown>;
}

async function graphql(
  conn: Connection,
  query: string,
  variables?: object,
  operationName?: string
) {
  const response = await fetch(
    `${conn.instanceUrl}/services/data/v68.0/graphql`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${conn.accessToken}`,
        'content-type': 'application/json'
      },
      body: JSON.stringify({ query, variables, operationName })
    }
  );
  assert.equal(response.status, 200);
  return (await response.json()) as Answer;
}

const edges = (answer: Answer, object: string) =>
  answer.data?.uiapi?.query[object]?.edges ?? [];

describe('UI API GraphQL (POST /services/data/vXX.X/graphql)', () => {
  const ctx = connectedSandbox();
  let workOrderId: string;
  before(async () => {
    const wo = await ctx.conn.query<{ Id: string }>(
      "SELECT Id FROM WorkOrder WHERE WorkOrderNumber = '00000101'"
    );
    workOrderId = wo.records[0]?.Id ?? '';
    const sessions = ctx.conn.sobject('Scope_AR_Session__c');
    const created = await sessions.create([
      {
        Scope_Id__c: 'gq-1',
        Link_Status__c: 'Unmatched',
        External_Work_Order_Ref__c: 'WO-101',
        Technician__c: 'Ada',
        Started_At__c: '2026-12-01T09:00:00.000Z'
      },
      {
        Scope_Id__c: 'gq-2',
        Link_Status__c: 'Unmatched',
        External_Work_Order_Ref__c: 'X-9',
        Started_At__c: '2026-12-02T09:00:00.000Z'
      },
      { Scope_Id__c: 'gq-3', Link_Status__c: 'Unmatched' },
      {
        Scope_Id__c: 'gq-4',
        Link_Status__c: 'Matched',
        Work_Order__c: workOrderId,
        Started_At__c: '2026-12-03T09:00:00.000Z'
      }
    ]);
    assert.ok(created.every((r) => r.success));
  });

  it("answers the inbox's unmatchedSessions query: unmatched only, newest first, nulls last", async () => {
    const answer = await graphql(
      ctx.conn,
      lwcQuery('worklinkUnmatchedInbox', 'unmatchedSessions')
    );
    assert.equal(answer.errors, undefined);
    const rows = edges(answer, 'Scope_AR_Session__c').map((e) => e.node);
    assert.deepEqual(
      rows.map(
        (n) => (n.External_Work_Order_Ref__c as { value: unknown }).value
      ),
      ['X-9', 'WO-101', null]
    );
    assert.match(String(rows[0]?.Id), /^a/);
    assert.deepEqual(rows[1]?.Started_At__c, {
      value: '2026-12-01T09:00:00.000Z',
      displayValue: '12/1/26, 9:00 AM'
    });
    assert.deepEqual(rows[1]?.Technician__c, { value: 'Ada' });
  });

  it("answers the inbox's openWorkOrders query with the Asset relationship", async () => {
    const answer = await graphql(
      ctx.conn,
      lwcQuery('worklinkUnmatchedInbox', 'openWorkOrders')
    );
    assert.equal(answer.errors, undefined);
    const nodes = edges(answer, 'WorkOrder').map((e) => e.node);
    const open = await ctx.conn.query(
      'SELECT Id FROM WorkOrder WHERE IsClosed = false'
    );
    assert.equal(nodes.length, open.totalSize);
    const wo = nodes.find(
      (n) => (n.WorkOrderNumber as { value: string }).value === '00000101'
    );
    assert.deepEqual(wo?.Asset, {
      Name: { value: 'Centrifugal Pump P-100' },
      Scope_Asset_Id__c: { value: 'PUMP-100' }
    });
  });

  it("answers the Health page's connectorStatus query (no heartbeat yet: no rows)", async () => {
    const answer = await graphql(
      ctx.conn,
      lwcQuery('worklinkHealth', 'connectorStatus')
    );
    assert.equal(answer.errors, undefined);
    assert.deepEqual(edges(answer, 'WorkLink_Connector_Status__c'), []);
  });

  it('filters with variables, and/or/in/like/ne, pages with first/after, counts with totalCount', async () => {
    const query = `query sessions($status: Picklist, $first: Int = 1, $after: String) {
      uiapi { query { Scope_AR_Session__c(
        where: { and: [ { Link_Status__c: { eq: $status } },
                        { or: [ { External_Work_Order_Ref__c: { like: "WO%" } }, { Scope_Id__c: { in: ["gq-2"] } } ] },
                        { Scope_Id__c: { ne: "gq-3" } } ] }
        orderBy: { Scope_Id__c: { order: ASC } } first: $first after: $after) {
        edges { node { Id Scope_Id__c { value } } cursor } totalCount pageInfo { hasNextPage endCursor } } } } }`;
    const one = await graphql(ctx.conn, query, { status: 'Unmatched' });
    const first = one.data?.uiapi?.query.Scope_AR_Session__c;
    assert.equal(first?.totalCount, 2);
    assert.equal(first?.pageInfo?.hasNextPage, true);
    assert.deepEqual(
      first?.edges.map((e) => (e.node.Scope_Id__c as { value: string }).value),
      ['gq-1']
    );
    const two = await graphql(ctx.conn, query, {
      status: 'Unmatched',
      after: first?.pageInfo?.endCursor
    });
    const second = two.data?.uiapi?.query.Scope_AR_Session__c;
    assert.deepEqual(
      second?.edges.map((e) => (e.node.Scope_Id__c as { value: string }).value),
      ['gq-2']
    );
    assert.equal(second?.pageInfo?.hasNextPage, false);
  });

  it('filters on a parent relationship and compares dates', async () => {
    const answer = await graphql(
      ctx.conn,
      `
        {
          uiapi {
            query {
              Scope_AR_Session__c(
                where: {
                  Work_Order__r: { WorkOrderNumber: { eq: "00000101" } }
                  Started_At__c: { gte: { value: "2026-12-03T00:00:00Z" } }
                }
              ) {
                edges {
                  node {
                    Work_Order__r {
                      WorkOrderNumber {
                        value
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `
    );
    assert.equal(answer.errors, undefined);
    assert.deepEqual(
      edges(answer, 'Scope_AR_Session__c').map((e) => e.node),
      [{ Work_Order__r: { WorkOrderNumber: { value: '00000101' } } }]
    );
  });

  it('answers a field the object does not have with a platform-shaped validation error (HTTP 200)', async () => {
    const bad = `
        query bad {
          uiapi {
            query {
              WorkOrder {
                edges {
                  node {
                    Id
                    Nope__c {
                      value
                    }
                  }
                }
              }
            }
          }
        }
      `;
    const answer = await graphql(ctx.conn, bad);
    assert.equal(answer.data, null);
    assert.equal(answer.errors?.length, 1);
    assert.equal(
      answer.errors?.[0]?.message,
      "Validation error of type FieldUndefined: Field 'Nope__c' in type 'WorkOrder' is undefined @ 'uiapi/query/WorkOrder/edges/node/Nope__c'"
    );
    const lines = bad.split('\n');
    const line = lines.findIndex((l) => l.includes('Nope__c'));
    assert.deepEqual(answer.errors?.[0]?.locations, [
      { line: line + 1, column: (lines[line] ?? '').indexOf('Nope__c') + 1 }
    ]);
    assert.deepEqual(answer.errors?.[0]?.paths, []);
  });

  it('answers syntax errors and refused features in the same shape', async () => {
    const syntax = await graphql(ctx.conn, '{ uiapi { query { WorkOrder ');
    assert.match(syntax.errors?.[0]?.message ?? '', /^Invalid Syntax/);
    const mutation = await graphql(ctx.conn, 'mutation { uiapi { x } }');
    assert.match(
      mutation.errors?.[0]?.message ?? '',
      /does not support mutation operations/
    );
  });
});

describe('UI API GraphQL under field-level security', () => {
  const metadata = copyMetadata();
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    mkdirSync(join(metadata.dir, 'permissionsets'), { recursive: true });
    writeFileSync(
      join(
        metadata.dir,
        'permissionsets',
        'WorkLink_Integration.permissionset-meta.xml'
      ),
      permissionSetXml(
        [{ object: 'WorkOrder', create: false, edit: false, read: true }],
        [{ field: 'WorkOrder.AssetId', readable: true, editable: false }]
      )
    );
    sandbox = await startSandbox({
      metadataDir: metadata.dir,
      seed: { closedWorkOrders: 0 }
    });
    conn = await connect(sandbox);
  });
  after(async () => {
    await sandbox.close();
    metadata.cleanup();
  });

  it('hides a field the user may not read, as in the per-user schema, and serves the granted ones', async () => {
    const denied = await graphql(
      conn,
      '{ uiapi { query { WorkOrder { edges { node { Subject { value } } } } } } }'
    );
    assert.match(
      denied.errors?.[0]?.message ?? '',
      /Field 'Subject' in type 'WorkOrder' is undefined/
    );
    const filtered = await graphql(
      conn,
      '{ uiapi { query { WorkOrder(where: { Subject: { eq: "x" } }) { edges { node { Id } } } } } }'
    );
    assert.match(
      filtered.errors?.[0]?.message ?? '',
      /Field 'Subject' in type 'WorkOrder_Filter' is undefined/
    );
    const granted = await graphql(
      conn,
      '{ uiapi { query { WorkOrder(first: 2) { edges { node { Id WorkOrderNumber { value } AssetId { value } } } } } } }'
    );
    assert.equal(granted.errors, undefined);
    assert.equal(edges(granted, 'WorkOrder').length, 2);
  });

  it('hides an object the user may not read', async () => {
    const answer = await graphql(
      conn,
      '{ uiapi { query { Scope_AR_Session__c { edges { node { Id } } } } } }'
    );
    assert.match(
      answer.errors?.[0]?.message ?? '',
      /Field 'Scope_AR_Session__c' in type 'RecordQuery' is undefined/
    );
  });
});

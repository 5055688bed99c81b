import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceEvent } from '../../../connector/src/contracts.ts';
import type { WorkOrderRow } from '../../../connector/src/mapping/resolve-link.ts';
import type { SessionRecord } from '../../../connector/src/mapping/session-record.ts';
import { SalesforceApiError } from '../../../connector/src/salesforce/salesforce-error.ts';
import type {
  StoredSession,
  UpsertResult
} from '../../../connector/src/salesforce/salesforce-client.ts';
import type {
  NodeRequest,
  NodeResult
} from '../../../connector/src/scope/scope-client.ts';
import { ScopeApiError } from '../../../connector/src/scope/scope-error.ts';
import { toId18 } from '../../../connector/src/mapping/salesforce-id.ts';
import { createBatchProcessor } from '../../../connector/src/worker/index.ts';
import type { BatchProcessorOptions } from '../../../connector/src/worker/index.ts';
import {
  ASSET_ID,
  CASE_ID,
  MAPPING,
  WORK_ORDER_ID,
  sessionNode
} from './helpers/fixtures.ts';

const NOW = new Date('2025-01-10T10:00:00Z');

function event(
  resourceId: string,
  overrides: Partial<ResourceEvent> = {}
): ResourceEvent {
  return {
    resourceId,
    resourceType: 'ScenarioSession',
    event: 'updated',
    deliveryId: `d-${Math.random()}`,
    receivedAt: '2025-01-10T09:59:00Z',
    ...overrides
  };
}

/** In-memory fakes that record every call, standing in for the clients (those are tested over HTTP). */
function fakes(
  nodes: Record<string, NodeResult>,
  workOrders: WorkOrderRow[] = []
) {
  const fetches: NodeRequest[][] = [];
  const queries: { ids: readonly string[]; numbers: readonly string[] }[] = [];
  const upserts: SessionRecord[][] = [];
  const stored = new Map<string, StoredSession>();
  const storedReads: string[][] = [];
  let storedFailure: unknown;
  // like an upsert by external id: created the first time a Scope id is written, updated after
  const upserted = new Set<string>();
  let upsertBehaviour: (records: readonly SessionRecord[]) => UpsertResult[] = (
    records
  ) =>
    records.map((r, i) => {
      const created = !upserted.has(r.Scope_Id__c);
      upserted.add(r.Scope_Id__c);
      return {
        scopeId: r.Scope_Id__c,
        success: true,
        id: `a0X${i}`,
        created,
        errors: []
      };
    });
  let queryFailure: unknown;
  const options: BatchProcessorOptions = {
    mapping: MAPPING,
    now: () => NOW,
    scope: {
      fetchNodes: async (requests) => {
        fetches.push([...requests]);
        return new Map(
          requests.map((r) => [r.id, nodes[r.id] ?? { status: 'not-found' }])
        );
      }
    },
    salesforce: {
      resolveWorkOrders: async (keys) => {
        queries.push(keys);
        if (queryFailure) throw queryFailure;
        return workOrders.filter(
          (w) =>
            keys.ids.includes(w.Id) || keys.numbers.includes(w.WorkOrderNumber)
        );
      },
      readStoredSessions: async (ids) => {
        storedReads.push([...ids]);
        if (storedFailure) throw storedFailure;
        return new Map(
          ids.flatMap((id) => {
            const row = stored.get(id);
            return row ? [[id, row] as const] : [];
          })
        );
      },
      upsertSessions: async (records) => {
        upserts.push([...records]);
        return upsertBehaviour(records);
      }
    }
  };
  return {
    options,
    fetches,
    queries,
    upserts,
    stored,
    storedReads,
    failStoredRead: (error: unknown) => (storedFailure = error),
    setUpsert: (fn: typeof upsertBehaviour) => (upsertBehaviour = fn),
    failQueries: (error: unknown) => (queryFailure = error)
  };
}

const found = (overrides: Record<string, unknown>): NodeResult => ({
  status: 'found',
  node: sessionNode(overrides)
});
const WO: WorkOrderRow = {
  Id: WORK_ORDER_ID,
  WorkOrderNumber: '00000101',
  CaseId: CASE_ID,
  AssetId: ASSET_ID
};

describe('createBatchProcessor', () => {
  it('coalesces events per resource into one fetch, one query and one upsert', async () => {
    const f = fakes(
      {
        a: found({ id: 'a' }),
        b: found({ id: 'b', externalData: { work_order_number: '404' } }),
        c: found({ id: 'c', externalData: null })
      },
      [WO]
    );
    const processor = createBatchProcessor(f.options);
    const outcomes = await processor.process([
      event('a'),
      event('b'),
      event('a'),
      event('c'),
      event('a')
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.resourceId, o.status]),
      [
        ['a', 'written'],
        ['b', 'written'],
        ['c', 'written']
      ]
    );
    assert.equal(f.fetches.length, 1);
    assert.deepEqual(
      f.fetches[0]?.map((r) => r.id),
      ['a', 'b', 'c']
    );
    assert.equal(f.queries.length, 1);
    assert.deepEqual(f.queries[0], {
      ids: [WORK_ORDER_ID],
      numbers: ['00000101', '404']
    });
    assert.equal(f.upserts.length, 1);
    const [a, b, c] = f.upserts[0] ?? [];
    assert.equal(a?.Link_Status__c, 'Matched');
    assert.equal(a?.Work_Order__c, WORK_ORDER_ID);
    assert.equal(a?.Case__c, CASE_ID);
    assert.equal(a?.Asset__c, ASSET_ID);
    assert.equal(b?.Link_Status__c, 'Unmatched');
    assert.equal(b?.External_Work_Order_Ref__c, '404');
    assert.equal(c?.Link_Status__c, 'Unmatched');
    assert.equal(c?.External_Work_Order_Ref__c, null);
  });

  it('dead-letters a forbidden node, retries a not-found one until the window closes', async () => {
    const f = fakes({
      foreign: { status: 'forbidden', reason: 'Not authorized to read object' }
    });
    const processor = createBatchProcessor({
      ...f.options,
      notFoundRetryWindowSeconds: 600
    });
    const outcomes = await processor.process([
      event('foreign'),
      event('young', { receivedAt: '2025-01-10T09:59:00Z' }),
      event('old', { receivedAt: '2025-01-10T09:40:00Z' })
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.resourceId, o.status]),
      [
        ['foreign', 'dead'],
        ['young', 'retry'],
        ['old', 'dead']
      ]
    );
    assert.match(outcomes[0]?.reason ?? '', /Not authorized/);
    assert.equal(f.upserts.length, 0, 'nothing to write');
  });

  it('retries every resource of a failed Scope request with its Retry-After', async () => {
    const error = new ScopeApiError(
      'Scope GraphQL fetchNodes answered HTTP 429',
      { kind: 'http', status: 429, retryAfterSeconds: 5 }
    );
    const f = fakes({
      a: { status: 'failed', error },
      b: { status: 'failed', error }
    });
    const outcomes = await createBatchProcessor(f.options).process([
      event('a'),
      event('b')
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.retryAfterSeconds]),
      [
        ['retry', 5],
        ['retry', 5]
      ]
    );
  });

  it('classifies per-record upsert results', async () => {
    const f = fakes({
      ok: found({ id: 'ok' }),
      locked: found({ id: 'locked' }),
      invalid: found({ id: 'invalid' })
    });
    f.setUpsert((records) =>
      records.map((r) =>
        r.Scope_Id__c === 'ok'
          ? { scopeId: r.Scope_Id__c, success: true, id: 'a0X1', errors: [] }
          : {
              scopeId: r.Scope_Id__c,
              success: false,
              errors: [
                r.Scope_Id__c === 'locked'
                  ? {
                      statusCode: 'UNABLE_TO_LOCK_ROW',
                      message: 'unable to obtain exclusive access',
                      fields: []
                    }
                  : {
                      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                      message: 'State is invalid',
                      fields: ['State__c']
                    }
              ]
            }
      )
    );
    const outcomes = await createBatchProcessor(f.options).process([
      event('ok'),
      event('locked'),
      event('invalid')
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.resourceId, o.status, o.salesforceId]),
      [
        ['ok', 'written', 'a0X1'],
        ['locked', 'retry', undefined],
        ['invalid', 'dead', undefined]
      ]
    );
    assert.match(
      outcomes[2]?.reason ?? '',
      /FIELD_CUSTOM_VALIDATION_EXCEPTION: State is invalid \[State__c\]/
    );
  });

  for (const code of [
    'INVALID_CROSS_REFERENCE_KEY',
    'ENTITY_IS_DELETED',
    'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
  ])
    it(`falls back to the work order case when Salesforce rejects the externalData case id (${code})`, async () => {
      const otherCase = toId18('5008d0000000099') as string;
      const f = fakes(
        {
          a: found({
            id: 'a',
            externalData: { work_order_number: '00000101', case_id: otherCase }
          })
        },
        [WO]
      );
      f.setUpsert((records) =>
        records.map((r) =>
          r.Case__c === CASE_ID
            ? { scopeId: r.Scope_Id__c, success: true, id: 'a0X1', errors: [] }
            : {
                scopeId: r.Scope_Id__c,
                success: false,
                errors: [
                  {
                    statusCode: code,
                    message: 'the case cannot be referenced',
                    fields: ['Case__c']
                  }
                ]
              }
        )
      );
      const outcomes = await createBatchProcessor(f.options).process([
        event('a')
      ]);
      assert.deepEqual(
        f.upserts.map((call) => call.map((r) => r.Case__c)),
        [[otherCase], [CASE_ID]]
      );
      assert.equal(outcomes[0]?.status, 'written');
    });

  it('never sends a key that cannot be a work order to SOQL, and still writes its session Unmatched', async () => {
    const huge = `WO-${'9'.repeat(40_000)}`;
    const multiByte = '工單🔧'.repeat(1_500);
    const f = fakes(
      {
        a: found({ id: 'a', externalData: { work_order_number: huge } }),
        b: found({ id: 'b', externalData: { work_order_id: multiByte } }),
        c: found({ id: 'c', externalData: { work_order_number: 'x\u0000y' } }),
        d: found({ id: 'd', externalData: { work_order_number: '00000101' } })
      },
      [WO]
    );
    const outcomes = await createBatchProcessor(f.options).process(
      ['a', 'b', 'c', 'd'].map((id) => event(id))
    );
    assert.deepEqual(f.queries, [{ ids: [], numbers: ['00000101'] }]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['written', 'written', 'written', 'written']
    );
    const byId = new Map(f.upserts.flat().map((r) => [r.Scope_Id__c, r]));
    assert.equal(byId.get('d')?.Link_Status__c, 'Matched');
    for (const id of ['a', 'b', 'c']) {
      const record = byId.get(id);
      assert.equal(record?.Link_Status__c, 'Unmatched');
      assert.ok((record?.External_Work_Order_Ref__c ?? '').length <= 255);
    }
    assert.ok(
      byId.get('a')?.External_Data__c?.includes(huge.slice(0, 1000)),
      'the raw key stays in External_Data__c'
    );
  });

  it('splits a lookup that Salesforce refuses because of one key: only that session is Unmatched', async () => {
    const sessions = Array.from({ length: 8 }, (_, i) => `s${i}`);
    const f = fakes(
      Object.fromEntries(
        sessions.map((id, i) => [
          id,
          found({
            id,
            externalData: {
              work_order_number: i === 5 ? "bad'key" : '00000101'
            }
          })
        ])
      ),
      [WO]
    );
    f.options.salesforce.resolveWorkOrders = async (keys) => {
      f.queries.push(keys);
      if (keys.numbers.includes("bad'key"))
        throw new SalesforceApiError('MALFORMED_QUERY: unexpected token', {
          errorCode: 'MALFORMED_QUERY',
          status: 400
        });
      return keys.numbers.includes('00000101') ? [WO] : [];
    };
    const outcomes = await createBatchProcessor(f.options).process(
      sessions.map((id) => event(id))
    );
    assert.ok(outcomes.every((o) => o.status === 'written'));
    const links = new Map(
      f.upserts.flat().map((r) => [r.Scope_Id__c, r.Link_Status__c])
    );
    assert.equal(links.get('s5'), 'Unmatched');
    assert.equal(
      sessions.filter((id) => links.get(id) === 'Matched').length,
      7
    );
    assert.ok(f.queries.length <= 1 + 2 * Math.ceil(Math.log2(8)));
  });

  it('does not split a lookup that fails for a reason of the org (a field the user cannot read)', async () => {
    const f = fakes(
      {
        a: found({ id: 'a', externalData: { work_order_number: '1' } }),
        b: found({ id: 'b', externalData: { work_order_number: '2' } })
      },
      [WO]
    );
    f.failQueries(
      new SalesforceApiError("INVALID_FIELD: No such column 'AssetId'", {
        errorCode: 'INVALID_FIELD',
        status: 400
      })
    );
    const outcomes = await createBatchProcessor(f.options).process([
      event('a'),
      event('b')
    ]);
    assert.equal(f.queries.length, 1);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['dead', 'dead']
    );
    assert.equal(f.upserts.length, 0);
  });

  it('retries everything when the work-order query fails', async () => {
    const f = fakes({ a: found({ id: 'a' }) }, [WO]);
    f.failQueries(
      new SalesforceApiError('down', {
        errorCode: 'SERVER_UNAVAILABLE',
        status: 503
      })
    );
    const outcomes = await createBatchProcessor(f.options).process([
      event('a')
    ]);
    assert.equal(outcomes[0]?.status, 'retry');
    assert.equal(f.upserts.length, 0);
  });

  it('uses a complete custom-query payload instead of fetching, newest first, and never overwrites newer data', async () => {
    const f = fakes({});
    const older = sessionNode({
      id: 'p',
      state: 'IN_PROGRESS',
      endedAt: null,
      events: { nodes: [{ createdAt: '2025-01-10T09:05:00Z' }] }
    });
    const newer = sessionNode({ id: 'p', state: 'COMPLETED' });
    const processor = createBatchProcessor(f.options);
    let outcomes = await processor.process([
      event('p', { node: newer }),
      event('p', { node: older })
    ]);
    assert.equal(f.fetches.length, 0);
    assert.equal(outcomes[0]?.status, 'written');
    assert.equal(f.upserts[0]?.[0]?.State__c, 'COMPLETED');

    f.stored.set('p', {
      Scope_Updated_At__c: '2025-01-10T09:12:31.000Z',
      Link_Status__c: 'Matched',
      OwnerId: null,
      CreatedById: null
    });
    outcomes = await processor.process([event('p', { node: older })]);
    assert.equal(outcomes[0]?.status, 'skipped');
    assert.equal(f.upserts.length, 1, 'the older payload was not written');

    // An event without a payload means "fetch the current state".
    outcomes = await processor.process([
      event('p', { node: older }),
      event('p')
    ]);
    assert.equal(f.fetches.length, 1);
    assert.equal(
      outcomes[0]?.status,
      'retry',
      'not found in the fake Scope yet'
    );
  });

  it('fetches Scope’s state when a payload is from the same second as what Salesforce holds (it keeps dateTime to the second)', async () => {
    const current = sessionNode({
      id: 'q',
      state: 'COMPLETED',
      idleDuration: 90
    });
    const f = fakes({ q: { status: 'found', node: current } });
    const stale = sessionNode({
      id: 'q',
      state: 'COMPLETED',
      idleDuration: 30
    });
    const processor = createBatchProcessor(f.options);
    await processor.process([event('q', { node: stale })]);
    const written = f.upserts[0]?.[0];
    assert.ok(written?.Scope_Updated_At__c);
    assert.equal(
      f.fetches.length,
      0,
      'new to Salesforce: the payload is written'
    );

    // Salesforce kept the second only; the stale payload of that same second arrives again
    f.stored.set('q', {
      Scope_Updated_At__c: new Date(
        Math.floor(Date.parse(written.Scope_Updated_At__c) / 1000) * 1000
      ).toISOString(),
      Link_Status__c: 'Matched',
      OwnerId: null,
      CreatedById: null
    });
    const outcomes = await processor.process([event('q', { node: stale })]);
    assert.deepEqual(
      f.fetches.map((batch) => batch.map((r) => r.id)),
      [['q']],
      'fetched instead of trusting the payload'
    );
    assert.equal(outcomes[0]?.status, 'written');
    assert.equal(f.upserts[1]?.[0]?.Idle_Duration_Seconds__c, 90);
  });

  it('never overwrites a manual link: writes the session fields without its link fields', async () => {
    const f = fakes(
      {
        manual: found({
          id: 'manual',
          state: 'COMPLETED',
          externalData: { work_order_number: '00000101' }
        }),
        plain: found({
          id: 'plain',
          externalData: { work_order_number: '00000101' }
        })
      },
      [WO]
    );
    f.stored.set('manual', {
      Scope_Updated_At__c: null,
      Link_Status__c: 'Linked manually',
      OwnerId: null,
      CreatedById: null
    });
    const outcomes = await createBatchProcessor(f.options).process([
      event('manual'),
      event('plain')
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['written', 'written']
    );
    assert.deepEqual(f.storedReads, [['manual', 'plain']], 'one read for both');
    const byId = new Map(f.upserts.flat().map((r) => [r.Scope_Id__c, r]));
    const manual = byId.get('manual');
    for (const field of [
      'Work_Order__c',
      'Case__c',
      'Asset__c',
      'Link_Status__c'
    ])
      assert.ok(manual && !(field in manual), `${field} is left out`);
    assert.equal(manual?.State__c, 'COMPLETED');
    assert.equal(manual?.External_Work_Order_Ref__c, '00000101');
    assert.equal(byId.get('plain')?.Link_Status__c, 'Matched');
    assert.equal(byId.get('plain')?.Work_Order__c, WORK_ORDER_ID);
  });

  it('writes nothing when the stored state cannot be read (a write could undo a manual link)', async () => {
    const f = fakes({ a: found({ id: 'a' }) }, [WO]);
    f.failStoredRead(
      new SalesforceApiError('Service Unavailable', {
        errorCode: 'SERVER_UNAVAILABLE',
        status: 503
      })
    );
    const outcomes = await createBatchProcessor(f.options).process([
      event('a')
    ]);
    assert.equal(outcomes[0]?.status, 'retry');
    assert.equal(f.upserts.length, 0);
  });

  it('writes a Call as Kind = Call', async () => {
    const f = fakes(
      {
        call1: {
          status: 'found',
          node: {
            __typename: 'Call',
            id: 'call1',
            state: 'ENDED',
            externalData: { work_order_number: '00000101' },
            expert: { name: 'Dana Reyes' }
          }
        }
      },
      [WO]
    );
    const outcomes = await createBatchProcessor(f.options).process([
      event('call1', { resourceType: 'Call' })
    ]);
    assert.equal(outcomes[0]?.status, 'written');
    assert.equal(f.fetches[0]?.[0]?.kind, 'Call');
    const written = f.upserts[0]?.[0];
    assert.equal(written?.Kind__c, 'Call');
    assert.equal(written?.Expert__c, 'Dana Reyes');
    assert.equal(written?.Link_Status__c, 'Matched');
  });

  it('answers an unhandled resource type with skipped instead of dropping it', async () => {
    const f = fakes({});
    const outcomes = await createBatchProcessor(f.options).process([
      event('x', { resourceType: 'Scenario' as unknown as 'Call' })
    ]);
    assert.deepEqual(
      outcomes.map((o) => [o.resourceId, o.status]),
      [['x', 'skipped']]
    );
    assert.equal(f.fetches.length, 0);
  });

  it("takes the kind from the newest delivery and lets Scope's __typename correct it", async () => {
    // Fetched as a Call, a session node answers only its __typename (the fragment does not apply).
    const f = fakes({});
    const kinds: string[] = [];
    f.options.scope = {
      fetchNodes: async (requests) => {
        f.fetches.push([...requests]);
        return new Map(
          requests.map((r): [string, NodeResult] => {
            kinds.push(`${r.id}:${r.kind}`);
            return [
              r.id,
              r.kind === 'ScenarioSession'
                ? found({ id: r.id })
                : { status: 'wrong-type', typename: 'ScenarioSession' }
            ];
          })
        );
      }
    };
    const processor = createBatchProcessor(f.options);
    // the job runner lists deliveries newest first: a genuine session newest, an old replayed Call hint
    let outcomes = await processor.process([
      event('s', {
        resourceType: 'ScenarioSession',
        receivedAt: '2025-01-10T09:59:00Z'
      }),
      event('s', { resourceType: 'Call', receivedAt: '2025-01-10T09:58:00Z' })
    ]);
    assert.equal(outcomes[0]?.status, 'written', outcomes[0]?.reason);
    assert.deepEqual(
      kinds,
      ['s:ScenarioSession'],
      'the newest delivery names the kind'
    );

    // every recent delivery a replay with a Call topic: Scope's answer still makes it a session
    kinds.length = 0;
    outcomes = await processor.process(
      Array.from({ length: 20 }, () => event('s', { resourceType: 'Call' }))
    );
    assert.equal(outcomes[0]?.status, 'written', outcomes[0]?.reason);
    assert.deepEqual(kinds, ['s:Call', 's:ScenarioSession']);
    assert.equal(f.upserts.at(-1)?.[0]?.Kind__c, 'Scenario Session');
  });

  it('asks Scope what an unnamed resource is before fetching it', async () => {
    const f = fakes({ s: found({ id: 's' }) });
    const lookups: Record<string, unknown>[] = [];
    const typenames: Record<string, string | null> = {
      s: 'ScenarioSession',
      scenario: 'Scenario',
      gone: null
    };
    const processor = createBatchProcessor({
      ...f.options,
      scope: {
        ...f.options.scope,
        execute: async <T>(
          _operation: string,
          query: string,
          variables: Record<string, unknown> = {}
        ) => {
          lookups.push(variables);
          assert.match(query, /n0: node\(id: \$id0\) \{ __typename \}/);
          const data: Record<string, { __typename: string } | null> = {};
          Object.entries(variables).forEach(([key, id]) => {
            const typename = typenames[String(id)];
            data[key.replace('id', 'n')] = typename
              ? { __typename: typename }
              : null;
          });
          return { data: data as T, errors: [] };
        }
      }
    });
    const unnamed = (id: string) => {
      const { resourceType: _kind, ...rest } = event(id);
      return rest;
    };
    const outcomes = await processor.process([
      unnamed('s'),
      unnamed('scenario'),
      unnamed('gone')
    ]);
    assert.equal(lookups.length, 1, 'one lookup request for the batch');
    assert.deepEqual(
      outcomes.map((o) => [o.resourceId, o.status]),
      [
        ['s', 'written'],
        ['scenario', 'skipped'],
        ['gone', 'retry']
      ]
    );
    assert.match(outcomes[1]?.reason ?? '', /Scenario, not a handled type/);
    assert.deepEqual(f.fetches, [[{ id: 's', kind: 'ScenarioSession' }]]);
  });

  it('reads a renamed Call type from the Scope client when it resolves an unnamed resource', async () => {
    const f = fakes({
      c: {
        status: 'found',
        node: { __typename: 'RemoteAssistanceCall', id: 'c', state: 'ENDED' }
      }
    });
    const processor = createBatchProcessor({
      ...f.options,
      scope: {
        ...f.options.scope,
        callSchema: async () => ({
          typeName: 'RemoteAssistanceCall',
          rootField: 'remoteAssistanceCalls',
          typeSource: 'discovered',
          rootSource: 'discovered',
          problems: []
        }),
        execute: async <T>() => ({
          data: { n0: { __typename: 'RemoteAssistanceCall' } } as T,
          errors: []
        })
      }
    });
    const { resourceType: _kind, ...unnamed } = event('c');
    const outcomes = await processor.process([unnamed]);
    assert.deepEqual(f.fetches, [[{ id: 'c', kind: 'Call' }]]);
    assert.equal(outcomes[0]?.status, 'written');
    assert.equal(f.upserts[0]?.[0]?.Kind__c, 'Call');
  });

  it('retries an unnamed resource when no Scope client can be asked', async () => {
    const f = fakes({});
    const { resourceType: _kind, ...unnamed } = event('s');
    const outcomes = await createBatchProcessor(f.options).process([unnamed]);
    assert.equal(outcomes[0]?.status, 'retry');
    assert.equal(f.fetches.length, 0);
  });

  it('lets only a payload node that names itself as the kind being processed stand in for the fetch', async () => {
    const f = fakes({ p: found({ id: 'p' }) });
    const processor = createBatchProcessor({
      ...f.options,
      payloadRequiredFields: { ScenarioSession: ['state'], Call: ['state'] }
    });
    const { __typename: _t, ...unnamed } = sessionNode({ id: 'p' });
    for (const node of [
      unnamed,
      sessionNode({ id: 'p', __typename: 'Call' })
    ]) {
      const outcomes = await processor.process([event('p', { node })]);
      assert.equal(outcomes[0]?.status, 'written');
    }
    assert.equal(f.fetches.length, 2, 'both were fetched');
    assert.deepEqual(
      f.upserts.map((u) => u[0]?.Kind__c),
      ['Scenario Session', 'Scenario Session']
    );
    await processor.process([event('p', { node: sessionNode({ id: 'p' }) })]);
    assert.equal(
      f.fetches.length,
      2,
      'a node that names itself saves the fetch'
    );
  });

  it('fetches instead of trusting a partial custom-query payload (the documented example lacks fields)', async () => {
    const f = fakes({ p: found({ id: 'p' }) });
    const documentedExample = {
      startedAt: '2025-01-10T09:00:00Z',
      endedAt: '2025-01-10T09:12:30Z',
      duration: 750,
      idleDuration: 30,
      numberOfStepsPossible: 6,
      numberOfStepsViewed: 6,
      percentOfStepsViewed: 100,
      state: 'COMPLETED',
      externalData: {},
      scenarioRelease: { author: { id: 'x', name: 'Sandbox Admin' } }
    };
    const outcomes = await createBatchProcessor(f.options).process([
      event('p', { node: documentedExample })
    ]);
    assert.equal(f.fetches.length, 1);
    assert.equal(outcomes[0]?.status, 'written');
    assert.equal(
      f.upserts[0]?.[0]?.Scenario_Name__c,
      'Centrifugal Pump P-100 Seal Replacement'
    );
  });
});

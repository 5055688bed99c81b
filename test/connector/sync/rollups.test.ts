// The work order, asset and case rollups and the outcome fields, through both sandboxes (Scope's
// simulator, the Salesforce REST emulator) and PostgreSQL: equal to a recomputation from the session
// records after duplicates, replays, an older payload after a newer one, a session moving to another
// work order, and a refused rollup write that the sync pass heals; first-time fix equal to report ttr's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  ProcessOutcome,
  ResourceEvent
} from '../../../connector/src/contracts.ts';
import { readTtrData } from '../../../connector/src/report/ttr-source.ts';
import { call, launch, rollupChecks } from './helpers/rollup-checks.ts';
import type { Opened } from './helpers/rollup-checks.ts';
import { startSyncHarness } from './helpers/sync-harness.ts';
import type { SyncHarness } from './helpers/sync-harness.ts';

const OUTCOMES = { windowDays: 30, resolvedStatuses: ['Completed', 'Closed'] };
const DAY = 86_400_000;

let h: SyncHarness;
before(async () => {
  h = await startSyncHarness({
    scope: { seed: { historicalSessions: 0, historicalCalls: 0 } },
    rollups: OUTCOMES
  });
});
after(() => h?.close());

const {
  control,
  records,
  byId,
  workOrder,
  runToCompletion,
  eventsOf,
  expected,
  assertRollupsMatchSessions,
  rollupWrites,
  queries
} = rollupChecks(() => h);

const statuses = (outcomes: readonly ProcessOutcome[]) => [
  ...new Set(outcomes.map((o) => o.status))
];

describe('rollups the connector keeps', { timeout: 300_000 }, () => {
  let opened: Opened[] = [];

  it('equal a recomputation after duplicates, replays and an older payload after a newer one', async () => {
    const links = [
      launch('PUMP-100', '00000101'),
      launch('PUMP-100', '00000101'),
      call('00000101'),
      launch('HVAC-7', '00000102')
    ];
    const started: Opened[] = [];
    for (const link of links) started.push(await h.scope.open(link));
    await h.scope.advance();
    // Scope's early state of each node, as a custom-query payload would have carried it
    const early = await h.scopeClient.fetchNodes(
      started.map((o) => ({ id: o.id, kind: o.resourceType }))
    );
    for (let tick = 0; tick < 100; tick += 1)
      if ((await h.scope.advance()) === 0) break;
    opened = started;

    // duplicates within one batch, then the whole batch replayed
    const events = eventsOf(opened);
    await control('DELETE', '/requests');
    assert.deepEqual(
      statuses(await h.processor.process([...events, ...events])),
      ['written']
    );
    assert.equal(
      await queries(),
      4,
      'work orders, stored sessions, then the rollups: work orders with siblings, sessions'
    );
    assert.equal(await rollupWrites(), 1, 'one Collections update');
    await assertRollupsMatchSessions();
    const wo101 = await workOrder('00000101');
    assert.equal(wo101.WorkLink_AR_Sessions__c, 2);
    assert.equal(wo101.WorkLink_AR_Calls__c, 1);
    assert.equal(wo101.WorkLink_AR_Used__c, true);
    assert.equal(
      (await byId('Case', String(wo101.CaseId))).WorkLink_AR_Calls__c,
      1
    );
    const pump = await byId('Asset', String(wo101.AssetId));
    assert.equal(pump.WorkLink_AR_Sessions__c, 2);
    assert.equal(pump.WorkLink_AR_Calls__c, 1);
    assert.equal((await workOrder('00000103')).WorkLink_AR_Sessions__c, null);

    await control('DELETE', '/requests');
    assert.deepEqual(statuses(await h.processor.process(events)), ['written']);
    assert.equal(
      await rollupWrites(),
      0,
      'a replay changes no value, so nothing is written'
    );
    assert.equal(
      await queries(),
      1,
      'nor read: the work-order lookup only (the processor remembers what it wrote, which shows nothing changed)'
    );
    await assertRollupsMatchSessions();

    // the older payloads after the newer state: skipped, rollups unchanged
    const stale: ResourceEvent[] = eventsOf(opened, 'created').map((e) => {
      const result = early.get(e.resourceId);
      assert.equal(result?.status, 'found');
      return { ...e, node: result.status === 'found' ? result.node : {} };
    });
    const outcomes = await h.processor.process(stale);
    assert.ok(
      outcomes.some((o) => o.status === 'skipped'),
      JSON.stringify(outcomes)
    );
    assert.equal((await workOrder('00000101')).WorkLink_AR_Sessions__c, 2);
    await assertRollupsMatchSessions();
  });

  it('recomputes both work orders and assets when a session moves to another work order', async () => {
    const moving = opened[0] as Opened;
    const fetched = await h.scopeClient.fetchNodes([
      { id: moving.id, kind: moving.resourceType }
    ]);
    const result = fetched.get(moving.id);
    assert.equal(result?.status, 'found');
    const node = result.status === 'found' ? result.node : {};
    // Scope's session re-linked to 00000103 (its externalData corrected), as a payload carries it
    const externalData = {
      ...(node.externalData as Record<string, unknown>),
      work_order_number: '00000103'
    };
    // a later change (without updatedAt, the end time stands for it): a payload of the same second as
    // the stored state would be fetched instead, and Scope's own externalData was not changed
    const minuteAfter = (v: unknown) =>
      new Date(Date.parse(String(v)) + 60_000).toISOString();
    assert.ok(node.updatedAt ?? node.endedAt, 'a completed session');
    const later = node.updatedAt
      ? { updatedAt: minuteAfter(node.updatedAt) }
      : { endedAt: minuteAfter(node.endedAt) };
    const outcomes = await h.processor.process([
      {
        ...(eventsOf([moving], 'updated')[0] as ResourceEvent),
        node: { ...node, externalData, ...later }
      }
    ]);
    assert.deepEqual(statuses(outcomes), ['written']);
    const [wo101, wo103] = [
      await workOrder('00000101'),
      await workOrder('00000103')
    ];
    assert.equal(
      wo101.WorkLink_AR_Sessions__c,
      1,
      'the work order the session left'
    );
    assert.equal(
      wo103.WorkLink_AR_Sessions__c,
      1,
      'the work order it moved to'
    );
    assert.equal(
      (await byId('Asset', String(wo101.AssetId))).WorkLink_AR_Sessions__c,
      1
    );
    assert.equal(
      (await byId('Asset', String(wo103.AssetId))).WorkLink_AR_Sessions__c,
      1
    );
    await assertRollupsMatchSessions();
  });

  it('a refused rollup write does not fail the session, and the sync pass heals it', async () => {
    const wo102 = await workOrder('00000102');
    await control('PUT', '/faults', { lockRowIds: [wo102.Id] });
    try {
      const more = await runToCompletion([
        launch('HVAC-7', '00000102'),
        call('00000102')
      ]);
      assert.deepEqual(statuses(await h.processor.process(eventsOf(more))), [
        'written'
      ]);
    } finally {
      await control('PUT', '/faults', { lockRowIds: [] });
    }
    const sessions = await records('Scope_AR_Session__c');
    assert.equal(expected(sessions, 'Work_Order__c', wo102.Id).calls, 1);
    const stale = await workOrder('00000102');
    assert.equal(
      stale.WorkLink_AR_Sessions__c,
      1,
      'the refused write left the old count'
    );
    assert.equal(stale.WorkLink_AR_Calls__c, 0);

    const summary = await h.pass();
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.errors));
    assert.ok(
      (summary.rollups?.updated ?? 0) >= 1,
      JSON.stringify(summary.rollups)
    );
    const healed = await workOrder('00000102');
    assert.equal(healed.WorkLink_AR_Sessions__c, 2);
    assert.equal(healed.WorkLink_AR_Calls__c, 1);
    await assertRollupsMatchSessions();
  });
});

describe('outcome fields', { timeout: 300_000 }, () => {
  it('first-time fix, repeat visit and the window, equal to report ttr on the same data', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const [assetX, assetY] = await Promise.all(
      ['Kältemaschine «Nord» – Halle 3', 'Chiller/Süd+West=2'].map(
        async (Name) => {
          const [row] = await control<{ id: string }[]>(
            'POST',
            '/records/Asset',
            { Name }
          );
          return (row as { id: string }).id;
        }
      )
    );
    const fixtures: [string, Record<string, unknown>][] = [
      [
        'w1',
        {
          AssetId: assetX,
          Status: 'Completed',
          CreatedDate: iso(now - 60 * DAY),
          EndDate: iso(now - 50 * DAY)
        }
      ],
      [
        'w2',
        {
          AssetId: assetX,
          Status: 'Completed',
          CreatedDate: iso(now - 45 * DAY),
          EndDate: iso(now - 44 * DAY)
        }
      ],
      [
        'w6',
        {
          AssetId: assetX,
          Status: 'Canceled',
          CreatedDate: iso(now - 47 * DAY),
          EndDate: iso(now - 46 * DAY)
        }
      ],
      [
        'w3',
        { AssetId: assetX, Status: 'New', CreatedDate: iso(now - 5 * DAY) }
      ],
      [
        'w4',
        {
          AssetId: assetY,
          Status: 'Completed',
          CreatedDate: iso(now - 10 * DAY),
          EndDate: iso(now - 9 * DAY)
        }
      ],
      [
        'w5',
        {
          Status: 'Completed',
          CreatedDate: iso(now - 20 * DAY),
          EndDate: iso(now - 19 * DAY)
        }
      ]
    ];
    const ids = new Map<string, string>();
    for (const [key, fields] of fixtures) {
      const [row] = await control<{ id: string }[]>(
        'POST',
        '/records/WorkOrder',
        {
          Subject: `Outcome fixture ${key} – 測試`,
          ...fields
        }
      );
      ids.set(key, (row as { id: string }).id);
    }
    const summary = await h.pass();
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.errors));

    const outcome = async (key: string) => {
      const row = await byId('WorkOrder', ids.get(key) as string);
      return [
        row.WorkLink_First_Time_Fix__c,
        row.WorkLink_Repeat_Visit__c,
        row.WorkLink_Outcome_Window_Days__c
      ];
    };
    assert.deepEqual(
      await outcome('w1'),
      [0, 0, 30],
      'w2 followed within 30 days of closure'
    );
    assert.deepEqual(
      await outcome('w2'),
      [1, 1, 30],
      'no follow-up, window passed; created 5 days after w1 closed'
    );
    assert.deepEqual(
      await outcome('w6'),
      [null, 1, 30],
      'canceled: not resolved; created 3 days after w1 closed'
    );
    assert.deepEqual(
      await outcome('w3'),
      [null, 0, 30],
      'open; w2 closed 39 days before it'
    );
    assert.deepEqual(
      await outcome('w4'),
      [null, 0, 30],
      'the window has not passed'
    );
    assert.deepEqual(await outcome('w5'), [null, null, 30], 'no asset');

    // report ttr on the same data: every resolved work order's first-time fix equals the field
    const data = await readTtrData(h.reader, {
      from: new Date(now - 100 * DAY),
      to: new Date(now + DAY),
      resolvedStatuses: OUTCOMES.resolvedStatuses,
      ftfWindowDays: OUTCOMES.windowDays
    });
    assert.ok(
      data.workOrders.length >= 40,
      `${data.workOrders.length} resolved work orders`
    );
    const fields = new Map(
      (await records('WorkOrder')).map((r) => [
        r.Id,
        r.WorkLink_First_Time_Fix__c
      ])
    );
    const flag = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
    const differ = data.workOrders
      .filter(
        (w) => flag(w.firstTimeFix) !== (fields.get(w.workOrderId) ?? null)
      )
      .map(
        (w) =>
          `${w.workOrderId}: ttr ${String(w.firstTimeFix)}, field ${String(fields.get(w.workOrderId))}`
      );
    assert.deepEqual(differ, []);
    assert.ok(data.workOrders.some((w) => w.firstTimeFix === false));
    assert.ok(data.workOrders.some((w) => w.firstTimeFix === true));
  });
});

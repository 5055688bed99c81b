// The pure parts of the rollups: the values computed from session rows, what counts as "unchanged",
// and first-time fix / repeat visit on one asset's work orders (outcome-definitions.ts, which report
// ttr shares), including the edges of the window.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assetRollup,
  caseRollup,
  sameStored,
  workOrderRollup
} from '../../../connector/src/rollups/compute-rollups.ts';
import { computeOutcomes } from '../../../connector/src/rollups/compute-outcomes.ts';
import {
  closedAt,
  DAY_MS
} from '../../../connector/src/rollups/outcome-definitions.ts';

const WO = '0WO8d00000AbCdEFGH';
const ASSET = '02i8d00000ZzQ4xAAB';
const settings = { windowDays: 30, resolvedStatuses: ['Completed', 'Closed'] };

describe('rollup values', () => {
  const rows = [
    {
      Work_Order__c: WO,
      Kind__c: 'Scenario Session',
      Started_At__c: '2026-02-01T10:00:00.000+0000',
      Duration_Seconds__c: 90
    },
    {
      Work_Order__c: WO,
      Kind__c: 'Call',
      Started_At__c: '2026-02-01T09:00:00.000+0000',
      Duration_Seconds__c: 31.5
    },
    {
      Work_Order__c: WO,
      Kind__c: null,
      Started_At__c: null,
      Duration_Seconds__c: null
    }
  ];

  it('counts sessions (any kind but Call) and calls, the first and last start, and minutes to 2 places', () => {
    assert.deepEqual(workOrderRollup(rows), {
      WorkLink_AR_Sessions__c: 2,
      WorkLink_AR_Calls__c: 1,
      WorkLink_First_AR_Start__c: '2026-02-01T09:00:00.000Z',
      WorkLink_Last_AR_Start__c: '2026-02-01T10:00:00.000Z',
      WorkLink_AR_Minutes__c: 2.03,
      WorkLink_AR_Used__c: true
    });
    assert.deepEqual(assetRollup(rows), {
      WorkLink_AR_Sessions__c: 2,
      WorkLink_AR_Calls__c: 1,
      WorkLink_Last_AR_Session__c: '2026-02-01T10:00:00.000Z'
    });
    assert.deepEqual(caseRollup(rows), { WorkLink_AR_Calls__c: 1 });
  });

  it('is zero and blank without sessions (a parent every session left)', () => {
    assert.deepEqual(workOrderRollup([]), {
      WorkLink_AR_Sessions__c: 0,
      WorkLink_AR_Calls__c: 0,
      WorkLink_First_AR_Start__c: null,
      WorkLink_Last_AR_Start__c: null,
      WorkLink_AR_Minutes__c: 0,
      WorkLink_AR_Used__c: false
    });
  });

  it('compares stored values as Salesforce returns them', () => {
    assert.ok(
      sameStored('2026-02-01T09:00:00.000Z', '2026-02-01T09:00:00.000+0000')
    );
    assert.ok(sameStored(2.03, 2.03));
    assert.ok(!sameStored(2, 1));
    assert.ok(!sameStored(0, null), 'a blank first-time fix is not 0');
    assert.ok(
      sameStored(0, null, true),
      'a blank count is 0 for a parent without AR'
    );
    assert.ok(!sameStored(1, null, true));
  });
});

describe('outcomes on one asset', () => {
  const now = new Date('2026-06-30T00:00:00Z');
  const at = (days: number) =>
    new Date(now.getTime() + days * DAY_MS).toISOString();
  const wo = (Id: string, fields: Record<string, unknown>) =>
    ({
      Id,
      AssetId: ASSET,
      LastModifiedDate: at(0),
      ...fields
    }) as Parameters<typeof closedAt>[0];

  it('a follow-up exactly N days after closure still counts; one second later does not', () => {
    const first = wo('a', {
      Status: 'Completed',
      IsClosed: true,
      CreatedDate: at(-100),
      EndDate: at(-90)
    });
    const onEdge = wo('b', {
      Status: 'New',
      IsClosed: false,
      CreatedDate: at(-60)
    });
    const outcomes = computeOutcomes([first, onEdge], settings, now);
    assert.equal(outcomes.get('a')?.WorkLink_First_Time_Fix__c, 0);
    assert.equal(outcomes.get('b')?.WorkLink_Repeat_Visit__c, 1);
    const later = wo('b', {
      Status: 'New',
      IsClosed: false,
      CreatedDate: new Date(Date.parse(at(-60)) + 1000).toISOString()
    });
    const after = computeOutcomes([first, later], settings, now);
    assert.equal(after.get('a')?.WorkLink_First_Time_Fix__c, 1);
    assert.equal(after.get('b')?.WorkLink_Repeat_Visit__c, 0);
  });

  it('is unknown while the window runs, and for open or unresolved work orders', () => {
    const recent = wo('r', {
      Status: 'Closed',
      IsClosed: true,
      CreatedDate: at(-12),
      EndDate: at(-10)
    });
    const canceled = wo('c', {
      Status: 'Canceled',
      IsClosed: true,
      CreatedDate: at(-80),
      EndDate: at(-70)
    });
    const open = wo('o', {
      Status: 'In Progress',
      IsClosed: false,
      CreatedDate: at(-1)
    });
    const running = computeOutcomes([recent, canceled], settings, now);
    assert.equal(running.get('r')?.WorkLink_First_Time_Fix__c, null);
    assert.equal(running.get('c')?.WorkLink_First_Time_Fix__c, null);
    // a canceled work order's closure does not make the next one a repeat visit
    assert.equal(running.get('r')?.WorkLink_Repeat_Visit__c, 0);
    const outcomes = computeOutcomes([recent, canceled, open], settings, now);
    assert.equal(outcomes.get('o')?.WorkLink_First_Time_Fix__c, null);
    assert.equal(
      outcomes.get('r')?.WorkLink_First_Time_Fix__c,
      0,
      'o followed r within the window'
    );
    assert.equal(
      outcomes.get('o')?.WorkLink_Repeat_Visit__c,
      1,
      'created 9 days after r closed'
    );
    assert.equal(outcomes.get('o')?.WorkLink_Outcome_Window_Days__c, 30);
  });

  it('closes at EndDate, else LastModifiedDate; never while open', () => {
    assert.equal(
      closedAt(wo('x', { IsClosed: true, CreatedDate: at(-3) })),
      Date.parse(at(0))
    );
    assert.equal(
      closedAt(
        wo('x', { IsClosed: true, CreatedDate: at(-3), EndDate: at(-2) })
      ),
      Date.parse(at(-2))
    );
    assert.equal(
      closedAt(
        wo('x', { IsClosed: false, CreatedDate: at(-3), EndDate: at(-2) })
      ),
      null
    );
  });
});

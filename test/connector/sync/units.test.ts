// Pure parts of the sync and the report: content hashing, the staleness rule of reconciliation,
// normalisation of a node into analytics rows, percentiles, and the report formats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MappedNode } from '../../../connector/src/mapping/index.ts';
import { formatTtr } from '../../../connector/src/report/format-ttr.ts';
import { buildTtrReport } from '../../../connector/src/report/ttr-report.ts';
import { percentile } from '../../../connector/src/report/ttr-stats.ts';
import type { ResolvedWorkOrder } from '../../../connector/src/report/ttr-stats.ts';
import {
  canonicalJson,
  contentHash
} from '../../../connector/src/sync/content-hash.ts';
import { normalizeNode } from '../../../connector/src/sync/normalize-node.ts';
import { staleReason } from '../../../connector/src/sync/reconciler.ts';
import { MAPPING, PATHS } from './helpers/sync-harness.ts';

describe('content hash', () => {
  it('ignores key order and undefined values but sees every value change', () => {
    assert.equal(
      contentHash({ a: 1, b: { c: [1, 2], d: 'x' } }),
      contentHash({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined })
    );
    assert.notEqual(
      contentHash({ a: 1, b: { c: [1, 2] } }),
      contentHash({ a: 1, b: { c: [2, 1] } })
    );
    assert.notEqual(contentHash({ a: null }), contentHash({}));
    assert.equal(canonicalJson({ b: 1, a: 'é' }), '{"a":"é","b":1}');
  });
});

const mapped = (overrides: Partial<MappedNode> = {}): MappedNode =>
  ({
    Scope_Id__c: 'S1',
    State__c: 'COMPLETED',
    Scope_Updated_At__c: '2025-05-01T10:00:00.000Z',
    Started_At__c: '2025-05-01T09:00:00.000Z',
    Ended_At__c: '2025-05-01T10:00:00.000Z',
    Duration_Seconds__c: 3600,
    Idle_Duration_Seconds__c: 12.5,
    Steps_Viewed__c: 6,
    Steps_Possible__c: 6,
    ...overrides
  }) as MappedNode;

describe('staleReason', () => {
  const stored = {
    Scope_Id__c: 'S1',
    State__c: 'COMPLETED',
    Scope_Updated_At__c: '2025-05-01T10:00:00.000+0000',
    Started_At__c: '2025-05-01T09:00:00.000+0000',
    Ended_At__c: '2025-05-01T10:00:00.000+0000',
    Duration_Seconds__c: 3600,
    Idle_Duration_Seconds__c: 12.5,
    Steps_Viewed__c: 6,
    Steps_Possible__c: 6
  };
  it('is current when Salesforce holds the same state in its own formats', () => {
    assert.equal(staleReason(mapped(), stored), null);
  });
  it('repairs a missing record and any differing field', () => {
    assert.equal(staleReason(mapped(), undefined), 'missing in Salesforce');
    assert.equal(
      staleReason(mapped({ Idle_Duration_Seconds__c: 17.5 }), stored),
      'Idle_Duration_Seconds__c differs'
    );
    assert.equal(
      staleReason(mapped({ State__c: 'ABANDONED' }), stored),
      'State__c differs'
    );
    assert.equal(
      staleReason(mapped({ Ended_At__c: null }), stored),
      'Ended_At__c differs'
    );
  });
  it('leaves a record alone when Salesforce already holds a later state', () => {
    assert.equal(
      staleReason(
        mapped({
          State__c: 'IN_PROGRESS',
          Scope_Updated_At__c: '2025-05-01T09:30:00Z'
        }),
        stored
      ),
      null
    );
  });
});

describe('normalizeNode', () => {
  const node = {
    __typename: 'ScenarioSession',
    id: 'U2Vzc2lvbjox',
    databaseId: '1',
    state: 'COMPLETED',
    startedAt: '2025-05-01T09:00:00Z',
    endedAt: '2025-05-01T09:10:00Z',
    duration: 600,
    idleDuration: 5,
    numberOfStepsPossible: 2,
    numberOfStepsViewed: 2,
    percentOfStepsViewed: 100,
    externalData: {
      work_order_number: '00000101',
      case_id: '500000000000001AAA'
    },
    scenarioRelease: { version: '3', scenario: { name: 'Pump' } },
    wl_scenarioRelease: {
      id: 'R1',
      databaseId: '9',
      version: '3',
      scenario: { id: 'SC1', databaseId: '4', name: 'Pump' }
    },
    wl_user: {
      id: 'U1',
      databaseId: '7',
      name: 'Alex Tech',
      email: 'alex@example.test'
    },
    wl_steps: {
      nodes: [
        { id: 'ST1', scenarioStep: { id: 'X1', name: 'Open', orderIndex: 0 } }
      ],
      pageInfo: { hasNextPage: false }
    },
    wl_events: {
      nodes: [
        {
          id: 'E1',
          type: 'STEP_VIEWED',
          createdAt: '2025-05-01T09:01:00Z',
          eventData: '{"user_name":"Alex"}'
        },
        {
          id: 'E2',
          type: 'PHOTO',
          photo: {
            id: 'P1',
            fileName: 'a.png',
            fileContentType: 'image/png',
            fileSize: 68,
            fileUrl: 'https://x/expiring'
          }
        }
      ],
      pageInfo: { hasNextPage: true }
    }
  };
  it('turns a session into rows with photo metadata but no file URL', () => {
    const result = normalizeNode('ScenarioSession', node, {
      mapping: MAPPING,
      paths: PATHS
    });
    assert.ok(result.ok && result.value.kind === 'ScenarioSession');
    const { row, steps, events, users, scenarios, releases, truncated } =
      result.value;
    assert.equal(row.work_order_number, '00000101');
    assert.equal(row.work_order_id, null);
    assert.equal(row.scenario_id, 'SC1');
    assert.equal(row.release_id, 'R1');
    assert.equal(row.user_id, 'U1');
    assert.equal(row.duration_seconds, 600);
    assert.equal(row.photo_count, 1);
    assert.equal(steps[0]?.step_name, 'Open');
    assert.deepEqual(events[0]?.event_data, { user_name: 'Alex' });
    assert.equal(events[1]?.has_photo, true);
    assert.equal(events[1]?.photo_file_name, 'a.png');
    assert.ok(!JSON.stringify(result.value).includes('expiring'));
    assert.equal(users[0]?.name, 'Alex Tech');
    assert.equal(scenarios[0]?.name, 'Pump');
    assert.equal(releases[0]?.scenario_id, 'SC1');
    assert.deepEqual(truncated, ['events']);
  });
  it('hashes the node content: any change gives another hash', () => {
    const a = normalizeNode('ScenarioSession', node, {
      mapping: MAPPING,
      paths: PATHS
    });
    const b = normalizeNode(
      'ScenarioSession',
      { ...node, idleDuration: 6 },
      { mapping: MAPPING, paths: PATHS }
    );
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.value.row.content_hash, b.value.row.content_hash);
  });
  it('rejects a node without id', () => {
    const result = normalizeNode(
      'Call',
      { state: 'ENDED' },
      { mapping: MAPPING, paths: PATHS }
    );
    assert.equal(result.ok, false);
  });
});

describe('time-to-resolution statistics', () => {
  it('interpolates percentiles like percentile_cont', () => {
    assert.equal(percentile([], 0.5), null);
    assert.equal(percentile([4], 0.9), 4);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2.5);
    assert.ok(
      Math.abs((percentile([1, 2, 3, 4, 10], 0.9) as number) - 7.6) < 1e-9
    );
  });
  const wo = (
    id: string,
    hours: number,
    arCalls: number,
    scenarioSessions: number,
    firstTimeFix: boolean | null
  ): ResolvedWorkOrder => ({
    workOrderId: id,
    workOrderNumber: id,
    status: 'Closed',
    assetId: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    closedAt: new Date(
      Date.parse('2025-01-01T00:00:00Z') + hours * 3_600_000
    ).toISOString(),
    resolutionHours: hours,
    arCalls,
    scenarioSessions,
    firstTimeFix
  });
  const options = {
    from: new Date('2025-01-01'),
    to: new Date('2025-02-01'),
    resolvedStatuses: ['Closed'],
    ftfWindowDays: 30
  };
  const report = buildTtrReport(
    {
      workOrders: [
        wo('a', 10, 1, 0, true),
        wo('b', 20, 2, 1, null),
        wo('c', 40, 0, 1, false),
        wo('d', 80, 0, 0, true)
      ],
      excluded: 1
    },
    options
  );
  it('groups with and without AR calls and sessions, with differences', () => {
    const by = (g: string) => report.groups.find((x) => x.group === g);
    assert.equal(by('with_ar_call')?.workOrders, 2);
    assert.equal(by('with_ar_call')?.medianHours, 15);
    assert.equal(by('without_ar_call')?.medianHours, 60);
    assert.equal(report.differences.arCall.medianHours, -45);
    assert.equal(by('with_scenario_session')?.medianHours, 30);
    assert.equal(by('all')?.firstTimeFixKnown, 3);
    assert.equal(by('all')?.firstTimeFixRate, 0.6667);
  });
  it('renders CSV, JSON and a table', () => {
    const csv = formatTtr(report, 'csv').split('\n');
    assert.equal(
      csv[0],
      'group,work_orders,median_hours,p90_hours,mean_hours,ftf_known,ftf_rate'
    );
    assert.equal(csv.length, 6);
    assert.match(csv[2] ?? '', /^with_ar_call,2,15,/);
    assert.equal(
      JSON.parse(formatTtr(report, 'json')).differences.arCall.medianHours,
      -45
    );
    assert.match(
      formatTtr(report, 'table'),
      /AR call difference: median -45 h/
    );
  });
});

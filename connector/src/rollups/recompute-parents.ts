// Recomputes the rollups of some work orders, assets and cases, and the outcome fields of every work
// order on those assets, from what Salesforce holds now; writes only the values that differ, in
// Collections updates (≤ 200 records per call). Reads: one SOQL query each (per URL-sized IN-list) for
// the work orders (the touched ones and their asset siblings), their sessions, the assets and the cases.
import { SESSION_OBJECT } from '../mapping/session-record.ts';
import { queryInLists } from '../salesforce/index.ts';
import type {
  RecordUpdate,
  SalesforceClient,
  UpdateResult
} from '../salesforce/index.ts';
import {
  assetRollup,
  caseRollup,
  sameStored,
  workOrderRollup
} from './compute-rollups.ts';
import type { RollupSessionRow } from './compute-rollups.ts';
import { computeOutcomes } from './compute-outcomes.ts';
import type { OutcomeSettings } from './compute-outcomes.ts';
import type { OutcomeWorkOrder } from './outcome-definitions.ts';

export interface ParentIds {
  workOrders: ReadonlySet<string>;
  assets: ReadonlySet<string>;
  cases: ReadonlySet<string>;
}

export type RollupClient = Pick<SalesforceClient, 'query' | 'updateRecords'>;

export interface RecomputeResult {
  /** Parent records whose values were compared. */
  checked: number;
  /** Records written (their values differed). */
  updated: number;
  failed: UpdateResult[];
}

type Row = Record<string, unknown> & { Id: string };
type WorkOrderRow = OutcomeWorkOrder & Row;

const uniqueById = <T extends Row>(rows: readonly T[]): T[] => [
  ...new Map(rows.map((r) => [r.Id, r])).values()
];

/** The touched work orders and every work order of the touched assets. */
async function readWorkOrders(
  client: RollupClient,
  parents: ParentIds
): Promise<WorkOrderRow[]> {
  if (parents.workOrders.size === 0 && parents.assets.size === 0) return [];
  const rows = await queryInLists<WorkOrderRow>(client, 'rollupWorkOrders', {
    select:
      'SELECT Id, AssetId, Status, StatusCategory, IsClosed, CreatedDate, EndDate, LastModifiedDate, WorkLink_AR_Sessions__c, WorkLink_AR_Calls__c, WorkLink_First_AR_Start__c, WorkLink_Last_AR_Start__c, WorkLink_AR_Minutes__c, WorkLink_AR_Used__c, WorkLink_First_Time_Fix__c, WorkLink_Repeat_Visit__c, WorkLink_Outcome_Window_Days__c FROM WorkOrder',
    lists: [
      { field: 'Id', values: [...parents.workOrders] },
      { field: 'AssetId', values: [...parents.assets] }
    ]
  });
  return uniqueById(rows);
}

/** Every session linked to one of the parents (rows found through two lookups come once). */
async function readSessions(
  client: RollupClient,
  parents: ParentIds
): Promise<RollupSessionRow[]> {
  const rows = await queryInLists<RollupSessionRow & Row>(
    client,
    'rollupSessions',
    {
      select: `SELECT Id, Work_Order__c, Asset__c, Case__c, Kind__c, Started_At__c, Duration_Seconds__c FROM ${SESSION_OBJECT}`,
      lists: [
        { field: 'Work_Order__c', values: [...parents.workOrders] },
        { field: 'Asset__c', values: [...parents.assets] },
        { field: 'Case__c', values: [...parents.cases] }
      ]
    }
  );
  return uniqueById(rows);
}

async function readAssets(client: RollupClient, ids: ReadonlySet<string>) {
  if (ids.size === 0) return [];
  return queryInLists<Row>(client, 'rollupAssets', {
    select:
      'SELECT Id, WorkLink_AR_Sessions__c, WorkLink_AR_Calls__c, WorkLink_Last_AR_Session__c FROM Asset',
    lists: [{ field: 'Id', values: [...ids] }]
  });
}

async function readCases(client: RollupClient, ids: ReadonlySet<string>) {
  if (ids.size === 0) return [];
  return queryInLists<Row>(client, 'rollupCases', {
    select: 'SELECT Id, WorkLink_AR_Calls__c FROM Case',
    lists: [{ field: 'Id', values: [...ids] }]
  });
}

/** The fields of `computed` whose stored value differs (rollups: a blank stored count is 0). */
function changed(
  stored: Row,
  computed: Readonly<Record<string, unknown>>,
  blankIsZero: boolean
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(computed).filter(
      ([f, v]) => !sameStored(v, stored[f], blankIsZero)
    )
  );
}

const sessionsOf = (
  sessions: readonly RollupSessionRow[],
  key: 'Work_Order__c' | 'Asset__c' | 'Case__c',
  id: string
) => sessions.filter((s) => s[key] === id);

/**
 * A closed work order without EndDate closes at its LastModifiedDate (the shared definition), which
 * any write moves: its outcome fields are left alone so the connector cannot shift what it measures.
 */
const outcomeWritable = (row: WorkOrderRow) =>
  !(row.IsClosed === true && !row.EndDate);

/** Nothing but zeros, blanks and false: a parent without AR, whose blank fields already say so. */
const withoutAr = (values: Readonly<Record<string, unknown>>) =>
  Object.values(values).every((v) => v === 0 || v === false || v === null);

/** The updates that bring each parent to its recomputed values. */
function plannedUpdates(
  parents: ParentIds,
  workOrders: readonly WorkOrderRow[],
  sessions: readonly RollupSessionRow[],
  assets: readonly Row[],
  cases: readonly Row[],
  outcomes: ReturnType<typeof computeOutcomes>
): RecordUpdate[] {
  const updates: RecordUpdate[] = [];
  const add = (
    sobject: string,
    stored: Row,
    rollup: object,
    outcome: object = {}
  ) => {
    const values = rollup as Record<string, unknown>;
    const fields = {
      ...changed(stored, values, withoutAr(values)),
      ...changed(stored, outcome as Record<string, unknown>, false)
    };
    if (Object.keys(fields).length > 0)
      updates.push({ sobject, id: stored.Id, fields });
  };
  for (const row of workOrders) {
    const rollup = parents.workOrders.has(row.Id)
      ? workOrderRollup(sessionsOf(sessions, 'Work_Order__c', row.Id))
      : {};
    // Outcomes need every work order of the asset: only for assets read whole.
    const wholeAsset = !row.AssetId || parents.assets.has(row.AssetId);
    const outcome =
      wholeAsset && outcomeWritable(row) ? outcomes.get(row.Id) : undefined;
    add('WorkOrder', row, rollup, outcome);
  }
  for (const row of assets)
    add('Asset', row, assetRollup(sessionsOf(sessions, 'Asset__c', row.Id)));
  for (const row of cases)
    add('Case', row, caseRollup(sessionsOf(sessions, 'Case__c', row.Id)));
  return updates;
}

/** Recomputes `parents` and writes what differs; throws only when a read or a whole call fails. */
export async function recomputeParents(
  client: RollupClient,
  parents: ParentIds,
  settings: OutcomeSettings,
  now: Date
): Promise<RecomputeResult> {
  const workOrders = await readWorkOrders(client, parents);
  const hasRollups =
    parents.workOrders.size + parents.assets.size + parents.cases.size > 0;
  const sessions = hasRollups ? await readSessions(client, parents) : [];
  const assets = await readAssets(client, parents.assets);
  const cases = await readCases(client, parents.cases);
  const outcomes = computeOutcomes(workOrders, settings, now);
  const updates = plannedUpdates(
    parents,
    workOrders,
    sessions,
    assets,
    cases,
    outcomes
  );
  const results =
    updates.length > 0
      ? await client.updateRecords('updateRollups', updates)
      : [];
  return {
    checked: workOrders.length + assets.length + cases.length,
    updated: results.filter((r) => r.success).length,
    failed: results.filter((r) => !r.success)
  };
}

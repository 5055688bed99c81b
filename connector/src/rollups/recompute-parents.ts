// Recomputes the rollups of some work orders, assets and cases, and the outcome fields of every work
// order on those assets, from what Salesforce holds now; writes only the values that differ, in
// Collections updates (≤ 200 records per call). Reads: one SOQL query each (per URL-sized IN-list) for
// the work orders (the touched ones and their asset siblings) and for the sessions, which also carry
// their assets' and cases' stored values.
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
      // The assets' and cases' stored values come along (no query of their own).
      select: `SELECT Id, Work_Order__c, Asset__c, Case__c, Kind__c, Started_At__c, Duration_Seconds__c, Asset__r.WorkLink_AR_Sessions__c, Asset__r.WorkLink_AR_Calls__c, Asset__r.WorkLink_Last_AR_Session__c, Case__r.WorkLink_AR_Calls__c FROM ${SESSION_OBJECT}`,
      lists: [
        { field: 'Work_Order__c', values: [...parents.workOrders] },
        { field: 'Asset__c', values: [...parents.assets] },
        { field: 'Case__c', values: [...parents.cases] }
      ]
    }
  );
  return uniqueById(rows);
}

/**
 * Each asset's or case's stored values, as its sessions' rows carry them (`Asset__r`, `Case__r`). A
 * parent no session links to any more (its last one left) has none: `known` false, written in full.
 */
function storedOf(
  sessions: readonly RollupSessionRow[],
  ids: ReadonlySet<string>,
  key: 'Asset__c' | 'Case__c',
  relationship: 'Asset__r' | 'Case__r'
): { row: Row; known: boolean }[] {
  return [...ids].map((id) => {
    const parent = sessions.find((s) => s[key] === id)?.[relationship];
    return parent
      ? { row: { ...parent, Id: id }, known: true }
      : { row: { Id: id }, known: false };
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
  outcomes: ReturnType<typeof computeOutcomes>
): RecordUpdate[] {
  const updates: RecordUpdate[] = [];
  const add = (
    sobject: string,
    stored: Row,
    rollup: object,
    outcome: object = {},
    known = true
  ) => {
    const values = rollup as Record<string, unknown>;
    const fields = {
      ...(known ? changed(stored, values, withoutAr(values)) : values),
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
  for (const { row, known } of storedOf(
    sessions,
    parents.assets,
    'Asset__c',
    'Asset__r'
  ))
    add(
      'Asset',
      row,
      assetRollup(sessionsOf(sessions, 'Asset__c', row.Id)),
      {},
      known
    );
  for (const { row, known } of storedOf(
    sessions,
    parents.cases,
    'Case__c',
    'Case__r'
  ))
    add(
      'Case',
      row,
      caseRollup(sessionsOf(sessions, 'Case__c', row.Id)),
      {},
      known
    );
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
  const outcomes = computeOutcomes(workOrders, settings, now);
  const updates = plannedUpdates(parents, workOrders, sessions, outcomes);
  const results =
    updates.length > 0
      ? await client.updateRecords('updateRollups', updates)
      : [];
  return {
    checked: workOrders.length + parents.assets.size + parents.cases.size,
    updated: results.filter((r) => r.success).length,
    failed: results.filter((r) => !r.success)
  };
}

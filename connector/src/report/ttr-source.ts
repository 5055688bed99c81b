// Reads what the time-to-resolution report needs from Salesforce, by SOQL: the resolved work orders of
// the period, the Scope_AR_Session__c records linked to them (calls and scenario sessions), and the
// later work orders on the same assets (for first-time fix).
import { SESSION_OBJECT } from '../mapping/session-record.ts';
import { queryInLists } from '../salesforce/index.ts';
import type { SoqlReader } from '../salesforce/index.ts';
import type { ResolvedWorkOrder } from './ttr-stats.ts';
import {
  closedAt as closedAtOf,
  DAY_MS,
  firstTimeFix,
  isResolved
} from '../rollups/outcome-definitions.ts';
import type { OutcomeWorkOrder } from '../rollups/outcome-definitions.ts';

export interface TtrSourceOptions {
  from: Date;
  to: Date;
  /** StatusCategory (else Status) values that mean "resolved" (default Completed, Closed). */
  resolvedStatuses: readonly string[];
  /** A later work order on the same asset within this many days of closure = not a first-time fix. */
  ftfWindowDays: number;
  now?: Date;
}

interface WorkOrderRow extends OutcomeWorkOrder {
  WorkOrderNumber?: string | null;
}

const literal = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface TtrData {
  workOrders: ResolvedWorkOrder[];
  /** Closed in the period but not resolved (e.g. Canceled, Cannot Complete). */
  excluded: number;
}

interface ClosedInPeriod {
  row: WorkOrderRow;
  closedAt: number;
}

interface ArCounts {
  calls: number;
  sessions: number;
}

/** The work orders closed in [from, to) with a resolved status, and how many closed ones were not. */
async function readClosedInPeriod(
  reader: SoqlReader,
  options: TtrSourceOptions
): Promise<{ inPeriod: ClosedInPeriod[]; excluded: number }> {
  // A work order closed in [from, to) was last modified at or after its closure, hence after `from`.
  const closed = await reader.query<WorkOrderRow>(
    'ttrWorkOrders',
    `SELECT Id, WorkOrderNumber, Status, StatusCategory, AssetId, CreatedDate, EndDate, LastModifiedDate FROM WorkOrder WHERE IsClosed = true AND LastModifiedDate >= ${literal(options.from)}`
  );
  let excluded = 0;
  const inPeriod: ClosedInPeriod[] = [];
  for (const row of closed) {
    const closedAt = closedAtOf(row);
    if (
      closedAt === null ||
      closedAt < options.from.getTime() ||
      closedAt >= options.to.getTime()
    )
      continue;
    if (!isResolved(row, options.resolvedStatuses)) {
      excluded += 1;
      continue;
    }
    inPeriod.push({ row, closedAt });
  }
  return { inPeriod, excluded };
}

/** Calls and scenario sessions (Scope_AR_Session__c by Kind__c) linked to each work order. */
async function countArRecords(
  reader: SoqlReader,
  workOrderIds: string[]
): Promise<Map<string, ArCounts>> {
  const ar = new Map<string, ArCounts>();
  const arRows = await queryInLists<{
    Work_Order__c: string;
    Kind__c: string | null;
  }>(reader, 'ttrArRecords', {
    select: `SELECT Work_Order__c, Kind__c FROM ${SESSION_OBJECT}`,
    lists: [{ field: 'Work_Order__c', values: workOrderIds }]
  });
  for (const row of arRows) {
    const entry = ar.get(row.Work_Order__c) ?? { calls: 0, sessions: 0 };
    if (row.Kind__c === 'Call') entry.calls += 1;
    else entry.sessions += 1;
    ar.set(row.Work_Order__c, entry);
  }
  return ar;
}

/** Creation times of the work orders on each asset since `from` (the later visits of first-time fix). */
async function readWorkOrderTimesByAsset(
  reader: SoqlReader,
  inPeriod: ClosedInPeriod[],
  from: Date
): Promise<Map<string, number[]>> {
  const assets = [
    ...new Set(
      inPeriod
        .map((w) => w.row.AssetId)
        .filter((a): a is string => typeof a === 'string' && a !== '')
    )
  ];
  const byAsset = new Map<string, number[]>();
  const assetRows = await queryInLists<{
    Id: string;
    AssetId: string;
    CreatedDate: string;
  }>(reader, 'ttrAssetWorkOrders', {
    select: 'SELECT Id, AssetId, CreatedDate FROM WorkOrder',
    lists: [{ field: 'AssetId', values: assets }],
    and: `CreatedDate >= ${literal(from)}`
  });
  for (const row of assetRows) {
    const list = byAsset.get(row.AssetId) ?? [];
    list.push(Date.parse(row.CreatedDate));
    byAsset.set(row.AssetId, list);
  }
  return byAsset;
}

function firstTimeFixOf(
  { row, closedAt }: ClosedInPeriod,
  laterByAsset: Map<string, number[]>,
  windowMs: number,
  now: Date
): boolean | null {
  return firstTimeFix(
    row.AssetId,
    closedAt,
    row.AssetId ? (laterByAsset.get(row.AssetId) ?? []) : [],
    windowMs,
    now
  );
}

function toResolvedWorkOrder(
  { row, closedAt }: ClosedInPeriod,
  counts: ArCounts,
  ftf: boolean | null
): ResolvedWorkOrder {
  const createdAt = Date.parse(row.CreatedDate);
  return {
    workOrderId: row.Id,
    workOrderNumber: row.WorkOrderNumber ?? null,
    status: row.Status ?? null,
    assetId: row.AssetId ?? null,
    createdAt: new Date(createdAt).toISOString(),
    closedAt: new Date(closedAt).toISOString(),
    resolutionHours:
      Math.round(((closedAt - createdAt) / 3_600_000) * 100) / 100,
    arCalls: counts.calls,
    scenarioSessions: counts.sessions,
    firstTimeFix: ftf
  };
}

export async function readTtrData(
  reader: SoqlReader,
  options: TtrSourceOptions
): Promise<TtrData> {
  const now = options.now ?? new Date();
  const { inPeriod, excluded } = await readClosedInPeriod(reader, options);
  const ar = await countArRecords(
    reader,
    inPeriod.map((w) => w.row.Id)
  );
  const laterByAsset = await readWorkOrderTimesByAsset(
    reader,
    inPeriod,
    options.from
  );
  const windowMs = options.ftfWindowDays * DAY_MS;
  const workOrders = inPeriod.map((w) =>
    toResolvedWorkOrder(
      w,
      ar.get(w.row.Id) ?? { calls: 0, sessions: 0 },
      firstTimeFixOf(w, laterByAsset, windowMs, now)
    )
  );
  // A closure before the creation (bad data) is not a resolution time: counted as excluded.
  return {
    workOrders: workOrders.filter((w) => w.resolutionHours >= 0),
    excluded: excluded + workOrders.filter((w) => w.resolutionHours < 0).length
  };
}

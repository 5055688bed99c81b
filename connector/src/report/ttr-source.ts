// Reads what the time-to-resolution report needs from Salesforce, by SOQL: the resolved work orders of
// the period, the Scope_AR_Session__c records linked to them (calls and scenario sessions), and the
// later work orders on the same assets (for first-time fix).
import { SESSION_OBJECT } from '../mapping/session-record.ts';
import { queryInLists } from '../salesforce/index.ts';
import type { SoqlReader } from '../salesforce/index.ts';
import type { ResolvedWorkOrder } from './ttr-stats.ts';

export interface TtrSourceOptions {
  from: Date;
  to: Date;
  /** StatusCategory (else Status) values that mean "resolved" (default Completed, Closed). */
  resolvedStatuses: readonly string[];
  /** A later work order on the same asset within this many days of closure = not a first-time fix. */
  ftfWindowDays: number;
  now?: Date;
}

interface WorkOrderRow {
  Id: string;
  WorkOrderNumber?: string | null;
  Status?: string | null;
  StatusCategory?: string | null;
  AssetId?: string | null;
  CreatedDate: string;
  EndDate?: string | null;
  LastModifiedDate: string;
}

const DAY_MS = 86_400_000;
const literal = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface TtrData {
  workOrders: ResolvedWorkOrder[];
  /** Closed in the period but not resolved (e.g. Canceled, Cannot Complete). */
  excluded: number;
}

export async function readTtrData(
  reader: SoqlReader,
  options: TtrSourceOptions
): Promise<TtrData> {
  const now = options.now ?? new Date();
  const resolved = new Set(
    options.resolvedStatuses.map((s) => s.toLowerCase())
  );
  // A work order closed in [from, to) was last modified at or after its closure, hence after `from`.
  const closed = await reader.query<WorkOrderRow>(
    'ttrWorkOrders',
    `SELECT Id, WorkOrderNumber, Status, StatusCategory, AssetId, CreatedDate, EndDate, LastModifiedDate FROM WorkOrder WHERE IsClosed = true AND LastModifiedDate >= ${literal(options.from)}`
  );
  let excluded = 0;
  const inPeriod: { row: WorkOrderRow; closedAt: number }[] = [];
  for (const row of closed) {
    // WorkOrder has no ClosedDate: EndDate is when the work ended; LastModifiedDate stands in without it.
    const closedAt = Date.parse(row.EndDate ?? row.LastModifiedDate);
    if (
      Number.isNaN(closedAt) ||
      closedAt < options.from.getTime() ||
      closedAt >= options.to.getTime()
    )
      continue;
    const category = (row.StatusCategory ?? row.Status ?? '').toLowerCase();
    if (!resolved.has(category)) {
      excluded += 1;
      continue;
    }
    inPeriod.push({ row, closedAt });
  }

  const ar = new Map<string, { calls: number; sessions: number }>();
  const arRows = await queryInLists<{
    Work_Order__c: string;
    Kind__c: string | null;
  }>(reader, 'ttrArRecords', {
    select: `SELECT Work_Order__c, Kind__c FROM ${SESSION_OBJECT}`,
    lists: [{ field: 'Work_Order__c', values: inPeriod.map((w) => w.row.Id) }]
  });
  for (const row of arRows) {
    const entry = ar.get(row.Work_Order__c) ?? { calls: 0, sessions: 0 };
    if (row.Kind__c === 'Call') entry.calls += 1;
    else entry.sessions += 1;
    ar.set(row.Work_Order__c, entry);
  }

  const assets = [
    ...new Set(
      inPeriod
        .map((w) => w.row.AssetId)
        .filter((a): a is string => typeof a === 'string' && a !== '')
    )
  ];
  const laterByAsset = new Map<string, number[]>();
  const assetRows = await queryInLists<{
    Id: string;
    AssetId: string;
    CreatedDate: string;
  }>(reader, 'ttrAssetWorkOrders', {
    select: 'SELECT Id, AssetId, CreatedDate FROM WorkOrder',
    lists: [{ field: 'AssetId', values: assets }],
    and: `CreatedDate >= ${literal(options.from)}`
  });
  for (const row of assetRows) {
    const list = laterByAsset.get(row.AssetId) ?? [];
    list.push(Date.parse(row.CreatedDate));
    laterByAsset.set(row.AssetId, list);
  }

  const windowMs = options.ftfWindowDays * DAY_MS;
  const workOrders = inPeriod.map(({ row, closedAt }): ResolvedWorkOrder => {
    const createdAt = Date.parse(row.CreatedDate);
    let firstTimeFix: boolean | null = null;
    if (row.AssetId) {
      const followUp = (laterByAsset.get(row.AssetId) ?? []).some(
        (t) => t > closedAt && t <= closedAt + windowMs
      );
      if (followUp) firstTimeFix = false;
      else if (closedAt + windowMs <= now.getTime()) firstTimeFix = true;
    }
    const counts = ar.get(row.Id) ?? { calls: 0, sessions: 0 };
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
      firstTimeFix
    };
  });
  return {
    workOrders: workOrders.filter((w) => w.resolutionHours >= 0),
    excluded: excluded + workOrders.filter((w) => w.resolutionHours < 0).length
  };
}

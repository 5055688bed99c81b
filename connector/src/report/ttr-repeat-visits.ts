// Repeat visits of the report's work orders: a work order is a repeat visit when it was created within
// the window after another resolved work order on the same asset closed (the mirror of first-time fix:
// that earlier order was then not fixed the first time); unknown (null) without an asset. The same
// definition as WorkLink_Repeat_Visit__c, so the AR Impact dashboard's repeat-visit rates equal these.
import { queryInLists } from '../salesforce/index.ts';
import type { SoqlReader } from '../salesforce/index.ts';
import type { ResolvedWorkOrder } from './ttr-stats.ts';

interface ClosedOnAssetRow {
  Id: string;
  AssetId: string;
  Status?: string | null;
  StatusCategory?: string | null;
  EndDate?: string | null;
  LastModifiedDate: string;
}

const DAY_MS = 86_400_000;

/** Closure times of the resolved work orders on each asset, by asset. */
async function readResolvedClosures(
  reader: SoqlReader,
  assets: string[],
  resolvedStatuses: readonly string[]
): Promise<Map<string, { id: string; closedAt: number }[]>> {
  const resolved = new Set(resolvedStatuses.map((s) => s.toLowerCase()));
  const rows = await queryInLists<ClosedOnAssetRow>(
    reader,
    'ttrAssetClosures',
    {
      select:
        'SELECT Id, AssetId, Status, StatusCategory, EndDate, LastModifiedDate FROM WorkOrder',
      lists: [{ field: 'AssetId', values: assets }],
      and: 'IsClosed = true'
    }
  );
  const byAsset = new Map<string, { id: string; closedAt: number }[]>();
  for (const row of rows) {
    const category = (row.StatusCategory ?? row.Status ?? '').toLowerCase();
    const closedAt = Date.parse(row.EndDate ?? row.LastModifiedDate);
    if (!resolved.has(category) || Number.isNaN(closedAt)) continue;
    byAsset.set(row.AssetId, [
      ...(byAsset.get(row.AssetId) ?? []),
      { id: row.Id, closedAt }
    ]);
  }
  return byAsset;
}

/** The work orders with `repeatVisit` set (true, false, or null without an asset). */
export async function withRepeatVisits(
  reader: SoqlReader,
  workOrders: ResolvedWorkOrder[],
  options: { resolvedStatuses: readonly string[]; ftfWindowDays: number }
): Promise<ResolvedWorkOrder[]> {
  const assets = [
    ...new Set(
      workOrders
        .map((w) => w.assetId)
        .filter((a): a is string => typeof a === 'string' && a !== '')
    )
  ];
  const closures =
    assets.length === 0
      ? new Map<string, { id: string; closedAt: number }[]>()
      : await readResolvedClosures(reader, assets, options.resolvedStatuses);
  const windowMs = options.ftfWindowDays * DAY_MS;
  return workOrders.map((w) => {
    if (!w.assetId) return { ...w, repeatVisit: null };
    const created = Date.parse(w.createdAt);
    const repeatVisit = (closures.get(w.assetId) ?? []).some(
      (c) =>
        c.id !== w.workOrderId &&
        created > c.closedAt &&
        created <= c.closedAt + windowMs
    );
    return { ...w, repeatVisit };
  });
}

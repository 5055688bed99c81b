// First-time fix and repeat visit, and what "closed at" and "resolved" mean for a WorkOrder (which has
// no ClosedDate): the ONE definition `connector report ttr` and the connector's outcome fields share.

export const DAY_MS = 86_400_000;

/** The WorkOrder fields the definitions read (as SOQL returns them). */
export interface OutcomeWorkOrder {
  Id: string;
  AssetId?: string | null;
  Status?: string | null;
  StatusCategory?: string | null;
  IsClosed?: boolean | null;
  CreatedDate: string;
  EndDate?: string | null;
  LastModifiedDate: string;
}

/** Default StatusCategory (else Status) values that mean "resolved" (OUTCOME_RESOLVED_STATUSES). */
export const DEFAULT_RESOLVED_STATUSES = ['Completed', 'Closed'] as const;

/**
 * When a closed work order closed: its EndDate (when the work ended), else LastModifiedDate standing in
 * (WorkLink_Closed_At__c is the same formula). Null while open or when the date does not parse.
 */
export function closedAt(row: OutcomeWorkOrder): number | null {
  if (row.IsClosed === false) return null;
  const time = Date.parse(row.EndDate ?? row.LastModifiedDate);
  return Number.isNaN(time) ? null : time;
}

/** Whether the work order's StatusCategory (else Status) is one of `resolved` (case-insensitive). */
export function isResolved(
  row: OutcomeWorkOrder,
  resolved: readonly string[]
): boolean {
  const category = (row.StatusCategory ?? row.Status ?? '').toLowerCase();
  return resolved.some((s) => s.toLowerCase() === category);
}

/**
 * A first-time fix: no other work order on the asset created within the window after closure. Unknown
 * (null) without an asset, or while the window has not passed and no follow-up was seen.
 * `createdOnAsset`: the creation times of the asset's work orders (the order itself may be among them).
 */
export function firstTimeFix(
  assetId: string | null | undefined,
  closedAtMs: number,
  createdOnAsset: readonly number[],
  windowMs: number,
  now: Date
): boolean | null {
  if (!assetId) return null;
  const followUp = createdOnAsset.some(
    (t) => t > closedAtMs && t <= closedAtMs + windowMs
  );
  if (followUp) return false;
  return closedAtMs + windowMs <= now.getTime() ? true : null;
}

/**
 * A repeat visit: created within the window after another resolved work order on the same asset
 * closed (the mirror of firstTimeFix: that order's first-time fix is then false). Null without an asset.
 * `resolvedClosures`: the closure times of the asset's other resolved work orders.
 */
export function repeatVisit(
  assetId: string | null | undefined,
  createdAtMs: number,
  resolvedClosures: readonly number[],
  windowMs: number
): boolean | null {
  if (!assetId) return null;
  return resolvedClosures.some(
    (c) => createdAtMs > c && createdAtMs <= c + windowMs
  );
}

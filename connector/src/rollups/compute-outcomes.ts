// Pure: First-Time Fix, Repeat Visit and the window on each work order of some assets, from ALL the
// work orders of those assets (outcome-definitions.ts, shared with `connector report ttr`).
import {
  closedAt,
  DAY_MS,
  firstTimeFix,
  isResolved,
  repeatVisit
} from './outcome-definitions.ts';
import type { OutcomeWorkOrder } from './outcome-definitions.ts';

export interface OutcomeSettings {
  /** N of "within N days" (OUTCOME_WINDOW_DAYS, also report ttr's --ftf-days default). */
  windowDays: number;
  /** StatusCategory (else Status) values that mean resolved (OUTCOME_RESOLVED_STATUSES). */
  resolvedStatuses: readonly string[];
}

export interface WorkOrderOutcome {
  WorkLink_First_Time_Fix__c: 0 | 1 | null;
  WorkLink_Repeat_Visit__c: 0 | 1 | null;
  WorkLink_Outcome_Window_Days__c: number;
}

const flag = (value: boolean | null): 0 | 1 | null =>
  value === null ? null : value ? 1 : 0;

/**
 * The outcome of each work order in `rows`, which must hold every work order of each asset named
 * (a missing sibling would hide a follow-up). First-time fix is only known for resolved work orders.
 */
export function computeOutcomes(
  rows: readonly OutcomeWorkOrder[],
  settings: OutcomeSettings,
  now: Date
): Map<string, WorkOrderOutcome> {
  const windowMs = settings.windowDays * DAY_MS;
  const byAsset = new Map<string, OutcomeWorkOrder[]>();
  for (const row of rows) {
    if (!row.AssetId) continue;
    const list = byAsset.get(row.AssetId) ?? [];
    list.push(row);
    byAsset.set(row.AssetId, list);
  }
  const outcomes = new Map<string, WorkOrderOutcome>();
  for (const row of rows) {
    const siblings = row.AssetId ? (byAsset.get(row.AssetId) ?? []) : [];
    const closed = closedAt(row);
    const resolved =
      closed !== null && isResolved(row, settings.resolvedStatuses);
    const created = siblings.map((s) => Date.parse(s.CreatedDate));
    const closures = siblings
      .filter(
        (s) => s.Id !== row.Id && isResolved(s, settings.resolvedStatuses)
      )
      .map(closedAt)
      .filter((t): t is number => t !== null);
    outcomes.set(row.Id, {
      WorkLink_First_Time_Fix__c: resolved
        ? flag(firstTimeFix(row.AssetId, closed, created, windowMs, now))
        : null,
      WorkLink_Repeat_Visit__c: flag(
        repeatVisit(
          row.AssetId,
          Date.parse(row.CreatedDate),
          closures,
          windowMs
        )
      ),
      WorkLink_Outcome_Window_Days__c: settings.windowDays
    });
  }
  return outcomes;
}

// Pure: the rollup values of work orders, assets and cases from their Scope_AR_Session__c rows. Always a
// full recomputation (never an increment), so a retried or replayed batch writes the same values.
import type {
  ASSET_ROLLUP_FIELDS,
  CASE_ROLLUP_FIELDS,
  WORK_ORDER_ROLLUP_FIELDS
} from './rollup-fields.ts';

/** The session fields a rollup reads (one SOQL row). */
export interface RollupSessionRow {
  Work_Order__c?: string | null;
  Asset__c?: string | null;
  Case__c?: string | null;
  Kind__c?: string | null;
  Started_At__c?: string | null;
  Duration_Seconds__c?: number | null;
  /** The parents' stored rollups, read along with the session. */
  Asset__r?: Record<string, unknown> | null;
  Case__r?: Record<string, unknown> | null;
}

type Values<F extends readonly string[]> = Record<
  F[number],
  number | string | boolean | null
>;
export type WorkOrderRollup = Values<typeof WORK_ORDER_ROLLUP_FIELDS>;
export type AssetRollup = Values<typeof ASSET_ROLLUP_FIELDS>;
export type CaseRollup = Values<typeof CASE_ROLLUP_FIELDS>;

const isCall = (row: RollupSessionRow) => row.Kind__c === 'Call';

function startTimes(rows: readonly RollupSessionRow[]): number[] {
  return rows
    .map((r) => (r.Started_At__c ? Date.parse(r.Started_At__c) : NaN))
    .filter((t) => !Number.isNaN(t));
}

const iso = (times: number[], pick: (...t: number[]) => number) =>
  times.length > 0 ? new Date(pick(...times)).toISOString() : null;

export function workOrderRollup(
  rows: readonly RollupSessionRow[]
): WorkOrderRollup {
  const calls = rows.filter(isCall).length;
  const sessions = rows.length - calls;
  const times = startTimes(rows);
  const seconds = rows.reduce(
    (sum, r) => sum + (r.Duration_Seconds__c ?? 0),
    0
  );
  return {
    WorkLink_AR_Sessions__c: sessions,
    WorkLink_AR_Calls__c: calls,
    WorkLink_First_AR_Start__c: iso(times, Math.min),
    WorkLink_Last_AR_Start__c: iso(times, Math.max),
    // Number(16,2), as Salesforce would round it on save.
    WorkLink_AR_Minutes__c: Math.round((seconds / 60) * 100) / 100,
    WorkLink_AR_Used__c: rows.length > 0
  };
}

export function assetRollup(rows: readonly RollupSessionRow[]): AssetRollup {
  const calls = rows.filter(isCall).length;
  return {
    WorkLink_AR_Sessions__c: rows.length - calls,
    WorkLink_AR_Calls__c: calls,
    WorkLink_Last_AR_Session__c: iso(startTimes(rows), Math.max)
  };
}

export function caseRollup(rows: readonly RollupSessionRow[]): CaseRollup {
  return { WorkLink_AR_Calls__c: rows.filter(isCall).length };
}

/**
 * Whether a stored value already equals the computed one (datetimes by instant, numbers to 2 places).
 * With `blankIsZero` (rollups, not outcomes) a blank count equals 0 and a blank checkbox false: a work order without AR is not written at all
 * (each write moves its LastModifiedDate, which stands in for the close time without an EndDate).
 */
export function sameStored(
  computed: unknown,
  stored: unknown,
  blankIsZero = false
): boolean {
  const a = computed ?? null;
  const b = stored ?? null;
  if (blankIsZero && b === null && (a === 0 || a === false)) return true;
  if (a === null || b === null) return a === b;
  if (typeof a === 'number') return Math.abs(a - Number(b)) < 0.005;
  if (typeof a === 'boolean') return a === b;
  return Date.parse(String(a)) === Date.parse(String(b));
}

// Pure statistics of the time-to-resolution report. Percentiles interpolate linearly between the two
// nearest ranks, exactly like PostgreSQL's percentile_cont, so BI queries over analytics.ttr_work_orders
// reproduce the figures.

export function percentile(
  sortedValues: readonly number[],
  p: number
): number | null {
  const n = sortedValues.length;
  if (n === 0) return null;
  const rank = p * (n - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const a = sortedValues[lower] as number;
  const b = sortedValues[upper] as number;
  return a + (b - a) * (rank - lower);
}

export const round2 = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 100) / 100;

export interface ResolvedWorkOrder {
  workOrderId: string;
  workOrderNumber: string | null;
  status: string | null;
  assetId: string | null;
  createdAt: string;
  closedAt: string;
  resolutionHours: number;
  arCalls: number;
  scenarioSessions: number;
  /** null when the data cannot tell (no asset, or the follow-up window has not elapsed yet). */
  firstTimeFix: boolean | null;
  /** Created within the window after another resolved work order on its asset closed; null without an asset. */
  repeatVisit?: boolean | null;
}

export interface GroupStats {
  group: TtrGroup;
  workOrders: number;
  medianHours: number | null;
  p90Hours: number | null;
  meanHours: number | null;
  firstTimeFixKnown: number;
  firstTimeFixRate: number | null;
  /** Work orders with an asset, and the share of them that were repeat visits (4 decimals). */
  repeatVisitKnown: number;
  repeatVisitRate: number | null;
}

export const TTR_GROUPS = [
  'all',
  'with_ar_call',
  'without_ar_call',
  'with_scenario_session',
  'without_scenario_session'
] as const;
export type TtrGroup = (typeof TTR_GROUPS)[number];

const MEMBERSHIP: Record<TtrGroup, (w: ResolvedWorkOrder) => boolean> = {
  all: () => true,
  with_ar_call: (w) => w.arCalls > 0,
  without_ar_call: (w) => w.arCalls === 0,
  with_scenario_session: (w) => w.scenarioSessions > 0,
  without_scenario_session: (w) => w.scenarioSessions === 0
};

const rate = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

export function groupStats(
  group: TtrGroup,
  workOrders: readonly ResolvedWorkOrder[]
): GroupStats {
  const members = workOrders.filter(MEMBERSHIP[group]);
  const hours = members.map((w) => w.resolutionHours).sort((a, b) => a - b);
  const known = members.filter((w) => w.firstTimeFix !== null);
  const visitKnown = members.filter(
    (w) => w.repeatVisit !== null && w.repeatVisit !== undefined
  );
  return {
    group,
    workOrders: members.length,
    medianHours: round2(percentile(hours, 0.5)),
    p90Hours: round2(percentile(hours, 0.9)),
    meanHours: round2(
      hours.length === 0
        ? null
        : hours.reduce((s, h) => s + h, 0) / hours.length
    ),
    firstTimeFixKnown: known.length,
    firstTimeFixRate:
      known.length === 0
        ? null
        : Math.round(
            (known.filter((w) => w.firstTimeFix).length / known.length) * 10_000
          ) / 10_000,
    repeatVisitKnown: visitKnown.length,
    repeatVisitRate: rate(
      visitKnown.filter((w) => w.repeatVisit).length,
      visitKnown.length
    )
  };
}

export interface Difference {
  medianHours: number | null;
  p90Hours: number | null;
}

/** with − without: negative means work orders with AR were resolved faster. */
export function difference(
  withAr: GroupStats,
  withoutAr: GroupStats
): Difference {
  const minus = (a: number | null, b: number | null) =>
    a === null || b === null ? null : round2(a - b);
  return {
    medianHours: minus(withAr.medianHours, withoutAr.medianHours),
    p90Hours: minus(withAr.p90Hours, withoutAr.p90Hours)
  };
}

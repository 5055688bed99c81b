// connector report ttr: time to resolution of resolved work orders with and without AR calls and with
// and without scenario sessions (count, median, p90, mean, first-time-fix rate, differences), stored in
// the analytics schema and rendered as a table, CSV or JSON.
import { ANALYTICS_SQL as SQL } from '../analytics/sql.ts';
import type { Pool } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import type { SoqlReader } from '../salesforce/index.ts';
import { withRepeatVisits } from './ttr-repeat-visits.ts';
import { readTtrData } from './ttr-source.ts';
import type { TtrSourceOptions } from './ttr-source.ts';
import { TTR_GROUPS, difference, groupStats } from './ttr-stats.ts';
import type { Difference, GroupStats, ResolvedWorkOrder } from './ttr-stats.ts';

export interface TtrReport {
  reportId?: number;
  generatedAt: string;
  from: string;
  to: string;
  resolvedStatuses: string[];
  ftfWindowDays: number;
  workOrders: number;
  excluded: number;
  groups: GroupStats[];
  differences: { arCall: Difference; scenarioSession: Difference };
  details: ResolvedWorkOrder[];
}

export function buildTtrReport(
  data: { workOrders: ResolvedWorkOrder[]; excluded: number },
  options: TtrSourceOptions
): TtrReport {
  const groups = TTR_GROUPS.map((g) => groupStats(g, data.workOrders));
  const by = (name: string) =>
    groups.find((g) => g.group === name) as GroupStats;
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    resolvedStatuses: [...options.resolvedStatuses],
    ftfWindowDays: options.ftfWindowDays,
    workOrders: data.workOrders.length,
    excluded: data.excluded,
    groups,
    differences: {
      arCall: difference(by('with_ar_call'), by('without_ar_call')),
      scenarioSession: difference(
        by('with_scenario_session'),
        by('without_scenario_session')
      )
    },
    details: data.workOrders
  };
}

export async function storeTtrReport(
  pool: Pool,
  report: TtrReport
): Promise<number> {
  return withTransaction(pool, async (client) => {
    const inserted = await client.query<{ report_id: string }>(
      SQL.insertTtrReport,
      [
        report.from,
        report.to,
        report.resolvedStatuses,
        report.ftfWindowDays,
        report.workOrders,
        report.excluded,
        report.differences.arCall.medianHours,
        report.differences.arCall.p90Hours,
        report.differences.scenarioSession.medianHours,
        report.differences.scenarioSession.p90Hours
      ]
    );
    const reportId = Number(inserted.rows[0]?.report_id);
    await client.query(SQL.insertTtrGroups, [
      reportId,
      JSON.stringify(
        report.groups.map((g) => ({
          group_name: g.group,
          work_orders: g.workOrders,
          median_hours: g.medianHours,
          p90_hours: g.p90Hours,
          mean_hours: g.meanHours,
          first_time_fix_known: g.firstTimeFixKnown,
          first_time_fix_rate: g.firstTimeFixRate
        }))
      )
    ]);
    await client.query(SQL.insertTtrWorkOrders, [
      reportId,
      JSON.stringify(
        report.details.map((w) => ({
          work_order_id: w.workOrderId,
          work_order_number: w.workOrderNumber,
          status: w.status,
          asset_id: w.assetId,
          created_at: w.createdAt,
          closed_at: w.closedAt,
          resolution_hours: w.resolutionHours,
          ar_calls: w.arCalls,
          scenario_sessions: w.scenarioSessions,
          first_time_fix: w.firstTimeFix
        }))
      )
    ]);
    return reportId;
  });
}

export async function runTtrReport(
  deps: { reader: SoqlReader; pool?: Pool },
  options: TtrSourceOptions
): Promise<TtrReport> {
  const data = await readTtrData(deps.reader, options);
  const report = buildTtrReport(
    {
      ...data,
      workOrders: await withRepeatVisits(deps.reader, data.workOrders, options)
    },
    options
  );
  if (deps.pool) report.reportId = await storeTtrReport(deps.pool, report);
  return report;
}

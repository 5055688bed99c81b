// Renders a TtrReport: an aligned table for people, CSV (one row per group) for spreadsheets, JSON.
import type { TtrReport } from './ttr-report.ts';

const HEADER = [
  'group',
  'work_orders',
  'median_hours',
  'p90_hours',
  'mean_hours',
  'ftf_known',
  'ftf_rate'
];

function rows(report: TtrReport): string[][] {
  const cell = (v: number | null) => (v === null ? '' : String(v));
  return report.groups.map((g) => [
    g.group,
    String(g.workOrders),
    cell(g.medianHours),
    cell(g.p90Hours),
    cell(g.meanHours),
    String(g.firstTimeFixKnown),
    cell(g.firstTimeFixRate)
  ]);
}

const csvCell = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export function formatTtr(
  report: TtrReport,
  format: 'table' | 'csv' | 'json'
): string {
  if (format === 'json') {
    const { details: _details, ...summary } = report;
    return JSON.stringify(summary, null, 2);
  }
  if (format === 'csv')
    return [HEADER, ...rows(report)]
      .map((r) => r.map(csvCell).join(','))
      .join('\n');
  const table = [HEADER, ...rows(report)];
  const widths = HEADER.map((_, i) =>
    Math.max(...table.map((r) => (r[i] ?? '').length))
  );
  const line = (r: string[]) =>
    r
      .map((c, i) =>
        i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)
      )
      .join('  ');
  const diff = (
    label: string,
    d: { medianHours: number | null; p90Hours: number | null }
  ) =>
    `${label}: median ${d.medianHours ?? 'n/a'} h, p90 ${d.p90Hours ?? 'n/a'} h (with − without; negative = faster with AR)`;
  return [
    `Time to resolution, work orders resolved ${report.from} … ${report.to} (${report.workOrders} work orders, ${report.excluded} closed without resolution excluded)`,
    line(table[0] as string[]),
    ...table.slice(1).map(line),
    diff('AR call difference', report.differences.arCall),
    diff('Scenario session difference', report.differences.scenarioSession),
    `First-time fix: no other work order on the same asset within ${report.ftfWindowDays} days after closure${report.reportId ? `; stored as analytics.ttr_reports #${report.reportId}` : ''}`
  ].join('\n');
}

// Report filters as the Analytics API takes them (`reportFilters`: column, operator, value; a comma in
// the value of equals / notEqual means "any of" / "none of"; an empty value means blank) and the
// standard date filter (`standardDateFilter`: column, durationValue, startDate, endDate, in UTC days).
import { badRequest } from './report-rows.ts';
import type { ReportRow, ResolvedColumn } from './report-rows.ts';

export interface ReportFilter {
  column: string;
  operator: string;
  value: string;
}

export interface StandardDateFilter {
  column: string;
  durationValue: string;
  startDate: string | null;
  endDate: string | null;
}

export const FILTER_OPERATORS = [
  'equals',
  'notEqual',
  'lessThan',
  'greaterThan',
  'lessOrEqual',
  'greaterOrEqual',
  'contains',
  'notContain',
  'startsWith'
] as const;

const NUMERIC = new Set(['double', 'int', 'percent', 'currency']);
const DAY_MS = 86_400_000;

function comparable(
  column: ResolvedColumn,
  raw: unknown
): number | string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (NUMERIC.has(column.dataType)) return Number(raw);
  if (column.dataType === 'boolean')
    return raw === true || String(raw).toLowerCase() === 'true' || raw === '1'
      ? 1
      : 0;
  if (column.dataType === 'datetime' || column.dataType === 'date')
    return Date.parse(String(raw).replace(/\+0000$/, 'Z'));
  return String(raw).toLowerCase();
}

function literal(column: ResolvedColumn, text: string): number | string | null {
  const value = comparable(column, text.trim());
  if (typeof value === 'number' && Number.isNaN(value))
    throw badRequest(
      `The filter value ${text} is not a valid ${column.dataType} for ${column.token}.`
    );
  return value;
}

/** One filter as a predicate over report rows; a bad operator or value is refused. */
export function compileFilter(
  filter: ReportFilter,
  column: ResolvedColumn
): (row: ReportRow) => boolean {
  const op = filter.operator;
  if (!(FILTER_OPERATORS as readonly string[]).includes(op))
    throw badRequest(`The filter operator ${op} is not valid.`);
  const many = op === 'equals' || op === 'notEqual';
  const values = (many ? filter.value.split(',') : [filter.value]).map((v) =>
    literal(column, v)
  );
  const first = values[0] ?? null;
  return (row) => {
    const v = comparable(column, row.get(column.token));
    switch (op) {
      case 'equals':
        return values.some((x) => x === v);
      case 'notEqual':
        return values.every((x) => x !== v);
      case 'contains':
      case 'notContain':
      case 'startsWith': {
        const hay = v === null ? '' : String(v);
        const needle = first === null ? '' : String(first);
        if (op === 'startsWith') return hay.startsWith(needle);
        return hay.includes(needle) === (op === 'contains');
      }
      default: {
        // Blank values are neither less nor greater than anything.
        if (v === null || first === null) return false;
        if (op === 'lessThan') return v < first;
        if (op === 'greaterThan') return v > first;
        if (op === 'lessOrEqual') return v <= first;
        return v >= first;
      }
    }
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LAST_N_DAYS = /^LAST_(\d+)_DAYS$/;

/** The [start, end) milliseconds of a date filter, in UTC days (the sandbox's users are on UTC). */
export function dateRange(
  filter: StandardDateFilter,
  now: number
): { start: number; end: number } | null {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  if (filter.durationValue === 'CUSTOM') {
    for (const d of [filter.startDate, filter.endDate])
      if (d !== null && !DAY.test(d))
        throw badRequest(
          `The date ${d} in standardDateFilter is not a valid date (YYYY-MM-DD).`
        );
    return {
      start: filter.startDate
        ? Date.parse(`${filter.startDate}T00:00:00Z`)
        : -Infinity,
      end: filter.endDate
        ? Date.parse(`${filter.endDate}T00:00:00Z`) + DAY_MS
        : Infinity
    };
  }
  const days = LAST_N_DAYS.exec(filter.durationValue)?.[1];
  // LAST_90_DAYS: the 90 days before today, and today.
  if (days)
    return { start: today - Number(days) * DAY_MS, end: today + DAY_MS };
  if (filter.durationValue === 'ALL_TIME' || filter.durationValue === '')
    return null;
  throw badRequest(
    `The standard date filter duration ${filter.durationValue} is not supported.`
  );
}

/** Metadata API timeFrameFilter intervals and the Analytics API durations they are. */
export function durationOfInterval(interval: string): string {
  if (interval === 'INTERVAL_CUSTOM') return 'CUSTOM';
  const days = /^INTERVAL_LAST(\d+)$/.exec(interval)?.[1];
  return days ? `LAST_${days}_DAYS` : interval;
}

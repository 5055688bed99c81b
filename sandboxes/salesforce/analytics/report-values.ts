// How report cells and grouping values are labelled (the Analytics API answers both `value` and the
// formatted `label`), in the sandbox's locale: en_US, UTC.
import type { ResolvedColumn } from './report-rows.ts';

export interface GroupValue {
  sort: number | string;
  value: unknown;
  label: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
];
const NUMERIC = new Set(['double', 'int', 'percent', 'currency']);

export function numberLabel(value: number | null, fractionDigits = 2): string {
  if (value === null) return '-';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits
  });
}

/** A detail cell's label. */
export function cellLabel(column: ResolvedColumn, raw: unknown): string {
  if (raw === null || raw === undefined || raw === '') return '-';
  if (NUMERIC.has(column.dataType))
    return numberLabel(Number(raw), Number.isInteger(Number(raw)) ? 0 : 2);
  if (column.dataType === 'boolean') return raw === true ? 'true' : 'false';
  if (column.dataType === 'datetime') {
    const d = new Date(String(raw).replace(/\+0000$/, 'Z'));
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  }
  return String(raw);
}

/** The grouping a value falls in; date-times by their granularity (Day, Month, Year) in UTC. */
export function groupKey(
  column: ResolvedColumn,
  raw: unknown,
  granularity: string
): GroupValue {
  if (raw === null || raw === undefined || raw === '')
    return { sort: '', value: null, label: '-' };
  if (
    (column.dataType === 'datetime' || column.dataType === 'date') &&
    granularity !== 'None'
  ) {
    const d = new Date(String(raw).replace(/\+0000$/, 'Z'));
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    if (granularity === 'Year')
      return { sort: `${y}`, value: `${y}-01-01`, label: `${y}` };
    if (granularity === 'Month') {
      const value = `${y}-${String(m + 1).padStart(2, '0')}-01`;
      return { sort: value, value, label: `${MONTHS[m]} ${y}` };
    }
    const value = d.toISOString().slice(0, 10);
    return { sort: value, value, label: `${m + 1}/${d.getUTCDate()}/${y}` };
  }
  if (NUMERIC.has(column.dataType))
    return {
      sort: Number(raw),
      value: Number(raw),
      label: cellLabel(column, raw)
    };
  if (column.dataType === 'boolean')
    return {
      sort: raw === true ? 1 : 0,
      value: raw === true,
      label: raw === true ? 'True' : 'False'
    };
  return { sort: String(raw).toLowerCase(), value: raw, label: String(raw) };
}

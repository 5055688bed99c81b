// Runs a report synchronously as the acting user: rows of its report type (sharing and FLS applied),
// the standard date filter and report filters, buckets, groupings down (with date granularity) and
// aggregates, answered in the Analytics REST API's shape: groupingsDown, factMap ("0!T", "0_1!T",
// "T!T") with aggregates {label, value} and, with includeDetails, rows of dataCells.
import { ApiError } from '../errors.ts';
import type { SandboxState } from '../state.ts';
import { compileFilter, dateRange } from './report-filters.ts';
import { readReportRows, readable } from './report-rows.ts';
import type { ReportRow, ResolvedColumn } from './report-rows.ts';
import { resolveColumn } from './report-columns.ts';
import type { CompiledFormulaField } from './formula-fields.ts';
import type { ReportMetadataJson } from './report-json.ts';
import type { BucketDef, ReportTypeDef } from './report-metadata.ts';
import { cellLabel, groupKey, numberLabel } from './report-values.ts';
import type { GroupValue } from './report-values.ts';

export interface RunContext {
  state: SandboxState;
  type: ReportTypeDef;
  buckets: BucketDef[];
  formulas: Map<string, Map<string, CompiledFormulaField>>;
  now: number;
}

interface Grouping {
  key: string;
  label: string;
  value: unknown;
  groupings: Grouping[];
}

export interface ReportRun {
  groupingsDown: { groupings: Grouping[] };
  groupingsAcross: { groupings: never[] };
  factMap: Record<
    string,
    {
      aggregates: { label: string; value: number | null }[];
      rows?: { dataCells: { label: string; value: unknown }[] }[];
    }
  >;
  columns: Map<string, ResolvedColumn>;
  /** Detail columns the acting user may not read: left out of the answer, as in a real org. */
  hiddenColumns: string[];
}

function bucketValue(bucket: BucketDef, raw: unknown): string | null {
  let value = raw === null || raw === undefined ? null : Number(raw);
  if (value === null) {
    if (!bucket.nullAsZero) return null;
    value = 0;
  }
  for (const range of bucket.values) {
    const aboveFrom = range.from === undefined || value > range.from;
    const belowTo = range.to === undefined || value <= range.to;
    if (aboveFrom && belowTo) return range.label;
  }
  return null;
}

const insufficient = () =>
  new ApiError(
    403,
    'INSUFFICIENT_PRIVILEGES',
    "You don't have sufficient privileges to perform this operation."
  );

/** Every column the run needs, resolved; filters, groupings and aggregates on unreadable fields are refused. */
function resolveAll(ctx: RunContext, meta: ReportMetadataJson) {
  const columns = new Map<string, ResolvedColumn>();
  const need = (token: string, mustRead: boolean) => {
    const column =
      columns.get(token) ?? resolveColumn(ctx.state, ctx.type, token);
    if (mustRead && !readable(ctx.state, column)) throw insufficient();
    columns.set(token, column);
    return column;
  };
  const bucketNames = new Set(ctx.buckets.map((b) => b.developerName));
  for (const b of ctx.buckets) need(b.sourceColumn, true);
  for (const f of meta.reportFilters) need(f.column, true);
  if (meta.standardDateFilter) need(meta.standardDateFilter.column, true);
  for (const g of meta.groupingsDown)
    if (!bucketNames.has(g.name)) need(g.name, true);
  for (const a of meta.aggregates)
    if (a !== 'RowCount') need(a.slice(a.indexOf('!') + 1), true);
  const hiddenColumns: string[] = [];
  for (const token of meta.detailColumns) {
    const column = need(token, false);
    if (!readable(ctx.state, column)) {
      hiddenColumns.push(token);
      columns.delete(token);
    }
  }
  return { columns, hiddenColumns };
}

function filterRows(
  ctx: RunContext,
  meta: ReportMetadataJson,
  columns: Map<string, ResolvedColumn>,
  rows: ReportRow[]
) {
  const predicates = meta.reportFilters.map((f) =>
    compileFilter(f, columns.get(f.column) as ResolvedColumn)
  );
  const range = meta.standardDateFilter
    ? dateRange(meta.standardDateFilter, ctx.now)
    : null;
  const dateColumn = meta.standardDateFilter?.column;
  return rows.filter((row) => {
    if (range && dateColumn) {
      const raw = row.get(dateColumn);
      const at =
        typeof raw === 'string' ? Date.parse(raw.replace(/\+0000$/, 'Z')) : NaN;
      if (Number.isNaN(at) || at < range.start || at >= range.end) return false;
    }
    return predicates.every((p) => p(row));
  });
}

function aggregate(token: string, rows: ReportRow[]): number | null {
  if (token === 'RowCount') return rows.length;
  const prefix = token.slice(0, token.indexOf('!'));
  const column = token.slice(token.indexOf('!') + 1);
  const values = rows
    .map((r) => r.get(column))
    .filter((v) => v !== null && v !== undefined && v !== '');
  if (prefix === 'u') return new Set(values.map(String)).size;
  const numbers = values.map(Number);
  if (numbers.length === 0) return prefix === 's' ? 0 : null;
  if (prefix === 's') return numbers.reduce((s, n) => s + n, 0);
  if (prefix === 'a')
    return numbers.reduce((s, n) => s + n, 0) / numbers.length;
  if (prefix === 'm') return Math.min(...numbers);
  return Math.max(...numbers);
}

interface Level {
  name: string;
  value(row: ReportRow): GroupValue;
  desc: boolean;
}

function levels(
  ctx: RunContext,
  meta: ReportMetadataJson,
  columns: Map<string, ResolvedColumn>
): Level[] {
  return meta.groupingsDown.map((g) => {
    const bucket = ctx.buckets.find((b) => b.developerName === g.name);
    const desc = g.sortOrder.toLowerCase() === 'desc';
    if (bucket) {
      const order = bucket.values.map((v) => v.label);
      return {
        name: g.name,
        desc,
        value: (row) => {
          const label = bucketValue(bucket, row.get(bucket.sourceColumn));
          return {
            sort: label === null ? -1 : order.indexOf(label),
            value: label,
            label: label ?? '-'
          };
        }
      };
    }
    const column = columns.get(g.name) as ResolvedColumn;
    return {
      name: g.name,
      desc,
      value: (row) => groupKey(column, row.get(g.name), g.dateGranularity)
    };
  });
}

interface Node {
  grouping: Grouping;
  rows: ReportRow[];
  children: Node[];
}

function compareGroups(a: GroupValue, b: GroupValue, desc: boolean): number {
  const order = a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0;
  return desc ? -order : order;
}

/** Groups rows level by level; keys are the position path ("0", "0_1") as in the real factMap. */
function groupRows(
  rows: ReportRow[],
  remaining: Level[],
  prefix: string
): Node[] {
  const [level, ...rest] = remaining;
  if (!level) return [];
  const buckets = new Map<string, { value: GroupValue; rows: ReportRow[] }>();
  for (const row of rows) {
    const value = level.value(row);
    const id = `${typeof value.sort}:${String(value.sort)}`;
    const entry = buckets.get(id) ?? { value, rows: [] };
    entry.rows.push(row);
    buckets.set(id, entry);
  }
  return [...buckets.values()]
    .sort((a, b) => compareGroups(a.value, b.value, level.desc))
    .map((entry, i) => {
      const key = prefix === '' ? String(i) : `${prefix}_${i}`;
      const children = groupRows(entry.rows, rest, key);
      return {
        grouping: {
          key,
          label: entry.value.label,
          value: entry.value.value,
          groupings: children.map((c) => c.grouping)
        },
        rows: entry.rows,
        children
      };
    });
}

function aggregateLabel(token: string, value: number | null): string {
  if (token === 'RowCount' || token.startsWith('u!'))
    return value === null ? '-' : String(value);
  return numberLabel(value);
}

/** Runs the (possibly overridden) report metadata; details only when asked and the report has them. */
export function runReport(
  ctx: RunContext,
  meta: ReportMetadataJson,
  includeDetails: boolean
): ReportRun {
  const { columns, hiddenColumns } = resolveAll(ctx, meta);
  const rows = filterRows(
    ctx,
    meta,
    columns,
    readReportRows(ctx.state, ctx.type, [...columns.values()], ctx.formulas)
  );
  const tree = groupRows(rows, levels(ctx, meta, columns), '');
  const shown = meta.detailColumns.filter((c) => !hiddenColumns.includes(c));
  const factMap: ReportRun['factMap'] = {};
  const fact = (nodeRows: ReportRow[], leaf: boolean) => ({
    aggregates: meta.aggregates.map((token) => {
      const value = aggregate(token, nodeRows);
      return { label: aggregateLabel(token, value), value };
    }),
    ...(includeDetails && (leaf || meta.groupingsDown.length === 0)
      ? {
          rows: nodeRows.slice(0, 2000).map((r) => ({
            dataCells: shown.map((c) => ({
              label: cellLabel(columns.get(c) as ResolvedColumn, r.get(c)),
              value: r.get(c) ?? null
            }))
          }))
        }
      : {})
  });
  const visit = (nodes: Node[]) => {
    for (const node of nodes) {
      factMap[`${node.grouping.key}!T`] = fact(
        node.rows,
        node.children.length === 0
      );
      visit(node.children);
    }
  };
  visit(tree);
  factMap['T!T'] = fact(rows, false);
  return {
    groupingsDown: { groupings: tree.map((n) => n.grouping) },
    groupingsAcross: { groupings: [] },
    factMap,
    columns,
    hiddenColumns
  };
}

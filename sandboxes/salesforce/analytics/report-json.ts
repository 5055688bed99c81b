// The Analytics REST API's description of a packaged report (`reportMetadata`, and the column labels and
// types of `reportExtendedMetadata`), built from its Metadata API definition, and the overrides a run
// request (POST {reportMetadata}) may make: filters and the standard date filter.
import { badRequest } from './report-rows.ts';
import { durationOfInterval } from './report-filters.ts';
import type { ReportFilter, StandardDateFilter } from './report-filters.ts';
import type { ReportDef, ReportTypeDef } from './report-metadata.ts';

export interface ReportMetadataJson {
  id: string;
  name: string;
  developerName: string;
  folderId: string;
  description: string;
  reportFormat: string;
  reportType: { type: string; label: string };
  detailColumns: string[];
  aggregates: string[];
  groupingsDown: { name: string; sortOrder: string; dateGranularity: string }[];
  groupingsAcross: never[];
  reportFilters: ReportFilter[];
  reportBooleanFilter: string | null;
  standardDateFilter: StandardDateFilter | null;
  hasDetailRows: boolean;
  hasRecordCount: boolean;
  buckets: {
    bucketType: string;
    developerName: string;
    label: string;
    sourceColumnName: string;
    nullTreatedAsZero: boolean;
    values: { label: string; sourceValues: { from?: number; to?: number }[] }[];
  }[];
  scope: string;
  showGrandTotal: boolean;
  showSubtotals: boolean;
}

const AGGREGATE_PREFIX: Record<string, string> = {
  Sum: 's',
  Average: 'a',
  Maximum: 'mx',
  Minimum: 'm',
  Unique: 'u'
};

export const aggregatePrefixes = Object.values(AGGREGATE_PREFIX);

export function reportMetadataJson(
  report: ReportDef,
  type: ReportTypeDef,
  id: string,
  folderId: string
): ReportMetadataJson {
  const grouped = new Set(report.groupingsDown.map((g) => g.field));
  return {
    id,
    name: report.name,
    developerName: report.developerName,
    folderId,
    description: report.description,
    reportFormat: report.format.toUpperCase(),
    reportType: { type: type.name, label: type.label },
    // A grouped column is shown in its grouping, not among the detail columns.
    detailColumns: report.columns
      .map((c) => c.field)
      .filter((f) => !grouped.has(f)),
    aggregates: [
      ...report.columns.flatMap((c) =>
        c.aggregates.map((a) => `${AGGREGATE_PREFIX[a] ?? a}!${c.field}`)
      ),
      'RowCount'
    ],
    groupingsDown: report.groupingsDown.map((g) => ({
      name: g.field,
      sortOrder: g.sortOrder,
      dateGranularity: g.dateGranularity ?? 'None'
    })),
    groupingsAcross: [],
    reportFilters: report.filters.map((f) => ({ ...f })),
    reportBooleanFilter: null,
    standardDateFilter: report.timeFrame
      ? {
          column: report.timeFrame.dateColumn,
          durationValue: durationOfInterval(report.timeFrame.interval),
          startDate: report.timeFrame.startDate ?? null,
          endDate: report.timeFrame.endDate ?? null
        }
      : null,
    hasDetailRows: report.showDetails,
    hasRecordCount: true,
    buckets: report.buckets.map((b) => ({
      bucketType: 'NUMBER',
      developerName: b.developerName,
      label: b.label,
      sourceColumnName: b.sourceColumn,
      nullTreatedAsZero: b.nullAsZero,
      values: b.values.map((v) => ({
        label: v.label,
        sourceValues: [
          {
            ...(v.from === undefined ? {} : { from: v.from }),
            ...(v.to === undefined ? {} : { to: v.to })
          }
        ]
      }))
    })),
    scope: 'organization',
    showGrandTotal: true,
    showSubtotals: true
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function readFilters(value: unknown): ReportFilter[] {
  if (!Array.isArray(value))
    throw badRequest(
      'reportFilters must be an array of {column, operator, value}.'
    );
  return value.map((f) => {
    if (
      !isObject(f) ||
      typeof f.column !== 'string' ||
      typeof f.operator !== 'string'
    )
      throw badRequest('Each report filter needs a column and an operator.');
    return {
      column: f.column,
      operator: f.operator,
      value: f.value === null || f.value === undefined ? '' : String(f.value)
    };
  });
}

function readDateFilter(
  value: unknown,
  saved: StandardDateFilter | null
): StandardDateFilter {
  if (!isObject(value))
    throw badRequest('standardDateFilter must be an object.');
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const column = text(value.column) ?? saved?.column;
  if (!column) throw badRequest('standardDateFilter needs a column.');
  return {
    column,
    durationValue: text(value.durationValue) ?? 'CUSTOM',
    startDate: text(value.startDate),
    endDate: text(value.endDate)
  };
}

/** Applies a run request's reportMetadata over the saved one; only filters may change, as in a run. */
export function withOverrides(
  saved: ReportMetadataJson,
  body: unknown
): ReportMetadataJson {
  if (
    body === undefined ||
    body === null ||
    (isObject(body) && Object.keys(body).length === 0)
  )
    return saved;
  if (!isObject(body) || !isObject(body.reportMetadata))
    throw badRequest('The request body must be {"reportMetadata": {...}}.');
  const next = body.reportMetadata;
  if (
    next.reportFormat !== undefined &&
    next.reportFormat !== saved.reportFormat
  )
    throw badRequest(
      'A run cannot change the report format; save the report instead.'
    );
  if (
    next.reportBooleanFilter !== undefined &&
    next.reportBooleanFilter !== null
  )
    throw badRequest(
      'The Salesforce sandbox does not support reportBooleanFilter.'
    );
  return {
    ...saved,
    ...(next.reportFilters !== undefined
      ? { reportFilters: readFilters(next.reportFilters) }
      : {}),
    ...(next.standardDateFilter !== undefined
      ? {
          standardDateFilter:
            next.standardDateFilter === null
              ? null
              : readDateFilter(
                  next.standardDateFilter,
                  saved.standardDateFilter
                )
        }
      : {})
  };
}

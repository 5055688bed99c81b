// The Analytics REST API for the packaged reports and dashboards (`/services/data/vXX.X/analytics/…`):
// list, describe and synchronous run of reports (GET: saved filters; POST {reportMetadata}: filters
// changed for this run), and the describe of dashboards. Unknown ids answer 404 NOT_FOUND; what the
// sandbox does not run (matrix and joined formats, boolean filter logic) answers 400 in Salesforce's
// error shape ([{errorCode, message}]).
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ApiError } from '../errors.ts';
import type { SandboxState } from '../state.ts';
import { analyticsCatalog } from './packaged-analytics.ts';
import type { AnalyticsCatalog } from './packaged-analytics.ts';
import { reportMetadataJson, withOverrides } from './report-json.ts';
import type { ReportMetadataJson } from './report-json.ts';
import { runReport } from './report-run.ts';
import type { ReportRun, RunContext } from './report-run.ts';
import { resolveColumn } from './report-columns.ts';
import type { ReportDef } from './report-metadata.ts';

const SUPPORTED_FORMATS = new Set(['TABULAR', 'SUMMARY']);

const notFound = () =>
  new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

function base(state: SandboxState): string {
  return `/services/data/v${state.apiVersion()}/analytics`;
}

function reportOf(catalog: AnalyticsCatalog, id: string) {
  const found = catalog.reportById(id);
  if (!found) throw notFound();
  const type = catalog.reportTypes.get(found.report.reportType.toLowerCase());
  if (!type) throw notFound();
  return { ...found, type };
}

function savedMetadata(
  catalog: AnalyticsCatalog,
  id: string,
  report: ReportDef
) {
  const type = catalog.reportTypes.get(report.reportType.toLowerCase());
  if (!type) throw notFound();
  return reportMetadataJson(
    report,
    type,
    id,
    catalog.folderIdOf(report.folder)
  );
}

function extendedMetadata(
  state: SandboxState,
  ctx: RunContext,
  meta: ReportMetadataJson,
  run?: ReportRun
) {
  const column = (token: string) =>
    run?.columns.get(token) ?? resolveColumn(state, ctx.type, token);
  const aggregateColumnInfo: Record<
    string,
    {
      label: string;
      dataType: string;
      acrossGroupingContext: null;
      downGroupingContext: null;
    }
  > = {};
  for (const token of meta.aggregates) {
    const field =
      token === 'RowCount' ? null : column(token.slice(token.indexOf('!') + 1));
    const kind = { s: 'Sum', a: 'Average', m: 'Min', mx: 'Max', u: 'Unique' }[
      token.slice(0, token.indexOf('!'))
    ];
    aggregateColumnInfo[token] = {
      label: field ? `${kind ?? ''} of ${field.label}`.trim() : 'Record Count',
      dataType:
        token === 'RowCount' || token.startsWith('u!')
          ? 'int'
          : field?.dataType === 'int'
            ? 'double'
            : (field?.dataType ?? 'double'),
      acrossGroupingContext: null,
      downGroupingContext: null
    };
  }
  const detailColumnInfo = Object.fromEntries(
    meta.detailColumns
      .filter((t) => !run?.hiddenColumns.includes(t))
      .map((t) => [t, { label: column(t).label, dataType: column(t).dataType }])
  );
  const groupingColumnInfo = Object.fromEntries(
    meta.groupingsDown.map((g, level) => {
      const bucket = ctx.buckets.find((b) => b.developerName === g.name);
      return [
        g.name,
        {
          label: bucket?.label ?? column(g.name).label,
          dataType: bucket ? 'string' : column(g.name).dataType,
          groupingLevel: level
        }
      ];
    })
  );
  return { aggregateColumnInfo, detailColumnInfo, groupingColumnInfo };
}

function context(
  state: SandboxState,
  catalog: AnalyticsCatalog,
  type: RunContext['type'],
  report: ReportDef
): RunContext {
  return {
    state,
    type,
    buckets: report.buckets,
    formulas: catalog.formulas,
    now: Date.now()
  };
}

function runAnswer(state: SandboxState, req: Request, body: unknown) {
  const catalog = analyticsCatalog(state);
  const { id, report, type } = reportOf(catalog, String(req.params.id));
  const saved = savedMetadata(catalog, id, report);
  if (!SUPPORTED_FORMATS.has(saved.reportFormat))
    throw new ApiError(
      400,
      'BAD_REQUEST',
      `The Salesforce sandbox does not run ${saved.reportFormat} reports; only tabular and summary reports.`
    );
  const meta = withOverrides(saved, body);
  const includeDetails = String(req.query.includeDetails ?? 'false') === 'true';
  const ctx = context(state, catalog, type, report);
  const run = runReport(ctx, meta, includeDetails);
  const url = `${base(state)}/reports/${id}`;
  return {
    answer: {
      attributes: {
        describeUrl: `${url}/describe`,
        instancesUrl: `${url}/instances`,
        reportId: id,
        reportName: report.name,
        type: 'Report'
      },
      allData: true,
      factMap: run.factMap,
      groupingsAcross: run.groupingsAcross,
      groupingsDown: run.groupingsDown,
      hasDetailRows: includeDetails,
      reportExtendedMetadata: extendedMetadata(state, ctx, meta, run),
      reportMetadata: {
        ...meta,
        detailColumns: meta.detailColumns.filter(
          (c) => !run.hiddenColumns.includes(c)
        )
      }
    },
    records: run.factMap['T!T']?.aggregates.at(-1)?.value ?? 0
  };
}

function describe(state: SandboxState, id: string) {
  const catalog = analyticsCatalog(state);
  const found = reportOf(catalog, id);
  const meta = savedMetadata(catalog, found.id, found.report);
  const ctx = context(state, catalog, found.type, found.report);
  return {
    reportMetadata: meta,
    reportExtendedMetadata: extendedMetadata(state, ctx, meta),
    reportTypeMetadata: {
      categories: [
        {
          label: found.type.label,
          columns: Object.fromEntries(
            found.type.columns.map((c) => {
              const token = `${c.table}$${c.field}`;
              const column = resolveColumn(state, found.type, token);
              return [
                token,
                {
                  label: column.label,
                  dataType: column.dataType,
                  filterable: true
                }
              ];
            })
          )
        }
      ]
    }
  };
}

function dashboardDescribe(state: SandboxState, id: string) {
  const catalog = analyticsCatalog(state);
  const found = catalog.dashboardById(id);
  if (!found) throw notFound();
  const { dashboard } = found;
  return {
    id: found.id,
    name: dashboard.title,
    developerName: dashboard.developerName,
    description: dashboard.description,
    folderId: catalog.folderIdOf(dashboard.folder),
    runningUser: null,
    dashboardType: dashboard.dashboardType,
    components: dashboard.components.map((c, i) => ({
      id: `${found.id.slice(0, 12)}C${String(i).padStart(2, '0')}`,
      header: c.header,
      footer: c.footer,
      reportId: catalog.reportIdOf(c.report) ?? null,
      type: 'Report',
      properties: { visualizationType: c.componentType }
    })),
    layout: {
      columns: 12,
      components: dashboard.components.map((c) => ({
        row: c.rowIndex,
        column: c.columnIndex,
        colspan: c.colSpan
      }))
    }
  };
}

export function createAnalyticsRoutes(state: SandboxState): Router {
  const router = Router({ mergeParams: true });
  router.get('/reports', (_req: Request, res: Response) => {
    const catalog = analyticsCatalog(state);
    res.json(
      catalog.reports.map((r) => {
        const id = catalog.reportIdOf(`${r.folder}/${r.developerName}`) ?? '';
        const url = `${base(state)}/reports/${id}`;
        return {
          id,
          name: r.name,
          url,
          describeUrl: `${url}/describe`,
          instancesUrl: `${url}/instances`
        };
      })
    );
  });
  router.get('/reports/:id/describe', (req: Request, res: Response) => {
    res.json(describe(state, String(req.params.id)));
  });
  router.get('/reports/:id', (req: Request, res: Response) => {
    const { answer, records } = runAnswer(state, req, undefined);
    res.locals.records = records;
    res.json(answer);
  });
  router.post('/reports/:id', (req: Request, res: Response) => {
    const { answer, records } = runAnswer(state, req, req.body);
    res.locals.records = records;
    res.json(answer);
  });
  router.get('/dashboards', (_req: Request, res: Response) => {
    const catalog = analyticsCatalog(state);
    res.json(
      [...state.store.all('Dashboard')].map((row) => {
        const url = `${base(state)}/dashboards/${String(row.Id)}`;
        return { id: row.Id, name: row.Title, statusUrl: `${url}/status`, url };
      })
    );
    catalog.ensureRecords();
  });
  router.get('/dashboards/:id/describe', (req: Request, res: Response) => {
    res.json(dashboardDescribe(state, String(req.params.id)));
  });
  return router;
}

// Reads the packaged report types, reports and dashboards from force-app (reportTypes/, reports/<folder>/,
// dashboards/<folder>/), the Metadata API shapes of ReportType, Report and Dashboard, into the plain
// definitions the sandbox's Analytics REST API runs. Only what the package ships is read.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nodes, readMetadataXml, text, texts } from '../metadata/xml.ts';
import type { XmlNode } from '../metadata/xml.ts';

export interface ReportTypeColumn {
  /** `WorkOrder` or `WorkOrder.Scope_AR_Sessions__r`. */
  table: string;
  /** A field of the table's object, or a lookup path (`Asset.Product2.Name`). */
  field: string;
  label?: string;
}

export interface ReportTypeDef {
  /** As reports name it: `WorkLink_Work_Order_Outcomes__c`. */
  name: string;
  label: string;
  baseObject: string;
  join?: { relationship: string; outerJoin: boolean };
  columns: ReportTypeColumn[];
}

export interface ReportFilterDef {
  column: string;
  operator: string;
  value: string;
}

export interface BucketDef {
  developerName: string;
  label: string;
  sourceColumn: string;
  nullAsZero: boolean;
  /** Numeric ranges in order: the first takes values ≤ to, the next > from and ≤ to, the last > from. */
  values: { label: string; from?: number; to?: number }[];
}

export interface ReportDef {
  developerName: string;
  folder: string;
  name: string;
  description: string;
  format: string;
  reportType: string;
  columns: { field: string; aggregates: string[] }[];
  filters: ReportFilterDef[];
  groupingsDown: {
    field: string;
    dateGranularity?: string;
    sortOrder: string;
  }[];
  buckets: BucketDef[];
  timeFrame?: {
    dateColumn: string;
    interval: string;
    startDate?: string;
    endDate?: string;
  };
  showDetails: boolean;
}

export interface DashboardComponentDef {
  report: string;
  componentType: string;
  header: string;
  footer: string;
  rowIndex: number;
  columnIndex: number;
  colSpan: number;
}

export interface DashboardDef {
  developerName: string;
  folder: string;
  title: string;
  description: string;
  dashboardType: string;
  components: DashboardComponentDef[];
}

const files = (dir: string, suffix: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .sort()
    : [];

const folders = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];

function readReportType(node: XmlNode, fileName: string): ReportTypeDef {
  const join = nodes(node, 'join')[0];
  return {
    name: `${fileName}__c`,
    label: text(node, 'label'),
    baseObject: text(node, 'baseObject'),
    ...(join
      ? {
          join: {
            relationship: text(join, 'relationship'),
            outerJoin: text(join, 'outerJoin') === 'true'
          }
        }
      : {}),
    columns: nodes(node, 'sections').flatMap((section) =>
      nodes(section, 'columns').map((c) => ({
        table: text(c, 'table'),
        field: text(c, 'field'),
        ...(text(c, 'displayNameOverride')
          ? { label: text(c, 'displayNameOverride') }
          : {})
      }))
    )
  };
}

const optionalNumber = (node: XmlNode, key: string): number | undefined =>
  text(node, key) === '' ? undefined : Number(text(node, key));

function readBucket(node: XmlNode): BucketDef {
  return {
    developerName: text(node, 'developerName'),
    label: text(node, 'masterLabel'),
    sourceColumn: text(node, 'sourceColumnName'),
    nullAsZero: text(node, 'nullTreatment') === 'z',
    values: nodes(node, 'values').map((v) => {
      const range = nodes(v, 'sourceValues')[0] ?? {};
      const from = optionalNumber(range, 'from');
      const to = optionalNumber(range, 'to');
      return {
        label: text(v, 'value'),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to })
      };
    })
  };
}

function readReport(
  node: XmlNode,
  developerName: string,
  folder: string
): ReportDef {
  const timeFrame = nodes(node, 'timeFrameFilter')[0];
  const filter = nodes(node, 'filter')[0];
  return {
    developerName,
    folder,
    name: text(node, 'name'),
    description: text(node, 'description'),
    format: text(node, 'format') || 'Tabular',
    reportType: text(node, 'reportType'),
    columns: nodes(node, 'columns').map((c) => ({
      field: text(c, 'field'),
      aggregates: texts(c, 'aggregateTypes')
    })),
    filters: nodes(filter, 'criteriaItems').map((c) => ({
      column: text(c, 'column'),
      operator: text(c, 'operator'),
      value: text(c, 'value')
    })),
    groupingsDown: nodes(node, 'groupingsDown').map((g) => ({
      field: text(g, 'field'),
      sortOrder: text(g, 'sortOrder') || 'Asc',
      ...(text(g, 'dateGranularity')
        ? { dateGranularity: text(g, 'dateGranularity') }
        : {})
    })),
    buckets: nodes(node, 'buckets').map(readBucket),
    ...(timeFrame
      ? {
          timeFrame: {
            dateColumn: text(timeFrame, 'dateColumn'),
            interval: text(timeFrame, 'interval'),
            ...(text(timeFrame, 'startDate')
              ? { startDate: text(timeFrame, 'startDate') }
              : {}),
            ...(text(timeFrame, 'endDate')
              ? { endDate: text(timeFrame, 'endDate') }
              : {})
          }
        }
      : {}),
    showDetails: text(node, 'showDetails') !== 'false'
  };
}

function readDashboard(
  node: XmlNode,
  developerName: string,
  folder: string
): DashboardDef {
  const grid = nodes(node, 'dashboardGridLayout')[0];
  return {
    developerName,
    folder,
    title: text(node, 'title'),
    description: text(node, 'description'),
    dashboardType: text(node, 'dashboardType'),
    components: nodes(grid, 'dashboardGridComponents').map((g) => {
      const c = nodes(g, 'dashboardComponent')[0] ?? {};
      return {
        report: text(c, 'report'),
        componentType: text(c, 'componentType'),
        header: text(c, 'header'),
        footer: text(c, 'footer'),
        rowIndex: Number(text(g, 'rowIndex') || 0),
        columnIndex: Number(text(g, 'columnIndex') || 0),
        colSpan: Number(text(g, 'colSpan') || 1)
      };
    })
  };
}

export interface PackagedAnalytics {
  /** Folder developer name → its label (reports/<folder>.reportFolder-meta.xml, dashboards/…). */
  folderLabels: Map<string, string>;
  reportTypes: Map<string, ReportTypeDef>;
  reports: ReportDef[];
  dashboards: DashboardDef[];
}

/** Every report type, report (with its folder) and dashboard under an SFDX source folder. */
export function loadPackagedAnalytics(metadataDir: string): PackagedAnalytics {
  const reportTypes = new Map<string, ReportTypeDef>();
  const typesDir = join(metadataDir, 'reportTypes');
  for (const file of files(typesDir, '.reportType-meta.xml')) {
    const name = file.replace('.reportType-meta.xml', '');
    const def = readReportType(
      readMetadataXml(join(typesDir, file), 'ReportType'),
      name
    );
    reportTypes.set(def.name.toLowerCase(), def);
  }
  const reportsDir = join(metadataDir, 'reports');
  const reports = folders(reportsDir).flatMap((folder) =>
    files(join(reportsDir, folder), '.report-meta.xml').map((file) =>
      readReport(
        readMetadataXml(join(reportsDir, folder, file), 'Report'),
        file.replace('.report-meta.xml', ''),
        folder
      )
    )
  );
  const dashboardsDir = join(metadataDir, 'dashboards');
  const dashboards = folders(dashboardsDir).flatMap((folder) =>
    files(join(dashboardsDir, folder), '.dashboard-meta.xml').map((file) =>
      readDashboard(
        readMetadataXml(join(dashboardsDir, folder, file), 'Dashboard'),
        file.replace('.dashboard-meta.xml', ''),
        folder
      )
    )
  );
  const folderLabels = new Map<string, string>();
  for (const [dir, suffix, root] of [
    [reportsDir, '.reportFolder-meta.xml', 'ReportFolder'],
    [dashboardsDir, '.dashboardFolder-meta.xml', 'DashboardFolder']
  ] as const)
    for (const file of files(dir, suffix))
      folderLabels.set(
        file.replace(suffix, ''),
        text(readMetadataXml(join(dir, file), root), 'name')
      );
  return { folderLabels, reportTypes, reports, dashboards };
}

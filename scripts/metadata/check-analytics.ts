// Packaged analytics (rule `analytics-reference`): report types name objects, child relationships and
// fields that exist; reports name a packaged report type, use only its columns (in columns, filters,
// groupings, buckets and the time frame), and live in a packaged report folder; dashboards show packaged
// reports, live in a packaged dashboard folder and name no running user (rule `dashboard-running-user`:
// a username of this org does not exist in a subscriber's org, so an unlocked package's dashboard runs
// as the viewer, LoggedInUser); folders are Public with read-only or read-write access (rule
// `folder-access`: a Shared folder's shares name roles and groups the subscriber's org does not have).
import { basename, dirname } from 'node:path';
import { nodes, text, texts } from '../../sandboxes/salesforce/metadata/xml.ts';
import type { XmlNode } from '../../sandboxes/salesforce/metadata/xml.ts';
import type { Problem, XmlFile } from './read-project.ts';
import { resolvePath } from './schema.ts';
import type { Schema } from './schema.ts';

interface TypeColumns {
  file: string;
  /** `table$field` tokens, lower case. */
  tokens: Set<string>;
}

const problem = (file: XmlFile, rule: string, message: string): Problem => ({
  file: file.file,
  rule,
  message
});

/** The table's object: the base, or the child behind `Base.Relationship__r`. */
function tableObject(
  schema: Schema,
  base: string,
  table: string,
  join: string | undefined
): string | string[] {
  if (table === base) return base;
  if (!join || table !== `${base}.${join}`)
    return `table ${table} is neither ${base} nor its join`;
  for (const object of schema.values())
    for (const field of object.fields.values())
      if (field.relationship?.to === base && field.childRelationship === join)
        return object.name;
  return `${join} is not a child relationship of ${base}`;
}

function checkReportType(
  file: XmlFile,
  schema: Schema,
  problems: Problem[]
): TypeColumns {
  const base = text(file.body, 'baseObject');
  const join = nodes(file.body, 'join')[0];
  const relationship = join ? text(join, 'relationship') : undefined;
  if (join && nodes(join, 'join').length > 0)
    problems.push(
      problem(
        file,
        'analytics-reference',
        'the validator checks one join level; review deeper joins by hand'
      )
    );
  const tokens = new Set<string>();
  for (const column of nodes(file.body, 'sections').flatMap((s) =>
    nodes(s, 'columns')
  )) {
    const table = text(column, 'table');
    const field = text(column, 'field');
    const object = tableObject(schema, base, table, relationship);
    const resolved =
      typeof object === 'string' && schema.has(object)
        ? resolvePath(schema, object, field)
        : object;
    if (typeof resolved === 'string' || Array.isArray(resolved))
      problems.push(
        problem(
          file,
          'analytics-reference',
          `column ${table}.${field}: ${String(resolved)}`
        )
      );
    tokens.add(`${table}$${field}`.toLowerCase());
  }
  return { file: file.file, tokens };
}

/** The column tokens a report uses, with where. */
function reportTokens(body: XmlNode): { token: string; where: string }[] {
  const filter = nodes(body, 'filter')[0];
  const timeFrame = nodes(body, 'timeFrameFilter')[0];
  return [
    ...nodes(body, 'columns').map((c) => ({
      token: text(c, 'field'),
      where: 'column'
    })),
    ...nodes(filter, 'criteriaItems').map((c) => ({
      token: text(c, 'column'),
      where: 'filter'
    })),
    ...nodes(body, 'buckets').map((b) => ({
      token: text(b, 'sourceColumnName'),
      where: 'bucket'
    })),
    ...(timeFrame
      ? [{ token: text(timeFrame, 'dateColumn'), where: 'time frame' }]
      : [])
  ];
}

function checkReport(
  file: XmlFile,
  types: Map<string, TypeColumns>,
  folders: Set<string>,
  problems: Problem[]
): void {
  const folder = basename(dirname(file.file));
  if (!folders.has(folder))
    problems.push(
      problem(
        file,
        'analytics-reference',
        `report folder ${folder} is not packaged (reports/${folder}.reportFolder-meta.xml)`
      )
    );
  const typeName = text(file.body, 'reportType');
  const type = types.get(typeName.toLowerCase().replace(/__c$/, ''));
  if (!type) {
    problems.push(
      problem(
        file,
        'analytics-reference',
        `report type ${typeName} is not a packaged report type (reportTypes/)`
      )
    );
    return;
  }
  const buckets = new Set(
    nodes(file.body, 'buckets').map((b) => text(b, 'developerName'))
  );
  const groupings = nodes(file.body, 'groupingsDown').concat(
    nodes(file.body, 'groupingsAcross')
  );
  for (const { token, where } of [
    ...reportTokens(file.body),
    ...groupings
      .map((g) => ({ token: text(g, 'field'), where: 'grouping' }))
      .filter((g) => !buckets.has(g.token))
  ])
    if (!type.tokens.has(token.toLowerCase()))
      problems.push(
        problem(
          file,
          'analytics-reference',
          `${where} ${token} is not a column of report type ${typeName}`
        )
      );
  if (groupings.length > 0 && text(file.body, 'format') === 'Tabular')
    problems.push(
      problem(
        file,
        'analytics-reference',
        'a Tabular report has no groupings; use Summary'
      )
    );
}

function checkDashboard(
  file: XmlFile,
  reports: Set<string>,
  folders: Set<string>,
  problems: Problem[]
): void {
  const folder = basename(dirname(file.file));
  if (!folders.has(folder))
    problems.push(
      problem(
        file,
        'analytics-reference',
        `dashboard folder ${folder} is not packaged (dashboards/${folder}.dashboardFolder-meta.xml)`
      )
    );
  const grid = nodes(file.body, 'dashboardGridLayout')[0];
  const components = [
    ...nodes(grid, 'dashboardGridComponents').flatMap((g) =>
      nodes(g, 'dashboardComponent')
    ),
    ...['leftSection', 'middleSection', 'rightSection'].flatMap((s) =>
      nodes(nodes(file.body, s)[0], 'components')
    )
  ];
  for (const report of components.map((c) => text(c, 'report')).filter(Boolean))
    if (!reports.has(report))
      problems.push(
        problem(
          file,
          'analytics-reference',
          `component report ${report} is not a packaged report (Folder/DeveloperName)`
        )
      );
  if (
    text(file.body, 'runningUser') ||
    text(file.body, 'dashboardType') !== 'LoggedInUser'
  )
    problems.push(
      problem(
        file,
        'dashboard-running-user',
        'name no running user: the username does not exist in a subscriber org; use dashboardType LoggedInUser'
      )
    );
}

function checkFolder(file: XmlFile, problems: Problem[]): void {
  const access = text(file.body, 'accessType');
  if (access !== 'Public')
    problems.push(
      problem(
        file,
        'folder-access',
        `accessType ${access || '(none)'}: a packaged folder is Public (Shared folders' shares name roles and groups of this org)`
      )
    );
  if (texts(file.body, 'publicFolderAccess').length === 0)
    problems.push(
      problem(
        file,
        'folder-access',
        'a Public folder needs publicFolderAccess (ReadOnly or ReadWrite)'
      )
    );
}

const nameOf = (file: XmlFile, suffix: string) =>
  basename(file.file).replace(suffix, '');

export function checkAnalytics(
  xml: readonly XmlFile[],
  schema: Schema
): Problem[] {
  const problems: Problem[] = [];
  const types = new Map<string, TypeColumns>();
  for (const file of xml.filter((f) => f.root === 'ReportType'))
    types.set(
      nameOf(file, '.reportType-meta.xml').toLowerCase(),
      checkReportType(file, schema, problems)
    );
  const reportFolders = new Set(
    xml
      .filter((f) => f.root === 'ReportFolder')
      .map((f) => nameOf(f, '.reportFolder-meta.xml'))
  );
  const dashboardFolders = new Set(
    xml
      .filter((f) => f.root === 'DashboardFolder')
      .map((f) => nameOf(f, '.dashboardFolder-meta.xml'))
  );
  const reports = new Set<string>();
  for (const file of xml.filter((f) => f.root === 'Report')) {
    checkReport(file, types, reportFolders, problems);
    reports.add(
      `${basename(dirname(file.file))}/${nameOf(file, '.report-meta.xml')}`
    );
  }
  for (const file of xml.filter((f) => f.root === 'Dashboard'))
    checkDashboard(file, reports, dashboardFolders, problems);
  for (const file of xml.filter(
    (f) => f.root === 'ReportFolder' || f.root === 'DashboardFolder'
  ))
    checkFolder(file, problems);
  return problems;
}

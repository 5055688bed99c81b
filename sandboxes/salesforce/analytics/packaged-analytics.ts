// The packaged analytics of one sandbox: report types, reports and dashboards read once from its
// metadata folder, and their Report and Dashboard records (real-shaped 00O / 01Z ids, queryable by
// SOQL as `SELECT Id, DeveloperName, FolderName FROM Report`), inserted again after each reset.
import type { SandboxState } from '../state.ts';
import { idChecksum } from '../store/ids.ts';
import { loadFormulaFields } from './formula-fields.ts';
import type { CompiledFormulaField } from './formula-fields.ts';
import { loadPackagedAnalytics } from './report-metadata.ts';
import type {
  DashboardDef,
  PackagedAnalytics,
  ReportDef
} from './report-metadata.ts';

export interface AnalyticsCatalog extends PackagedAnalytics {
  formulas: Map<string, Map<string, CompiledFormulaField>>;
  /** Ensures the Report and Dashboard records exist (the store is emptied by a reset). */
  ensureRecords(): void;
  reportById(id: string): { id: string; report: ReportDef } | undefined;
  reportIdOf(folderAndName: string): string | undefined;
  dashboardById(
    id: string
  ): { id: string; dashboard: DashboardDef } | undefined;
  folderIdOf(folder: string): string;
}

const catalogs = new WeakMap<SandboxState, AnalyticsCatalog>();

/** A folder's id: 00l (a folder's key prefix) and a stable tail from its name. */
function folderId(folder: string): string {
  let hash = 0;
  for (const ch of folder) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const id15 = `00l5g0000${hash.toString(36).toUpperCase().padStart(6, '0').slice(-6)}`;
  return id15 + idChecksum(id15);
}

function createCatalog(state: SandboxState): AnalyticsCatalog {
  const packaged = loadPackagedAnalytics(state.options.metadataDir);
  const formulas = loadFormulaFields(state.options.metadataDir);
  const idsOf = (sobject: string) => {
    const byName = new Map<string, string>();
    for (const row of state.store.all(sobject))
      byName.set(
        `${String(row.FolderName)}/${String(row.DeveloperName)}`,
        String(row.Id)
      );
    return byName;
  };
  const label = (folder: string) => packaged.folderLabels.get(folder) ?? folder;
  function ensureRecords(): void {
    if (state.store.count('Report') === 0)
      for (const r of packaged.reports)
        state.insertFixture('Report', {
          Name: r.name,
          DeveloperName: r.developerName,
          FolderName: label(r.folder),
          Format: r.format,
          Description: r.description.slice(0, 255)
        });
    if (state.store.count('Dashboard') === 0)
      for (const d of packaged.dashboards)
        state.insertFixture('Dashboard', {
          Title: d.title,
          DeveloperName: d.developerName,
          FolderName: label(d.folder),
          Type: d.dashboardType
        });
  }
  const findRow = (sobject: string, id: string) => {
    const row = [...state.store.all(sobject)].find(
      (r) => String(r.Id) === id || String(r.Id).slice(0, 15) === id
    );
    return row
      ? { id: String(row.Id), name: String(row.DeveloperName) }
      : undefined;
  };
  return {
    ...packaged,
    formulas,
    ensureRecords,
    reportById(id) {
      ensureRecords();
      const row = findRow('Report', id);
      const report = packaged.reports.find(
        (r) => r.developerName === row?.name
      );
      return row && report ? { id: row.id, report } : undefined;
    },
    reportIdOf(folderAndName) {
      ensureRecords();
      const [folder = '', name = ''] = folderAndName.split('/');
      return idsOf('Report').get(`${label(folder)}/${name}`);
    },
    dashboardById(id) {
      ensureRecords();
      const row = findRow('Dashboard', id);
      const dashboard = packaged.dashboards.find(
        (d) => d.developerName === row?.name
      );
      return row && dashboard ? { id: row.id, dashboard } : undefined;
    },
    folderIdOf: folderId
  };
}

/** The sandbox's analytics catalog, loaded on first use. */
export function analyticsCatalog(state: SandboxState): AnalyticsCatalog {
  let catalog = catalogs.get(state);
  if (!catalog) {
    catalog = createCatalog(state);
    catalogs.set(state, catalog);
  }
  return catalog;
}

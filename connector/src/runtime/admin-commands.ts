// What `connector status`, `deadletters list|replay` and `doctor` do, as functions over an open
// database (so tests call them directly); cli.ts only parses arguments and prints.
import type PgBoss from 'pg-boss';
import type { ConnectorConfig } from '../config.ts';
import { configWarnings } from '../config.ts';
import { readApiSpend } from '../db/api-spend.ts';
import type { Database } from '../db/open-database.ts';
import { SQL } from '../db/sql.ts';
import { salesforceAuthHint } from '../salesforce/auth-hosts.ts';
import { listDeadLetters, replayDeadLetters } from '../queue/dead-letters.ts';
import type { DeadLetter } from '../queue/dead-letters.ts';
import { readFileCopyStats } from '../files/file-copies.ts';
import type { FileCopyStats } from '../files/file-copies.ts';
import { FILES_QUEUE } from '../queue/files-queue.ts';
import { getQueueStats } from '../queue/queue-stats.ts';
import type { QueueStats } from '../queue/queue-stats.ts';
import { readDirtyStats } from '../rollups/dirty-parents.ts';
import type { DirtyStats } from '../rollups/dirty-parents.ts';

export interface StatusReport extends QueueStats {
  deliveriesStored: number;
  /** The files queue (photos copied into Salesforce Files) and what became of the photos. */
  files: Omit<QueueStats, 'deadLetters'> & FileCopyStats;
  /** The connector's Salesforce API calls (all replicas), from the spend ledger. */
  salesforceApiSpend: { lastHour: number; last24h: number };
  /** Parents whose rollups wait for the drainer (ROLLUP_INTERVAL_SECONDS). */
  rollupsDirty: DirtyStats;
}

export async function statusReport(database: Database): Promise<StatusReport> {
  const [stats, deliveries, salesforceApiSpend, filesQueue, copies, dirty] =
    await Promise.all([
      getQueueStats(database.pool),
      database.pool.query<{ count: number }>(SQL.countDeliveries),
      readApiSpend(database.pool),
      getQueueStats(database.pool, FILES_QUEUE),
      readFileCopyStats(database.pool),
      readDirtyStats(database.pool)
    ]);
  const { deadLetters: _all, ...filesStats } = filesQueue;
  return {
    ...stats,
    files: { ...filesStats, ...copies },
    deliveriesStored: deliveries.rows[0]?.count ?? 0,
    salesforceApiSpend,
    rollupsDirty: dirty
  };
}

export function formatDeadLetters(rows: readonly DeadLetter[]): string {
  if (rows.length === 0) return 'No dead letters.';
  const header = [
    'resource id',
    'type',
    'attempts',
    'last error',
    'status',
    'reason'
  ];
  const lines = rows.map((r) => [
    r.resourceId,
    r.queue === FILES_QUEUE ? 'photos' : r.resourceType,
    String(r.attempts),
    r.lastFailedAt.toISOString(),
    r.status,
    r.reason.replace(/\s+/g, ' ').slice(0, 160)
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length))
  );
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}

export async function deadLettersList(
  database: Database,
  options: { includeReplayed?: boolean; limit?: number } = {}
) {
  return listDeadLetters(database.pool, options);
}

export async function deadLettersReplay(
  database: Database,
  boss: PgBoss,
  selection: { all: true } | { resourceIds: string[] }
): Promise<string[]> {
  return replayDeadLetters(database.pool, boss, selection);
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorDeps {
  config: ConnectorConfig;
  database?: () => Promise<unknown>;
  scope?: () => Promise<unknown>;
  salesforce?: () => Promise<unknown>;
  writableFields?: () => Promise<{ field: string; problem: string }[]>;
  /** The Scope schema checks (scope-doctor.ts); run only when `scope` authenticated. */
  scopeSchema?: () => Promise<DoctorCheck[]>;
}

/** The report as `connector doctor` prints it, one line a check. */
export function formatDoctorChecks(checks: readonly DoctorCheck[]): string[] {
  return checks.map(
    (check) => `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`
  );
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const warnings = configWarnings(deps.config);
  checks.push({
    name: 'configuration',
    ok: true,
    detail: warnings.length ? `valid; ${warnings.join('; ')}` : 'valid'
  });
  const attempt = async (
    name: string,
    run: (() => Promise<unknown>) | undefined,
    describe: (value: unknown) => string
  ) => {
    if (!run) {
      checks.push({ name, ok: false, detail: 'not configured' });
      return;
    }
    try {
      checks.push({ name, ok: true, detail: describe(await run()) });
    } catch (error) {
      checks.push({
        name,
        ok: false,
        detail: (error as Error).message.slice(0, 300)
      });
    }
  };
  await attempt(
    'database',
    deps.database,
    () => 'reachable, migrations applied'
  );
  await attempt('scope', deps.scope, (v) => `authenticated${viewerName(v)}`);
  if (deps.scopeSchema && checks.at(-1)?.ok) {
    try {
      checks.push(...(await deps.scopeSchema()));
    } catch (error) {
      checks.push({
        name: 'scope schema',
        ok: false,
        detail: (error as Error).message.slice(0, 300)
      });
    }
  }
  await attempt('salesforce', deps.salesforce, () => 'authenticated');
  const salesforceCheck = checks.at(-1);
  if (salesforceCheck && !salesforceCheck.ok)
    salesforceCheck.detail += salesforceAuthHint(salesforceCheck.detail);
  if (deps.writableFields) {
    try {
      const problems = await deps.writableFields();
      checks.push({
        name: 'salesforce fields',
        ok: problems.length === 0,
        detail:
          problems.length === 0
            ? 'every written field exists and is writable'
            : problems.map((p) => `${p.field}: ${p.problem}`).join(', ')
      });
    } catch (error) {
      checks.push({
        name: 'salesforce fields',
        ok: false,
        detail: (error as Error).message.slice(0, 300)
      });
    }
  }
  return checks;
}

function viewerName(value: unknown): string {
  if (
    value &&
    typeof value === 'object' &&
    'viewerName' in value &&
    typeof value.viewerName === 'string'
  ) {
    return ` as ${value.viewerName}`;
  }
  return '';
}

// connector sync | backfill | report ttr, and the SYNC_CRON schedule inside `serve`. cli.ts registers
// these with registerSyncCommands(program, io) and starts the schedule with startServeSync(connector, …).
import type { Command } from 'commander';
import type { CliIo } from './cli.ts';
import { ConfigError, loadConfig } from './config.ts';
import type { ConnectorConfig } from './config.ts';
import { openDatabase } from './db/open-database.ts';
import type { Database } from './db/open-database.ts';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import type { ConnectorMetrics } from './metrics.ts';
import { formatTtr } from './report/format-ttr.ts';
import { runTtrReport } from './report/ttr-report.ts';
import { mappingOptions } from './runtime/create-processing.ts';
import {
  SyncConfigError,
  createSyncReconciler,
  createSyncScopeClient,
  createSyncSoqlReader
} from './sync/create-sync.ts';
import { createProgressReporter } from './sync/progress-reporter.ts';
import { runSyncPass } from './sync/run-sync-pass.ts';
import type { SyncPassOptions, SyncSummary } from './sync/run-sync-pass.ts';
import { createSyncMetrics } from './sync/sync-metrics.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import type { SyncScheduler } from './sync/sync-scheduler.ts';

/** Thrown after the message was printed; runCli returns exitCode. */
class SyncExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number
  ) {
    super(message);
  }
}

const EXIT = {
  failed: 1,
  usage: 64,
  busy: 75,
  config: 78,
  interrupted: 130
} as const;

function fail(io: CliIo, message: string, code: number): never {
  io.err(message);
  throw new SyncExit(message, code);
}

function readConfig(io: CliIo): ConnectorConfig {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(io, error.message, EXIT.config);
    throw error;
  }
}

async function withDatabase<T>(
  config: ConnectorConfig,
  logger: Logger,
  work: (db: Database) => Promise<T>
): Promise<T> {
  const db = await openDatabase(config, { logger, reuseRunning: true });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function describeSummary(s: SyncSummary): string[] {
  const stream = (label: string, c: SyncSummary['sessions']) =>
    `${label.padEnd(18)} ${c.seen} seen, ${c.written} written, ${c.unchanged} unchanged${c.resumed ? ' (resumed)' : ''}${c.updatedSince ? ` (changed since ${c.updatedSince})` : ''}`;
  return [
    `sync run ${s.runId ?? '-'}: ${s.outcome}${s.error ? ` (${s.error})` : ''}`,
    stream('scenario sessions', s.sessions),
    stream('calls', s.calls),
    `${'reconciliation'.padEnd(18)} ${s.reconcile.checked} checked, ${s.reconcile.repaired} repaired, ${s.reconcile.failed} failed`,
    `${'requests'.padEnd(18)} ${s.graphqlRequests} GraphQL, ${s.pages} pages`,
    ...s.errors.slice(0, 10).map((e) => `  ! ${e}`)
  ];
}

interface PassFlags {
  reconcile: boolean;
  json?: boolean;
  full?: boolean;
}

async function runPassCommand(
  io: CliIo,
  flags: PassFlags,
  kind: 'sync' | 'backfill'
): Promise<void> {
  const config = readConfig(io);
  const logger = createLogger({
    level:
      kind === 'backfill' || flags.json
        ? 'warn'
        : config.logLevel === 'info'
          ? 'warn'
          : config.logLevel
  });
  let build: Pick<SyncPassOptions, 'scope' | 'reconciler'>;
  try {
    build = {
      scope: createSyncScopeClient(config, { logger }),
      ...(flags.reconcile
        ? { reconciler: createSyncReconciler(config, { logger }) }
        : {})
    };
  } catch (error) {
    if (error instanceof SyncConfigError)
      fail(io, `Invalid configuration: ${error.message}`, EXIT.config);
    throw error;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress =
    kind === 'backfill'
      ? createProgressReporter({
          tty: Boolean(process.stderr.isTTY),
          stream: process.stderr,
          log: (line) => io.err(line)
        })
      : undefined;
  try {
    const summary = await withDatabase(config, logger, (db) =>
      runSyncPass({
        ...build,
        pool: db.pool,
        mapping: mappingOptions(config),
        pageSize: config.syncPageSize,
        mode: kind === 'backfill' || flags.full ? 'full' : 'incremental',
        trigger: kind === 'backfill' ? 'backfill' : 'cli',
        logger,
        signal: controller.signal,
        wantTotals: kind === 'backfill',
        ...(progress ? { onProgress: (p) => progress.update(p) } : {})
      })
    );
    progress?.stop();
    if (flags.json) io.out(JSON.stringify(summary));
    else for (const line of describeSummary(summary)) io.out(line);
    if (summary.outcome === 'skipped') throw new SyncExit('busy', EXIT.busy);
    if (summary.outcome === 'interrupted')
      throw new SyncExit('interrupted', EXIT.interrupted);
    if (summary.outcome === 'failed') throw new SyncExit('failed', EXIT.failed);
  } finally {
    progress?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parseDate(
  io: CliIo,
  name: string,
  value: string | undefined,
  fallback: Date
): Date {
  if (value === undefined) return fallback;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    fail(
      io,
      `--${name}: not a date (use e.g. 2025-01-31 or 2025-01-31T12:00:00Z)`,
      EXIT.usage
    );
  return new Date(time);
}

export function registerSyncCommands(program: Command, io: CliIo): void {
  program
    .command('sync')
    .description(
      'one pass: Scope sessions and calls → analytics schema, and reconcile Salesforce'
    )
    .option('--no-reconcile', 'only import into the analytics schema')
    .option(
      '--full',
      'read every node even when the tenant offers a "changed since" filter'
    )
    .option('--json', 'machine-readable summary')
    .action((opts: PassFlags) => runPassCommand(io, opts, 'sync'));

  program
    .command('backfill')
    .description(
      'first load: a full pass with a progress bar (log lines when not on a terminal)'
    )
    .option('--no-reconcile', 'only import into the analytics schema')
    .option('--json', 'machine-readable summary')
    .action((opts: PassFlags) => runPassCommand(io, opts, 'backfill'));

  const report =
    program.commands.find((c) => c.name() === 'report') ??
    program.command('report').description('reports');
  report
    .command('ttr')
    .description(
      'time to resolution of resolved work orders, with and without AR calls and scenario sessions'
    )
    .option(
      '--from <date>',
      'resolved on or after (default: 90 days before --to)'
    )
    .option('--to <date>', 'resolved before (default: now)')
    .option('--format <format>', 'table | csv | json', 'table')
    .option(
      '--statuses <list>',
      'StatusCategory values that mean resolved',
      'Completed,Closed'
    )
    .option(
      '--ftf-days <n>',
      'first-time-fix window in days',
      (v) => Number.parseInt(v, 10),
      30
    )
    .option('--no-store', 'do not write the result to the analytics schema')
    .action(
      async (opts: {
        from?: string;
        to?: string;
        format: string;
        statuses: string;
        ftfDays: number;
        store: boolean;
      }) => {
        if (!['table', 'csv', 'json'].includes(opts.format))
          fail(io, '--format must be table, csv or json', EXIT.usage);
        if (!Number.isInteger(opts.ftfDays) || opts.ftfDays < 1)
          fail(io, '--ftf-days must be a positive integer', EXIT.usage);
        const config = readConfig(io);
        const to = parseDate(io, 'to', opts.to, new Date());
        const from = parseDate(
          io,
          'from',
          opts.from,
          new Date(to.getTime() - 90 * 86_400_000)
        );
        if (from >= to) fail(io, '--from must be before --to', EXIT.usage);
        let reader;
        try {
          reader = createSyncSoqlReader(config);
        } catch (error) {
          if (error instanceof SyncConfigError)
            fail(io, `Invalid configuration: ${error.message}`, EXIT.config);
          throw error;
        }
        const sourceOptions = {
          from,
          to,
          resolvedStatuses: opts.statuses
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          ftfWindowDays: opts.ftfDays
        };
        const logger = createLogger({ level: 'warn' });
        const result = opts.store
          ? await withDatabase(config, logger, (db) =>
              runTtrReport({ reader, pool: db.pool }, sourceOptions)
            )
          : await runTtrReport({ reader }, sourceOptions);
        io.out(formatTtr(result, opts.format as 'table' | 'csv' | 'json'));
      }
    );
}

/**
 * The SYNC_CRON schedule of a serving connector (off when SYNC_CRON is empty). Stops before the
 * connector closes its pool: on SIGTERM/SIGINT, and through the returned scheduler.
 */
export async function startServeSync(
  connector: { database: Database; metrics: ConnectorMetrics },
  config: ConnectorConfig,
  logger?: Logger
): Promise<SyncScheduler | undefined> {
  if (!config.syncCron) return undefined;
  const metrics = createSyncMetrics(connector.metrics.registry);
  let reconciler;
  try {
    reconciler = createSyncReconciler(config, {
      metrics: connector.metrics,
      logger
    });
  } catch (error) {
    logger?.warn({ err: error }, 'scheduled sync runs without reconciliation');
  }
  const scheduler = await startSyncScheduler({
    pool: connector.database.pool,
    cron: config.syncCron,
    logger,
    pass: {
      scope: createSyncScopeClient(config, {
        metrics: connector.metrics,
        logger
      }),
      ...(reconciler ? { reconciler } : {}),
      mapping: mappingOptions(config),
      pageSize: config.syncPageSize,
      metrics,
      logger: logger?.child({ component: 'sync' })
    }
  });
  const stop = () => void scheduler.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return scheduler;
}

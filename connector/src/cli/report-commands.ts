// connector report ttr: parses and checks the options of the time-to-resolution report, runs it
// (report/ttr-report.ts) and prints it as a table, CSV or JSON.
import type { Command } from 'commander';
import { createLogger } from '../logger.ts';
import { runTtrReport } from '../report/ttr-report.ts';
import { formatTtr } from '../report/format-ttr.ts';
import type { TtrSourceOptions } from '../report/ttr-source.ts';
import type { SoqlReader } from '../salesforce/index.ts';
import { SyncConfigError, createSyncSoqlReader } from '../sync/create-sync.ts';
import type { ConnectorConfig } from '../config.ts';
import { EXIT, fail, readConfig, withDatabase } from './cli-io.ts';
import type { CliIo } from './cli-io.ts';

const DAY_MS = 86_400_000;
const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface TtrFlags {
  from?: string;
  to?: string;
  format: string;
  /** Unset: OUTCOME_RESOLVED_STATUSES, the definition the WorkOrder outcome fields use. */
  statuses?: string;
  /** Unset: OUTCOME_WINDOW_DAYS. */
  ftfDays?: number;
  store: boolean;
}

function parseDate(
  name: string,
  value: string | undefined,
  fallback: Date
): Date {
  if (value === undefined) return fallback;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    fail(
      `--${name}: not a date (use e.g. 2025-01-31 or 2025-01-31T12:00:00Z)`,
      EXIT.usage
    );
  return new Date(time);
}

function checkFlags(opts: TtrFlags): Format {
  if (!(FORMATS as readonly string[]).includes(opts.format))
    fail('--format must be table, csv or json', EXIT.usage);
  if (
    opts.ftfDays !== undefined &&
    (!Number.isInteger(opts.ftfDays) || opts.ftfDays < 1)
  )
    fail('--ftf-days must be a positive integer', EXIT.usage);
  return opts.format as Format;
}

/** The period (default: the 90 days before --to, which defaults to now), statuses and window. */
function sourceOptions(
  opts: TtrFlags,
  outcomes: ConnectorConfig['outcomes']
): TtrSourceOptions {
  const to = parseDate('to', opts.to, new Date());
  const from = parseDate(
    'from',
    opts.from,
    new Date(to.getTime() - 90 * DAY_MS)
  );
  if (from >= to) fail('--from must be before --to', EXIT.usage);
  return {
    from,
    to,
    resolvedStatuses:
      opts.statuses === undefined
        ? outcomes.resolvedStatuses
        : opts.statuses
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    ftfWindowDays: opts.ftfDays ?? outcomes.windowDays
  };
}

function soqlReader(config: ConnectorConfig): SoqlReader {
  try {
    return createSyncSoqlReader(config);
  } catch (error) {
    if (error instanceof SyncConfigError)
      fail(`Invalid configuration: ${error.message}`, EXIT.config);
    throw error;
  }
}

async function reportTtr(io: CliIo, opts: TtrFlags): Promise<void> {
  const format = checkFlags(opts);
  const config = readConfig(io);
  const options = sourceOptions(opts, config.outcomes);
  const reader = soqlReader(config);
  const logger = createLogger({ level: 'warn' });
  const result = opts.store
    ? await withDatabase(config, logger, (db) =>
        runTtrReport({ reader, pool: db.pool }, options)
      )
    : await runTtrReport({ reader }, options);
  io.out(formatTtr(result, format));
}

export function registerReportCommands(program: Command, io: CliIo): void {
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
      'StatusCategory values that mean resolved (default: OUTCOME_RESOLVED_STATUSES, Completed,Closed)'
    )
    .option(
      '--ftf-days <n>',
      'first-time-fix window in days (default: OUTCOME_WINDOW_DAYS, 30)',
      (v) => Number.parseInt(v, 10)
    )
    .option('--no-store', 'do not write the result to the analytics schema')
    .action((opts: TtrFlags) => reportTtr(io, opts));
}

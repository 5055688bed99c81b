// connector sync | backfill: one sync pass by hand (Scope sessions and calls → analytics schema, and
// reconciliation with Salesforce); backfill is the first, full load with a progress bar.
import type { Command } from 'commander';
import type { ConnectorConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';
import { mappingOptions } from '../runtime/create-processing.ts';
import {
  SyncConfigError,
  createSyncReconciler,
  createSyncScopeClient
} from '../sync/create-sync.ts';
import { createProgressReporter } from '../sync/progress-reporter.ts';
import type { ProgressReporter } from '../sync/progress-reporter.ts';
import { runSyncPass } from '../sync/run-sync-pass.ts';
import type { SyncPassOptions, SyncSummary } from '../sync/run-sync-pass.ts';
import { CliExit, EXIT, fail, readConfig, withDatabase } from './cli-io.ts';
import type { CliIo } from './cli-io.ts';

interface PassFlags {
  reconcile: boolean;
  json?: boolean;
  full?: boolean;
}

type PassKind = 'sync' | 'backfill';

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

/** A pass logs at warn, or at LOG_LEVEL when it is not info (backfill and --json: always warn). */
function passLogger(
  config: ConnectorConfig,
  flags: PassFlags,
  kind: PassKind
): Logger {
  const quiet = kind === 'backfill' || flags.json || config.logLevel === 'info';
  return createLogger({ level: quiet ? 'warn' : config.logLevel });
}

/** The Scope client and (unless --no-reconcile) the reconciler; missing credentials are EX_CONFIG. */
function passClients(
  config: ConnectorConfig,
  flags: PassFlags,
  logger: Logger
): Pick<SyncPassOptions, 'scope' | 'reconciler'> {
  try {
    return {
      scope: createSyncScopeClient(config, { logger }),
      ...(flags.reconcile
        ? { reconciler: createSyncReconciler(config, { logger }) }
        : {})
    };
  } catch (error) {
    if (error instanceof SyncConfigError)
      fail(`Invalid configuration: ${error.message}`, EXIT.config);
    throw error;
  }
}

function backfillProgress(io: CliIo): ProgressReporter {
  return createProgressReporter({
    tty: Boolean(process.stderr.isTTY),
    stream: process.stderr,
    log: (line) => io.err(line)
  });
}

function exitForOutcome(outcome: SyncSummary['outcome']): void {
  if (outcome === 'skipped') throw new CliExit(EXIT.busy);
  if (outcome === 'interrupted') throw new CliExit(EXIT.interrupted);
  if (outcome === 'failed') throw new CliExit(EXIT.failed);
}

async function runPassCommand(
  io: CliIo,
  flags: PassFlags,
  kind: PassKind
): Promise<void> {
  const config = readConfig(io);
  const logger = passLogger(config, flags, kind);
  const clients = passClients(config, flags, logger);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = kind === 'backfill' ? backfillProgress(io) : undefined;
  try {
    const summary = await withDatabase(config, logger, (db) =>
      runSyncPass({
        ...clients,
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
    exitForOutcome(summary.outcome);
  } finally {
    progress?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
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
}

// connector doctor | status | deadletters list|replay: the operator's commands next to a running
// connector (checks, queue figures, dead letters). The work itself is in runtime/admin-commands.ts.
import type { Command } from 'commander';
import type { ConnectorConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createBoss } from '../queue/resource-queue.ts';
import {
  deadLettersList,
  deadLettersReplay,
  formatDeadLetters,
  formatDoctorChecks,
  runDoctor,
  statusReport
} from '../runtime/admin-commands.ts';
import { createProcessing } from '../runtime/create-processing.ts';
import type { Processing } from '../runtime/create-processing.ts';
import {
  doctorScopeClient,
  scopeDoctorChecks
} from '../runtime/scope-doctor.ts';
import { CliExit, EXIT, fail, readConfig, withDatabase } from './cli-io.ts';
import type { CliIo } from './cli-io.ts';

async function doctor(io: CliIo): Promise<void> {
  const config = readConfig(io);
  const logger = createLogger({ level: 'silent' });
  let processing: Processing | undefined;
  let processingError: string | undefined;
  try {
    processing = createProcessing(config, { logger });
  } catch (error) {
    processingError = (error as Error).message;
  }
  const scope = doctorScopeClient(config, processing?.scope, logger);
  const checks = await runDoctor({
    config,
    database: () =>
      withDatabase(config, logger, async (db) => db.pool.query('SELECT 1')),
    scope: scope && (() => scope.ping()),
    salesforce: processing?.pingSalesforce,
    writableFields: processing?.checkWritableFields,
    scopeSchema: scope && (() => scopeDoctorChecks(scope))
  });
  if (processingError)
    checks.push({
      name: 'processing configuration',
      ok: false,
      detail: processingError
    });
  for (const line of formatDoctorChecks(checks)) io.out(line);
  if (checks.some((c) => !c.ok))
    throw new CliExit(EXIT.failed, 'doctor found problems');
}

function describeBudget(budget: ConnectorConfig['salesforce']['apiBudget']) {
  if (!budget) return 'none (SF_API_BUDGET is empty)';
  return budget.kind === 'calls'
    ? `${budget.perDay} calls per 24 h`
    : `${Math.round(budget.fraction * 1000) / 10} % of the org's daily allowance`;
}

async function status(io: CliIo, opts: { json?: boolean }): Promise<void> {
  const config = readConfig(io);
  const logger = createLogger({ level: 'warn' });
  const report = await withDatabase(config, logger, statusReport);
  if (opts.json) {
    io.out(JSON.stringify(report));
    return;
  }
  io.out(`queue depth:           ${report.depth}`);
  io.out(`oldest pending:        ${Math.round(report.oldestPendingSeconds)} s`);
  io.out(`jobs by state:         ${JSON.stringify(report.states)}`);
  io.out(`dead letters pending:  ${report.deadLetters}`);
  io.out(`deliveries stored:     ${report.deliveriesStored}`);
  io.out(
    `rollups waiting:       ${report.rollupsDirty.waiting} parents, oldest ${Math.round(report.rollupsDirty.oldestSeconds)} s`
  );
  const { files } = report;
  io.out(
    `photos queue:          ${files.depth} pending, oldest ${Math.round(files.oldestPendingSeconds)} s`
  );
  io.out(
    `photos copied:         ${files.copied} (${Math.round(files.copiedBytes / 1048576)} MB of Salesforce file storage)`
  );
  io.out(`photos skipped:        ${files.skipped}`);
  for (const s of files.recentlySkipped)
    io.out(`  ${s.scopeEventId} (session ${s.scopeSessionId}): ${s.reason}`);
  const spend = report.salesforceApiSpend;
  io.out(
    `Salesforce API budget: ${describeBudget(config.salesforce.apiBudget)}`
  );
  io.out(
    `Salesforce API spend:  ${spend.last24h} calls in 24 h, ${spend.lastHour} in the last hour (projected ${spend.lastHour * 24} per 24 h)`
  );
}

async function listDeadLetters(
  io: CliIo,
  opts: { all?: boolean; limit: number; json?: boolean }
): Promise<void> {
  const config = readConfig(io);
  const rows = await withDatabase(
    config,
    createLogger({ level: 'warn' }),
    (db) =>
      deadLettersList(db, { includeReplayed: opts.all, limit: opts.limit })
  );
  io.out(opts.json ? JSON.stringify(rows) : formatDeadLetters(rows));
}

async function replayDeadLetters(
  io: CliIo,
  resourceIds: string[],
  opts: { all?: boolean }
): Promise<void> {
  if (!opts.all && resourceIds.length === 0)
    fail('name resource ids or pass --all', EXIT.usage);
  const config = readConfig(io);
  const logger = createLogger({ level: 'warn' });
  const replayed = await withDatabase(config, logger, async (db) => {
    const boss = createBoss(db.pool, { logger, supervise: false });
    await boss.start();
    try {
      return await deadLettersReplay(
        db,
        boss,
        opts.all ? { all: true } : { resourceIds }
      );
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
  });
  io.out(
    replayed.length
      ? `Re-enqueued ${replayed.length}: ${replayed.join(', ')}`
      : 'Nothing to replay.'
  );
}

export function registerAdminCommands(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description(
      'check configuration, database, authentication to Scope and Salesforce, and the Salesforce schema'
    )
    .action(() => doctor(io));

  program
    .command('status')
    .description(
      'queue depth, oldest pending job, dead letters, stored deliveries'
    )
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => status(io, opts));

  const deadletters = program
    .command('deadletters')
    .description('resources whose processing failed permanently');
  deadletters
    .command('list')
    .option('--all', 'include replayed ones')
    .option('--limit <n>', 'rows to show', (v) => Number.parseInt(v, 10), 100)
    .option('--json', 'machine-readable output')
    .action((opts: { all?: boolean; limit: number; json?: boolean }) =>
      listDeadLetters(io, opts)
    );
  deadletters
    .command('replay')
    .argument('[resourceIds...]', 'resource ids to re-enqueue')
    .option('--all', 'replay every pending dead letter')
    .action((resourceIds: string[], opts: { all?: boolean }) =>
      replayDeadLetters(io, resourceIds, opts)
    );
}

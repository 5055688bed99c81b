// What every `connector` command shares: the output and environment it runs with (CliIo), the exit
// it asks for (CliExit, turned into an exit code by runCli), its config and a database for one command.
import { ConfigError, loadConfig } from '../config.ts';
import type { ConnectorConfig } from '../config.ts';
import { openDatabase } from '../db/open-database.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
}

export const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env
};

/** sysexits.h codes the commands use. */
export const EXIT = {
  failed: 1,
  usage: 64,
  busy: 75,
  config: 78,
  interrupted: 130
} as const;

/** Ends a command with `code`; runCli prints `message` to stderr when there is one. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    readonly printed?: string
  ) {
    super(printed ?? `exit ${code}`);
  }
}

export function fail(message: string, code: number): never {
  throw new CliExit(code, message);
}

/** The environment's config; a bad value ends the command with EX_CONFIG and the variable's name. */
export function readConfig(io: CliIo): ConnectorConfig {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, EXIT.config);
    throw error;
  }
}

/** Opens the database (or the running embedded one) for one command and closes it afterwards. */
export async function withDatabase<T>(
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

// DATABASE_URL → that server; otherwise an embedded PostgreSQL in DATA_DIR. Returns a migrated pool.
import pg from 'pg';
import type { ConnectorConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PASSWORD_FILE, startEmbeddedPostgres } from './embedded-postgres.ts';
import { inspectDataDir, readPostmasterPid } from './stale-postmaster.ts';
import type { EmbeddedPostgresHandle } from './embedded-postgres.ts';
import { migrate } from './migrate.ts';
import { createPool } from './pool.ts';
import type { Pool } from './pool.ts';

export const EMBEDDED_DATABASE = 'worklink';

export interface Database {
  pool: Pool;
  connectionString: string;
  /** Set when this process runs its own PostgreSQL: a single node, so no other replica shares the queue. */
  embedded?: EmbeddedPostgresHandle;
  /** Closes the pool, then stops the embedded server. Idempotent. */
  close(): Promise<void>;
}

export async function openDatabase(
  config: Pick<ConnectorConfig, 'database'>,
  options: {
    logger?: Logger;
    migrateSchema?: boolean;
    reuseRunning?: boolean;
  } = {}
): Promise<Database> {
  const { logger } = options;
  let embedded: EmbeddedPostgresHandle | undefined;
  let connectionString = config.database.url;
  if (!connectionString && options.reuseRunning)
    connectionString = runningEmbeddedUrl(config.database.dataDir);
  if (!connectionString) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      port: config.database.embeddedPort,
      logger
    });
    await ensureDatabase(
      embedded.connectionString('postgres'),
      EMBEDDED_DATABASE
    );
    connectionString = embedded.connectionString(EMBEDDED_DATABASE);
  }
  const pool = createPool(connectionString, {
    max: config.database.poolSize,
    logger
  });
  try {
    if (options.migrateSchema ?? true) await migrate(pool, { logger });
  } catch (error) {
    await pool.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    pool,
    connectionString,
    embedded,
    close: () => {
      closing ??= (async () => {
        await pool
          .end()
          .catch((error: unknown) =>
            logger?.warn({ err: error }, 'closing the pool failed')
          );
        await embedded?.stop();
      })();
      return closing;
    }
  };
}

export async function ensureDatabase(
  adminConnectionString: string,
  name: string
): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [name]
    );
    if (!rowCount) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
        .catch((error: { code?: string }) => {
          if (error.code !== '42P04') throw error; // created concurrently
        });
    }
  } finally {
    await client.end();
  }
}

/**
 * Admin commands (status, deadletters) run next to a serving connector: when its embedded PostgreSQL is
 * up, they connect to it (port from postmaster.pid, password from DATA_DIR) instead of starting one.
 */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const dir = resolve(dataDir);
  const state = inspectDataDir(dir);
  const info = readPostmasterPid(dir);
  const passwordPath = join(dir, PASSWORD_FILE);
  if (state.kind !== 'in-use' || !info?.port || !existsSync(passwordPath))
    return undefined;
  const password = readFileSync(passwordPath, 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${info.port}/${EMBEDDED_DATABASE}`;
}

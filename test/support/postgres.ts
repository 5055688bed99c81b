// One embedded PostgreSQL per test file; each test gets its own database.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../connector/src/db/embedded-postgres.ts';
import type { EmbeddedPostgresHandle } from '../../connector/src/db/embedded-postgres.ts';
import { ensureDatabase } from '../../connector/src/db/open-database.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0)
      );
    });
  });
}

export function makeTempDir(prefix = 'worklink-pg-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755); // the server runs as the unprivileged postgres user
  return dir;
}

export interface TestPostgres {
  server: EmbeddedPostgresHandle;
  /** A new empty database; returns its connection string. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

// pg-pool's end() resolves once it has *asked* its clients to close, not once they have: a fast shutdown
// straight after it would cut a closing connection, whose error then surfaces after the test ended.
async function waitForClientsToLeave(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`
      );
      if (!rows[0]?.n) return;
      await sleep(50);
    }
  } finally {
    await client.end();
  }
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const root = makeTempDir();
  const server = await startEmbeddedPostgres({
    dataDir: join(root, 'data'),
    port: await freePort(),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off'
    }
  });
  return {
    server,
    createDatabase: async () => {
      const name = `t_${randomBytes(6).toString('hex')}`;
      await ensureDatabase(server.connectionString('postgres'), name);
      return server.connectionString(name);
    },
    stop: async () => {
      await waitForClientsToLeave(server.connectionString('postgres')).catch(
        () => undefined
      );
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  };
}

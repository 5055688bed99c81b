import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../../connector/src/db/embedded-postgres.ts';
import {
  inspectDataDir,
  isAlive,
  readPostmasterPid
} from '../../../connector/src/db/stale-postmaster.ts';
import { freePort, makeTempDir } from '../../support/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';

const root = makeTempDir('worklink-kill9-');
after(() => rmSync(root, { recursive: true, force: true }));

/** Starts the holder child, waits until its server is ready, then kill -9s the child. */
async function killHolder(dataDir: string, port: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'support/hold-embedded-postgres.ts'),
      dataDir,
      String(port)
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit']
    }
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    'the child to start PostgreSQL',
    () => output.includes('ready'),
    { timeoutMs: 60_000 }
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return child.pid as number;
}

async function survivors(connectionString: string): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (
      (
        await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM survivors'
        )
      ).rows[0]?.n ?? 0
    );
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL after kill -9 of the connector', () => {
  it('stops the orphaned postmaster a killed connector left running, then starts cleanly with the data intact', async () => {
    const dataDir = join(root, 'orphan');
    const port = await freePort();
    await killHolder(dataDir, port);
    const left = readPostmasterPid(dataDir);
    assert.ok(
      left && isAlive(left.pid),
      'the postgres child outlived its killed parent'
    );
    assert.equal(inspectDataDir(dataDir).kind, 'orphaned-postmaster');

    const server = await startEmbeddedPostgres({ dataDir, port });
    try {
      assert.equal(isAlive(left.pid), false, 'the orphan was stopped');
      assert.notEqual(readPostmasterPid(dataDir)?.pid, left.pid);
      assert.equal(await survivors(server.connectionString('postgres')), 1);
    } finally {
      await server.stop();
    }
    assert.equal(inspectDataDir(dataDir).kind, 'clean');
  });

  it('removes a stale postmaster.pid when the server died with the connector', async () => {
    const dataDir = join(root, 'stale');
    const port = await freePort();
    await killHolder(dataDir, port);
    const left = readPostmasterPid(dataDir);
    assert.ok(left);
    process.kill(left.pid, 'SIGKILL'); // the postmaster dies too: its pid file stays behind
    await waitFor('the postmaster to die', () => !isAlive(left.pid), {
      timeoutMs: 10_000
    });
    assert.equal(inspectDataDir(dataDir).kind, 'stale-pid-file');

    const server = await startEmbeddedPostgres({ dataDir, port });
    try {
      assert.equal(await survivors(server.connectionString('postgres')), 1);
    } finally {
      await server.stop();
    }
  });

  it('refuses a data directory that a live connector is using', async () => {
    const dataDir = join(root, 'busy');
    const server = await startEmbeddedPostgres({
      dataDir,
      port: await freePort()
    });
    try {
      // simulate a second process: same data dir, but it is not the owner recorded in the folder
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('${join(import.meta.dirname, '../../../connector/src/db/stale-postmaster.ts')}').then(m => console.log(m.inspectDataDir(${JSON.stringify(dataDir)}).kind))`
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] }
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(output.trim(), 'in-use');
    } finally {
      await server.stop();
    }
  });
});

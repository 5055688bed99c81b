// The HTTP server against slow, endless and oversized requests, and `serve` on a busy port: raw sockets
// so that the test controls exactly what has been sent when the server answers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestConnector } from '../receiving/support/start-connector.ts';
import type { RunningConnector } from '../receiving/support/start-connector.ts';
import { makeTempDir, startTestPostgres } from '../../support/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import { REPO_ROOT } from '../../support/replicas/replica-process.ts';

const LIMIT = 64 * 1024; // the test connector's WEBHOOK_BODY_LIMIT_BYTES

let postgres: TestPostgres;
let connector: RunningConnector;

before(async () => {
  postgres = await startTestPostgres();
  connector = await startTestConnector(postgres, {
    env: {
      HTTP_HEADERS_TIMEOUT_SECONDS: '0.5',
      HTTP_REQUEST_TIMEOUT_SECONDS: '2'
    }
  });
});
after(async () => {
  await connector?.stop();
  await postgres?.stop();
});

interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  closed: Promise<void>;
}

async function open(): Promise<RawConnection> {
  const { hostname, port } = new URL(connector.url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined); // a reset after the 413 is expected
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => resolve())
  );
  return { socket, received: () => text, closed };
}

const headers = (extra: string) =>
  `POST /webhooks/scope HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${extra}\r\n`;

describe('HTTP server hardening', { timeout: 120_000 }, () => {
  it('a Content-Length over the limit gets 413 with Connection: close before the body is sent', async () => {
    const c = await open();
    c.socket.write(headers(`Content-Length: ${LIMIT * 16}\r\n`));
    c.socket.write('{"data":"');
    await waitFor('the 413', () => c.received().startsWith('HTTP/1.1 413'), {
      timeoutMs: 10_000
    });
    assert.match(c.received(), /\r\nconnection: close\r\n/i);
    assert.match(c.received(), /payload_too_large/);
    c.socket.destroy();
  });

  it('a chunked body that keeps going gets 413 as soon as it passes the limit, while it is still being sent', async () => {
    const c = await open();
    c.socket.write(headers('Transfer-Encoding: chunked\r\n'));
    const chunk = 'x'.repeat(8 * 1024);
    let sent = 0;
    const sending = setInterval(() => {
      if (c.socket.destroyed) return;
      c.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      sent += chunk.length;
    }, 20);
    try {
      await waitFor('the 413', () => c.received().startsWith('HTTP/1.1 413'), {
        timeoutMs: 10_000
      });
      assert.ok(sent > LIMIT, `sent ${sent} bytes`);
      assert.match(c.received(), /\r\nconnection: close\r\n/i);
      await c.closed; // the server closes the connection: the endless body is not read to its end
    } finally {
      clearInterval(sending);
      c.socket.destroy();
    }
  });

  it('a slowloris request (headers never finished) is closed after HTTP_HEADERS_TIMEOUT_SECONDS', async () => {
    const c = await open();
    c.socket.write(
      'POST /webhooks/scope HTTP/1.1\r\nHost: localhost\r\nX-Slow: '
    );
    const trickle = setInterval(() => {
      if (!c.socket.destroyed) c.socket.write('a');
    }, 100);
    try {
      await Promise.race([
        c.closed,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('never closed')), 20_000)
        )
      ]);
    } finally {
      clearInterval(trickle);
    }
  });

  it('serve on a busy port fails before anything starts, naming PORT', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    const dataDir = join(makeTempDir('worklink-busy-port-'), 'data');
    try {
      const child = spawn(
        process.execPath,
        [
          join(REPO_ROOT, 'connector/bin/connector.mjs'),
          'serve',
          '--no-worker'
        ],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOST: '127.0.0.1',
            PORT: String(port),
            DATA_DIR: dataDir,
            LOG_LEVEL: 'info'
          },
          stdio: ['ignore', 'pipe', 'pipe']
        }
      );
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      const code = await new Promise<number | null>((resolve) =>
        child.once('exit', (c) => resolve(c))
      );
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`PORT ${port} is already in use`));
      assert.doesNotMatch(output, /Cannot read properties/);
      assert.equal(
        existsSync(join(dataDir, 'PG_VERSION')),
        false,
        'the embedded database was never started'
      );
    } finally {
      busy.close();
    }
  });
});

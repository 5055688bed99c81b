// SIGTERM under load, in both database modes, on a real `connector serve` process: it exits 0 within
// SHUTDOWN_TIMEOUT_SECONDS, answers new requests 503 while it drains, answers the request in flight,
// hands back the batch it could not finish (no job left active) and loses nothing it acknowledged.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, makeTempDir } from '../../support/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import {
  postStream,
  signedDelivery
} from '../../support/replicas/delivery-stream.ts';
import type { Delivery } from '../../support/replicas/delivery-stream.ts';
import { logged } from '../../support/replicas/processing-evidence.ts';
import { activeJobIds, storedDeliveryIds } from './support/queue-inspection.ts';
import { startReplica } from '../../support/replicas/replica-process.ts';
import type { Replica } from '../../support/replicas/replica-process.ts';
import { waitForSalesforceToMatch } from '../../support/replicas/replica-world.ts';
import { inspectPool } from '../../support/shared-postgres.ts';
import { replicaSuite } from '../../support/replicas/replica-suite.ts';
import { startSlowProxy } from './support/slow-proxy.ts';

const suite = replicaSuite({ historicalSessions: 200 });

/** A POST whose body is sent in two halves: it is in flight (headers read, body pending) in between. */
function slowPost(url: string, delivery: Delivery) {
  const target = new URL(`${url}/webhooks/scope`);
  const body = Buffer.from(delivery.body);
  const half = Math.floor(body.length / 2);
  let finish: () => void = () => undefined;
  const answered = new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { ...delivery.headers, 'content-length': String(body.length) }
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }
    );
    req.on('error', reject);
    req.write(body.subarray(0, half));
    finish = () => req.end(body.subarray(half));
  });
  return { answered, finish: () => finish() };
}

async function waitForSalesforce(sessions: string[]): Promise<void> {
  await waitForSalesforceToMatch(
    suite.world,
    await suite.world.scopeStates(sessions),
    'every session in Salesforce with its final state',
    { timeoutMs: 120_000 }
  );
}

const SHUTDOWN_SECONDS = 6;

/**
 * Starts a replica whose Scope never answers in time, loads it, SIGTERMs it mid-batch and checks the
 * drain; returns the acknowledged delivery ids and the replica, for the mode-specific checks.
 */
async function sigtermUnderLoad(
  env: Record<string, string>,
  sessions: string[]
): Promise<{ replica: Replica; acknowledged: string[]; inHand: number }> {
  // Scope answers only after 60 s: the replica's batch is surely in hand when SIGTERM arrives
  const stuckScope = await startSlowProxy(suite.world.scope.url, 60_000);
  const replica = await startReplica('terminated', {
    ...env,
    SCOPE_BASE_URL: stuckScope.url,
    SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_SECONDS),
    WORKER_BATCH_SIZE: '10'
  });
  try {
    const first = await postStream(
      sessions,
      (id) => signedDelivery(id, suite.world.scope.url),
      { targets: () => [replica.url], concurrency: 4 }
    );
    await waitFor(
      'the worker to hold a batch (its Scope call hangs)',
      () => stuckScope.received() > 0,
      { timeoutMs: 10_000 }
    );

    const inFlight = slowPost(
      replica.url,
      signedDelivery(sessions[0] as string, suite.world.scope.url)
    );
    await new Promise((r) => setTimeout(r, 200)); // its headers have reached the server
    const signalledAt = Date.now();
    process.kill(replica.pid, 'SIGTERM');
    await waitFor(
      'the replica to start shutting down',
      () => logged(replica, 'shutting down').length > 0,
      { timeoutMs: 5_000 }
    );
    const late = await fetch(`${replica.url}/webhooks/scope`, {
      method: 'POST',
      headers: signedDelivery(sessions[1] as string, suite.world.scope.url)
        .headers,
      body: signedDelivery(sessions[1] as string, suite.world.scope.url).body
    });
    assert.equal(late.status, 503, 'a new request while draining gets 503');
    assert.equal(late.headers.get('connection'), 'close');
    inFlight.finish();
    assert.equal(
      await inFlight.answered,
      202,
      'the request in flight at SIGTERM is answered'
    );

    const code = await replica.exited;
    const tookMs = Date.now() - signalledAt;
    assert.equal(
      code,
      0,
      `exit code 0, got ${String(code)}:\n${replica.logTail()}`
    );
    assert.ok(
      tookMs < (SHUTDOWN_SECONDS + 2) * 1000,
      `stopped within SHUTDOWN_TIMEOUT_SECONDS (took ${tookMs} ms)`
    );
    const handedBack = logged(replica, 'handed back jobs at shutdown');
    assert.equal(handedBack.length, 1, replica.logTail());
    return {
      replica,
      acknowledged: [...first.acknowledged.keys()],
      inHand: Number(handedBack[0]?.jobs ?? 0)
    };
  } finally {
    await replica.kill();
    await stuckScope.close();
  }
}

describe('SIGTERM under load', { timeout: 300_000 }, () => {
  it('DATABASE_URL: 503 for new requests, in-flight answered, batch handed back, exit 0, nothing lost', async () => {
    const databaseUrl = await suite.postgres.createDatabase();
    const pool = inspectPool(databaseUrl);
    const sessions = suite.world.sessionIds(60).slice(0, 30);
    try {
      const { acknowledged, inHand } = await sigtermUnderLoad(
        suite.world.env(databaseUrl),
        sessions
      );
      assert.ok(inHand > 0, 'the replica had a batch in hand');
      assert.deepEqual(await activeJobIds(pool), [], 'no job left active');
      assert.equal(
        (await storedDeliveryIds(pool, acknowledged)).size,
        acknowledged.length,
        'every acknowledged delivery is stored'
      );
      const successor = await startReplica(
        'successor',
        suite.world.env(databaseUrl)
      );
      try {
        await waitForSalesforce(sessions);
      } finally {
        await successor.stop();
      }
    } finally {
      await pool.end();
    }
  });

  it('embedded PostgreSQL: the same drain, then the database stops cleanly and the next start finds no orphan', async () => {
    const dataDir = join(makeTempDir('worklink-sigterm-'), 'data');
    const embedded = {
      ...suite.world.env(''),
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort())
    };
    const sessions = suite.world.sessionIds(60).slice(30);
    const { replica, inHand } = await sigtermUnderLoad(embedded, sessions);
    assert.ok(inHand > 0, 'the replica had a batch in hand');
    assert.equal(
      logged(replica, 'embedded PostgreSQL stopped').length,
      1,
      replica.logTail()
    );
    const successor = await startReplica('successor', embedded);
    try {
      await waitForSalesforce(sessions);
      assert.deepEqual(
        logged(successor, 'released jobs left active by a previous run'),
        [],
        'the stopped replica left no active job behind'
      );
    } finally {
      await successor.stop();
    }
  });
});

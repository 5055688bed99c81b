// kill -9 between the batches and the rollup drain: a `connector serve` process (ROLLUP_INTERVAL_SECONDS
// too long to tick during the test) writes the sessions of signed deliveries and only marks their work
// orders, assets and cases dirty; it is killed; a new process on the same database drains them and
// every rollup equals a recomputation from the session records. `connector status` shows them waiting.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  postStream,
  signedDelivery
} from '../../support/replicas/delivery-stream.ts';
import {
  REPO_ROOT,
  startReplica
} from '../../support/replicas/replica-process.ts';
import type { Replica } from '../../support/replicas/replica-process.ts';
import {
  startReplicaWorld,
  waitForSalesforceToMatch
} from '../../support/replicas/replica-world.ts';
import type { ReplicaWorld } from '../../support/replicas/replica-world.ts';
import {
  inspectPool,
  startSharedPostgres
} from '../../support/shared-postgres.ts';
import type { SharedPostgres } from '../../support/shared-postgres.ts';
import { eventually } from '../../support/wait-for.ts';
import { rollupChecks } from '../sync/helpers/rollup-checks.ts';

const SESSIONS = 40;
const run = promisify(execFile);

let world: ReplicaWorld;
let postgres: SharedPostgres;
before(async () => {
  [world, postgres] = await Promise.all([
    startReplicaWorld({ historicalSessions: 60 }),
    startSharedPostgres()
  ]);
});
after(async () => {
  await Promise.all([world?.close(), postgres?.dispose()]);
});

const { records, assertRollupsMatchSessions } = rollupChecks(() => world);

describe('rollups on an interval under kill -9', { timeout: 300_000 }, () => {
  it('parents marked by a killed process are drained by the next one; the rollups are right', async () => {
    const databaseUrl = await postgres.createDatabase();
    const pool = inspectPool(databaseUrl);
    const processes: Replica[] = [];
    try {
      const marking = await startReplica(
        'marks-only',
        world.env(databaseUrl, { ROLLUP_INTERVAL_SECONDS: '3600' })
      );
      processes.push(marking);
      const sessions = world.sessionIds(SESSIONS);
      await postStream(sessions, (id) => signedDelivery(id, world.scope.url), {
        targets: () => [marking.url],
        concurrency: 8,
        before: (id) => world.touch(id)
      });
      await waitForSalesforceToMatch(
        world,
        await world.scopeStates(sessions),
        'every session written',
        { timeoutMs: 120_000, intervalMs: 200 }
      );
      const dirty = async () =>
        (
          await pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM rollup_dirty_parents'
          )
        ).rows[0]?.n ?? 0;
      const marked = await dirty();
      assert.ok(marked > 0, 'the batches marked their parents');
      const counted = (await records('WorkOrder')).filter(
        (w) => w.WorkLink_AR_Sessions__c != null
      );
      assert.deepEqual(counted, [], 'no rollup was written by a batch');

      await marking.kill();
      assert.equal(await dirty(), marked, 'the marks outlive the process');
      const status = await run(
        process.execPath,
        [join(REPO_ROOT, 'connector/bin/connector.mjs'), 'status'],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            DATABASE_URL: databaseUrl
          }
        }
      );
      assert.match(
        status.stdout,
        new RegExp(`^rollups waiting: +${marked} parents, oldest \\d+ s$`, 'm')
      );

      const draining = await startReplica(
        'drains',
        world.env(databaseUrl, { ROLLUP_INTERVAL_SECONDS: '1' })
      );
      processes.push(draining);
      await eventually(
        'the dirty parents drained by the new process',
        async () => {
          const n = await dirty();
          return { done: n === 0, value: `${n} waiting` };
        },
        { timeoutMs: 60_000, intervalMs: 200 }
      );
      assert.ok(
        (await records('WorkOrder')).some(
          (w) => Number(w.WorkLink_AR_Sessions__c) > 0
        )
      );
      await assertRollupsMatchSessions();
      await draining.stop();
      assert.equal(await draining.exited, 0, draining.logTail());
    } finally {
      await Promise.all(processes.map((p) => p.kill().catch(() => undefined)));
      await pool.end();
    }
  });
});

// The queue suites' common start: a fresh migrated database (a pool of `max` connections) with pg-boss
// started and the resource queue created, as the connector's runtime sets them up.
import { migrate } from '../../../../connector/src/db/migrate.ts';
import { createPool } from '../../../../connector/src/db/pool.ts';
import type { Pool } from '../../../../connector/src/db/pool.ts';
import {
  createBoss,
  ensureResourceQueue
} from '../../../../connector/src/queue/resource-queue.ts';
import type { TestPostgres } from '../../../support/postgres.ts';

export interface MigratedQueue {
  pool: Pool;
  boss: ReturnType<typeof createBoss>;
  /** Stops pg-boss, then ends the pool even when the stop fails: no connection outlives the test. */
  close(): Promise<void>;
}

export async function startMigratedQueue(
  postgres: TestPostgres,
  max: number
): Promise<MigratedQueue> {
  // the connector's own pool: an idle connection that the file's server shutdown terminates is
  // reported to its error listener, not thrown as an uncaught exception after the test has ended
  const pool = createPool(await postgres.createDatabase(), { max });
  await migrate(pool);
  const boss = createBoss(pool, { supervise: false });
  await boss.start();
  await ensureResourceQueue(boss, {
    retryLimit: 3,
    retryDelaySeconds: 1,
    expireInSeconds: 60
  });
  return {
    pool,
    boss,
    close: async () => {
      try {
        await boss.stop({ graceful: false, close: false });
      } finally {
        await pool.end();
      }
    }
  };
}

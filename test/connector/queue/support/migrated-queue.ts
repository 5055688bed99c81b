// The queue suites' common start: a fresh migrated database (a pool of `max` connections) with pg-boss
// started and the resource queue created, as the connector's runtime sets them up.
import pg from 'pg';
import { migrate } from '../../../../connector/src/db/migrate.ts';
import {
  createBoss,
  ensureResourceQueue
} from '../../../../connector/src/queue/resource-queue.ts';
import type { TestPostgres } from '../../../support/postgres.ts';

export interface MigratedQueue {
  pool: pg.Pool;
  boss: ReturnType<typeof createBoss>;
}

export async function startMigratedQueue(
  postgres: TestPostgres,
  max: number
): Promise<MigratedQueue> {
  const pool = new pg.Pool({
    connectionString: await postgres.createDatabase(),
    max
  });
  await migrate(pool);
  const boss = createBoss(pool, { supervise: false });
  await boss.start();
  await ensureResourceQueue(boss, {
    retryLimit: 3,
    retryDelaySeconds: 1,
    expireInSeconds: 60
  });
  return { pool, boss };
}

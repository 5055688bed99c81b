// The connector's durable side: its database (embedded or DATABASE_URL) and pg-boss on the same pool,
// with the resource queue created under the migration lock, and jobs orphaned by a crashed embedded run
// released.
import type PgBoss from 'pg-boss';
import type { ConnectorConfig } from '../config.ts';
import { withMigrationLock } from '../db/migrate.ts';
import { openDatabase } from '../db/open-database.ts';
import type { Database } from '../db/open-database.ts';
import type { Logger } from '../logger.ts';
import { releaseOrphanedJobs } from '../queue/queue-stats.ts';
import { FILES_QUEUE } from '../queue/files-queue.ts';
import {
  createBoss,
  ensureResourceQueue,
  ensureStatelyQueue
} from '../queue/resource-queue.ts';

export interface OpenQueue {
  database: Database;
  boss: PgBoss;
}

export async function openQueue(
  config: ConnectorConfig,
  logger?: Logger
): Promise<OpenQueue> {
  const database = await openDatabase(config, { logger });
  const { pool } = database;
  const boss = createBoss(pool, { logger });
  // one replica at a time: pg-boss's own schema creation is not safe against a concurrent start
  await withMigrationLock(pool, async () => {
    await boss.start();
    await ensureResourceQueue(boss, config.worker);
    await ensureStatelyQueue(boss, FILES_QUEUE, config.worker);
  });
  if (database.embedded) {
    // a single-node embedded database has no other replica: jobs active at a crash are orphans
    const released =
      (await releaseOrphanedJobs(pool)) +
      (await releaseOrphanedJobs(pool, FILES_QUEUE));
    if (released > 0)
      logger?.warn(
        { jobs: released },
        'released jobs left active by a previous run'
      );
  }
  return { database, boss };
}

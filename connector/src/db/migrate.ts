// Applies MIGRATIONS in order, each in its own transaction, under an advisory lock so that several
// replicas starting at once against one managed PostgreSQL run them exactly once.
import type { Pool } from 'pg';
import type { Logger } from '../logger.ts';
import { MIGRATIONS } from './migrations.ts';
import type { Migration } from './migrations.ts';
import { MIGRATION_LOCK_KEY, SQL } from './sql.ts';

export async function migrate(
  pool: Pool,
  options: { logger?: Logger; migrations?: readonly Migration[] } = {}
): Promise<number[]> {
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort(
    (a, b) => a.version - b.version
  );
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query(SQL.lockMigrations, [MIGRATION_LOCK_KEY]);
    try {
      await client.query(SQL.createMigrationsTable);
      const done = new Set(
        (
          await client.query<{ version: number }>(SQL.appliedMigrations)
        ).rows.map((r) => r.version)
      );
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query(SQL.recordMigration, [
            migration.version,
            migration.name
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(
            `migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
            {
              cause: error
            }
          );
        }
        applied.push(migration.version);
        options.logger?.info(
          { version: migration.version, name: migration.name },
          'migration applied'
        );
      }
    } finally {
      await client.query(SQL.unlockMigrations, [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return applied;
}

/**
 * Runs `work` while holding the migration lock on a connection of its own. pg-boss creates its schema
 * with CREATE SCHEMA IF NOT EXISTS, which fails with a unique violation when two replicas start at once
 * (issue #7): its start-up runs under this lock so replicas set the queue up one after the other.
 */
export async function withMigrationLock<T>(
  pool: Pool,
  work: () => Promise<T>
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(SQL.lockMigrations, [MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await client.query(SQL.unlockMigrations, [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

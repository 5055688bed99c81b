// The one narrow port to PostgreSQL: a pg Pool plus a transaction helper.
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger.ts';

export type { Pool, PoolClient };

export function createPool(
  connectionString: string,
  options: { max?: number; logger?: Logger } = {}
): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'worklink-connector'
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) =>
    options.logger?.warn({ err: error }, 'idle PostgreSQL client error')
  );
  // A client checked out by a transaction can lose its connection between two queries (PostgreSQL
  // restarting): with no listener, its 'error' event would end the process. The transaction's next
  // query fails instead (the caller answers 503 or retries) and the pool discards the client on release.
  pool.on('connect', (client) => {
    client.on('error', (error) =>
      options.logger?.debug({ err: error }, 'PostgreSQL connection lost')
    );
  });
  return pool;
}

export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

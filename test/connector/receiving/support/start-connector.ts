// Starts a real connector (HTTP on 127.0.0.1:0) on a fresh database of the shared test server.
import pg from 'pg';
import { loadConfig } from '../../../../connector/src/config.ts';
import type { BatchProcessor } from '../../../../connector/src/contracts.ts';
import { createConnector } from '../../../../connector/src/runtime/create-connector.ts';
import type { Connector } from '../../../../connector/src/runtime/create-connector.ts';
import {
  OLD_SECRET,
  PATH_TOKEN,
  SECRET
} from '../../../support/webhook-fixtures.ts';
import type { TestPostgres } from '../../../support/postgres.ts';

export interface RunningConnector {
  connector: Connector;
  url: string;
  pool: pg.Pool;
  count(table: 'deliveries' | 'dead_letters'): Promise<number>;
  jobCount(): Promise<number>;
  post(
    path: string,
    request: { headers: Record<string, string>; body: string | Buffer }
  ): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startTestConnector(
  postgres: TestPostgres,
  options: {
    env?: Record<string, string>;
    processor?: BatchProcessor;
    /** The files queue's processor (photos into Salesforce Files). */
    files?: BatchProcessor;
  } = {}
): Promise<RunningConnector> {
  const databaseUrl = await postgres.createDatabase();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    WEBHOOK_SECRETS: `${SECRET},${OLD_SECRET}`,
    WEBHOOK_PATH_TOKEN: PATH_TOKEN,
    WEBHOOK_BODY_LIMIT_BYTES: String(64 * 1024),
    WORKER_POLL_SECONDS: '0.5',
    // no coalescing delay: these tests wait on records, not on windows
    WORKER_PROGRESS_COALESCE_SECONDS: '0',
    WORKER_FINAL_COALESCE_SECONDS: '0',
    RETRY_DELAY_SECONDS: '1',
    RETRY_MAX_DELAY_SECONDS: '2',
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    ...options.env
  });
  const { processor, files } = options;
  const connector = createConnector({
    config,
    processing: processor
      ? () => ({ processor, ...(files ? { files } : {}) })
      : undefined
  });
  const { url } = await connector.start();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const count = async (table: 'deliveries' | 'dead_letters') =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))
      .rows[0]?.n ?? 0;
  return {
    connector,
    url,
    pool,
    count,
    jobCount: async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'scope-resource'`
        )
      ).rows[0]?.n ?? 0,
    post: async (path, request) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // left as text
      }
      return { status: response.status, body };
    },
    stop: async () => {
      await pool.end();
      await connector.stop();
    }
  };
}

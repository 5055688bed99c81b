// A thin read-only SOQL port for reconciliation and the TTR report. The processing engineer's
// SalesforceClient exposes only the queries the worker needs, so this adapter reuses their auth
// module with a jsforce Connection (refreshFn → one re-authentication on an expired session).
import { Connection } from 'jsforce';
import type { ProcessingMetrics } from '../metrics.ts';
import { createSalesforceAuth } from '../salesforce/index.ts';
import type {
  SalesforceAuth,
  SalesforceAuthOptions
} from '../salesforce/index.ts';
import { SalesforceApiError } from '../salesforce/index.ts';

export interface SoqlReader {
  /** Every record of the query (follows nextRecordsUrl). */
  query<T extends Record<string, unknown>>(
    operation: string,
    soql: string
  ): Promise<T[]>;
}

export interface SoqlReaderOptions {
  auth: SalesforceAuthOptions | SalesforceAuth;
  apiVersion: string;
  metrics?: Pick<ProcessingMetrics, 'apiCall'>;
}

interface QueryPage<T> {
  records: T[];
  done: boolean;
  nextRecordsUrl?: string;
}

export function createSoqlReader(options: SoqlReaderOptions): SoqlReader {
  const auth =
    'authenticate' in options.auth
      ? options.auth
      : createSalesforceAuth(options.auth);
  let connection: Promise<Connection> | undefined;
  const connect = async () => {
    const token = await auth.authenticate();
    return new Connection({
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      version: options.apiVersion,
      refreshFn: (conn, callback) => {
        auth.authenticate().then(
          (fresh) => {
            conn.instanceUrl = fresh.instanceUrl;
            callback(null, fresh.accessToken);
          },
          (error: unknown) =>
            callback(error instanceof Error ? error : new Error(String(error)))
        );
      }
    });
  };
  const getConnection = () => {
    connection ??= connect().catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };
  return {
    async query<T extends Record<string, unknown>>(
      operation: string,
      soql: string
    ): Promise<T[]> {
      const conn = await getConnection();
      const records: T[] = [];
      let url: string | undefined = `/query?q=${encodeURIComponent(soql)}`;
      while (url) {
        let page: QueryPage<T>;
        try {
          page = await conn.request<QueryPage<T>>({ method: 'GET', url }, {
            retry: { maxRetries: 0 }
          } as never);
          options.metrics?.apiCall('salesforce', operation, 200);
        } catch (error) {
          const e = error as {
            errorCode?: string;
            name?: string;
            message?: string;
            statusCode?: number;
          };
          options.metrics?.apiCall(
            'salesforce',
            operation,
            e.statusCode ?? 'network'
          );
          throw new SalesforceApiError(
            `Salesforce ${operation} query failed: ${e.message ?? String(error)}`,
            {
              errorCode:
                e.errorCode ??
                (e.statusCode === undefined
                  ? 'NETWORK_ERROR'
                  : 'UNKNOWN_EXCEPTION'),
              status: e.statusCode,
              cause: error
            }
          );
        }
        for (const record of page.records) {
          const { attributes: _attributes, ...rest } = record as T & {
            attributes?: unknown;
          };
          records.push(rest as unknown as T);
        }
        url = page.done ? undefined : page.nextRecordsUrl;
      }
      return records;
    }
  };
}

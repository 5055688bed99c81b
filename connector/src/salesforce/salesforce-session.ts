// The transport layer: one authenticated jsforce Connection, opened on first use (again after a
// failed open), whose expired session is refreshed by jsforce once per 401 — with a guard so a token
// Salesforce rejects right after issuing it does not make jsforce re-authenticate forever.
import { Connection } from 'jsforce';
import type { SalesforceAuth } from './salesforce-auth.ts';

type RefreshFn = NonNullable<
  NonNullable<ConstructorParameters<typeof Connection>[0]>['refreshFn']
>;

/** Refreshes allowed within a minute before a 401 is taken as final. */
const MAX_REFRESHES_PER_MINUTE = 3;

export interface SalesforceSession {
  connection(): Promise<Connection>;
}

export function createSalesforceSession(options: {
  auth: SalesforceAuth;
  apiVersion: string;
  logger?: { info(fields: object, message: string): void };
}): SalesforceSession {
  let connection: Promise<Connection> | undefined;
  let refreshTimes: number[] = [];

  const refresh: RefreshFn = (conn, callback) => {
    const now = Date.now();
    refreshTimes = refreshTimes.filter((t) => now - t < 60_000);
    if (refreshTimes.length >= MAX_REFRESHES_PER_MINUTE) {
      callback(
        new Error(
          'INVALID_SESSION_ID: token rejected again right after re-authentication'
        )
      );
      return;
    }
    refreshTimes.push(now);
    options.logger?.info({}, 'Salesforce session expired: re-authenticating');
    options.auth.authenticate().then(
      (fresh) => {
        conn.instanceUrl = fresh.instanceUrl;
        callback(null, fresh.accessToken);
      },
      (error: unknown) =>
        callback(error instanceof Error ? error : new Error(String(error)))
    );
  };

  const connect = async (): Promise<Connection> => {
    const token = await options.auth.authenticate();
    return new Connection({
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      version: options.apiVersion,
      // jsforce calls this once on a 401 (shared by concurrent requests) and repeats the request.
      refreshFn: refresh
    });
  };

  return {
    connection() {
      connection ??= connect().catch((error: unknown) => {
        connection = undefined;
        throw error;
      });
      return connection;
    }
  };
}

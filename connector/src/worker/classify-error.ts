// The one error classification table. Retryable: the same request can succeed later (network, 5xx,
// 429, locks, limits, an expired session that re-authentication did not fix yet). Permanent: the data
// or the configuration must change first → dead letter with the reason, replayable by an admin.
import { SalesforceApiError } from '../salesforce/salesforce-error.ts';
import { ScopeApiError } from '../scope/scope-error.ts';

export type Classification =
  | {
      kind: 'retry';
      reason: string;
      retryAfterSeconds?: number;
      /** The connector's own budget refused the call: the attempt does not count (ProcessOutcome). */
      uncounted?: boolean;
    }
  | { kind: 'dead'; reason: string };

/** Salesforce errorCodes (request level or per record) that a later attempt can get past. */
export const RETRYABLE_SALESFORCE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_LIMIT_EXCEEDED',
  'INVALID_SESSION_ID',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'QUERY_TIMEOUT',
  'CONCURRENT_REQUEST_LIMIT_EXCEEDED',
  'TOO_MANY_REQUESTS',
  'NETWORK_ERROR',
  'UNEXPECTED_RESPONSE',
  // ours: SF_API_BUDGET is spent for the day (salesforce-http.ts)
  'API_BUDGET_EXHAUSTED'
]);

/**
 * OAuth token endpoint errors (a wrong or revoked credential, a user not allowed to use the app). An
 * admin can fix or rotate the credential without losing events, as with Scope auth errors; the queue's
 * retry limit bounds how long events wait.
 */
export const SALESFORCE_AUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'inactive_user',
  'inactive_org'
]);

/** Suggested waits where the API says more than "try again". */
const RETRY_AFTER_SECONDS: Readonly<Record<string, number>> = {
  REQUEST_LIMIT_EXCEEDED: 300,
  CONCURRENT_REQUEST_LIMIT_EXCEEDED: 30,
  API_BUDGET_EXHAUSTED: 600
};

function salesforceCode(
  code: string,
  status: number | undefined,
  message: string
): Classification {
  const reason = `Salesforce ${code}${status ? ` (HTTP ${status})` : ''}: ${message}`;
  if (
    RETRYABLE_SALESFORCE_CODES.has(code) ||
    SALESFORCE_AUTH_ERROR_CODES.has(code) ||
    (status !== undefined && (status >= 500 || status === 429))
  ) {
    const after = RETRY_AFTER_SECONDS[code];
    return {
      kind: 'retry',
      reason,
      ...(after === undefined ? {} : { retryAfterSeconds: after }),
      ...(code === 'API_BUDGET_EXHAUSTED' ? { uncounted: true } : {})
    };
  }
  const httpCode = /^ERROR_HTTP_(\d{3})$/.exec(code);
  if (httpCode && (Number(httpCode[1]) >= 500 || Number(httpCode[1]) === 429))
    return { kind: 'retry', reason };
  return { kind: 'dead', reason };
}

export function classifyError(error: unknown): Classification {
  if (error instanceof SalesforceApiError)
    return salesforceCode(error.errorCode, error.status, error.message);
  if (error instanceof ScopeApiError) {
    const reason = error.message;
    switch (error.kind) {
      case 'network':
        return { kind: 'retry', reason };
      case 'auth':
        // Credentials can be fixed or rotated without losing events; the queue's retry limit bounds this.
        return { kind: 'retry', reason };
      case 'schema':
        // The tenant's schema rejected our selection: retrying cannot help until the config changes.
        return { kind: 'dead', reason };
      case 'graphql':
        // e.g. "Internal server error … reference …" (reference §3.6): transient as far as we can tell.
        return { kind: 'retry', reason };
      case 'http': {
        const status = error.status ?? 0;
        if (status >= 500 || status === 429 || status === 408) {
          return error.retryAfterSeconds === undefined
            ? { kind: 'retry', reason }
            : {
                kind: 'retry',
                reason,
                retryAfterSeconds: error.retryAfterSeconds
              };
        }
        return { kind: 'dead', reason };
      }
    }
  }
  // Anything unexpected (a bug, a timeout of ours) is retried; the queue's limit dead-letters it eventually.
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retry', reason: `unexpected error: ${message}` };
}

/** One record's errors from a Collections response. */
export function classifyRecordErrors(
  errors: readonly {
    statusCode: string;
    message: string;
    fields: readonly string[];
  }[]
): Classification {
  if (errors.length === 0)
    return {
      kind: 'retry',
      reason: 'Salesforce reported failure without an error'
    };
  const describe = errors
    .map(
      (e) =>
        `${e.statusCode}: ${e.message}${e.fields.length ? ` [${e.fields.join(', ')}]` : ''}`
    )
    .join('; ');
  const retryable = errors.every((e) =>
    RETRYABLE_SALESFORCE_CODES.has(e.statusCode)
  );
  return retryable
    ? { kind: 'retry', reason: `Salesforce ${describe}` }
    : { kind: 'dead', reason: `Salesforce ${describe}` };
}

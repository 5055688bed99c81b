// What a failed jsforce request throws (an error with Salesforce's errorCode, a refresh failure, or a
// network error without a response), turned into the connector's typed SalesforceApiError.
import { SalesforceApiError } from './salesforce-error.ts';

interface JsforceErrorShape {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
  data?: unknown;
}

/** `status` is the HTTP status the request last answered, when it had a response. */
export function toSalesforceError(
  error: unknown,
  status: number | undefined,
  operation: string
): SalesforceApiError {
  if (error instanceof SalesforceApiError) return error;
  const e = (
    typeof error === 'object' && error !== null
      ? error
      : { message: String(error) }
  ) as JsforceErrorShape;
  const message = e.message ?? 'unknown error';
  if (message.startsWith('Unable to refresh session')) {
    return new SalesforceApiError(`Salesforce ${operation}: ${message}`, {
      errorCode: 'INVALID_SESSION_ID',
      status: 401,
      cause: error
    });
  }
  if (e.errorCode) {
    const fields = extractFields(e.data);
    return new SalesforceApiError(
      `Salesforce ${operation}: ${e.errorCode}: ${message}`,
      {
        errorCode: e.errorCode,
        status: status ?? statusFromCode(e.errorCode),
        fields,
        cause: error
      }
    );
  }
  // node-fetch FetchError / AbortError: no response at all.
  return new SalesforceApiError(`Salesforce ${operation}: ${message}`, {
    errorCode: 'NETWORK_ERROR',
    status,
    cause: error
  });
}

function statusFromCode(code: string): number | undefined {
  const match = /^ERROR_HTTP_(\d{3})$/.exec(code);
  return match ? Number(match[1]) : undefined;
}

function extractFields(data: unknown): string[] {
  if (
    typeof data === 'object' &&
    data !== null &&
    'fields' in data &&
    Array.isArray(data.fields)
  ) {
    return data.fields.filter((f): f is string => typeof f === 'string');
  }
  return [];
}

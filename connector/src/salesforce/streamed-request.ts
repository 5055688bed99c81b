// A REST call whose body is streamed (a ContentVersion's bytes), which jsforce's Connection.request
// cannot do without holding the whole body: fetch with the Connection's token and instance URL, counted
// like every other call (API budget, metrics, Sforce-Limit-Info), failing with the same typed error.
// A 401 is answered once by a token refresh through jsforce (a cheap authenticated GET that jsforce
// retries after refreshing), and the caller's body factory is asked for a fresh stream.
import type { ProcessingMetrics } from '../metrics.ts';
import type { ApiBudget } from './api-budget.ts';
import { parseLimitInfo } from './limit-info.ts';
import { SalesforceApiError } from './salesforce-error.ts';
import { API_BUDGET_EXHAUSTED } from './salesforce-http.ts';
import type { SalesforceSession } from './salesforce-session.ts';

export interface StreamedBody {
  contentType: string;
  /** Known length (Content-Length), else the body goes chunked. */
  length?: number;
  stream: AsyncIterable<Uint8Array>;
}

export interface StreamedRequestDeps {
  session: SalesforceSession;
  apiVersion: string;
  budget?: ApiBudget;
  metrics?: Pick<ProcessingMetrics, 'apiCall' | 'salesforceApiUsage'>;
  /** Refreshes the session's token (a GET through jsforce, which refreshes on its 401). */
  refresh(): Promise<void>;
}

interface SalesforceErrorBody {
  errorCode?: string;
  message?: string;
  fields?: string[];
}

async function errorOf(
  response: Response,
  operation: string
): Promise<SalesforceApiError> {
  const text = await response.text().catch(() => '');
  let first: SalesforceErrorBody | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    first = (Array.isArray(parsed) ? parsed[0] : parsed) as SalesforceErrorBody;
  } catch {
    first = undefined;
  }
  const errorCode = first?.errorCode ?? `ERROR_HTTP_${response.status}`;
  return new SalesforceApiError(
    `Salesforce ${operation}: ${errorCode}: ${first?.message ?? text.slice(0, 300)}`,
    {
      errorCode,
      status: response.status,
      ...(first?.fields ? { fields: first.fields } : {})
    }
  );
}

/**
 * A batch is admitted for a few calls (api-budget.ts BATCH_CALL_RESERVE); a files batch makes one per
 * photo besides, so each upload asks the budget first and waits (a retry) while it is blocked for any
 * reason: the files' share of the window or of the day's budget, or other integrations near the org's
 * limit.
 */
async function refuseWhileBlocked(
  budget: ApiBudget | undefined,
  operation: string
): Promise<void> {
  const state = await budget?.check('files');
  if (!state?.blocked) return;
  throw new SalesforceApiError(
    `${operation}: the connector's Salesforce API budget is blocked (${state.blocked}); the photos wait`,
    { errorCode: API_BUDGET_EXHAUSTED }
  );
}

async function send(
  deps: StreamedRequestDeps,
  operation: string,
  path: string,
  body: StreamedBody
): Promise<Response> {
  await refuseWhileBlocked(deps.budget, operation);
  const conn = await deps.session.connection();
  const url = `${conn.instanceUrl}/services/data/v${deps.apiVersion}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${conn.accessToken ?? ''}`,
        'content-type': body.contentType,
        ...(body.length === undefined
          ? {}
          : { 'content-length': String(body.length) })
      },
      body: ReadableStream.from(body.stream),
      duplex: 'half'
    } as RequestInit);
  } catch (error) {
    deps.metrics?.apiCall('salesforce', operation, 'network');
    throw new SalesforceApiError(
      `Salesforce ${operation}: ${(error as Error).message}`,
      { errorCode: 'NETWORK_ERROR', cause: error }
    );
  }
  deps.budget?.spend();
  deps.metrics?.apiCall('salesforce', operation, response.status);
  const limit = parseLimitInfo(response.headers.get('sforce-limit-info'));
  if (limit) {
    deps.budget?.observeOrgUsage(limit);
    deps.metrics?.salesforceApiUsage(limit.used, limit.max);
  }
  return response;
}

/** POSTs a streamed body; `body()` is called again for the one repeat after a token refresh. */
export async function postStreamed<T>(
  deps: StreamedRequestDeps,
  operation: string,
  path: string,
  body: () => Promise<StreamedBody>
): Promise<T> {
  let response = await send(deps, operation, path, await body());
  if (response.status === 401) {
    await response.body?.cancel();
    await deps.refresh();
    response = await send(deps, operation, path, await body());
  }
  if (!response.ok) throw await errorOf(response, operation);
  return (await response.json()) as T;
}

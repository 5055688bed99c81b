// The HTTP layer: one REST call on the session, counted per status in the metrics and in the API budget,
// spaced out near the daily API limit (Sforce-Limit-Info), never retried inside jsforce (the queue retries with backoff),
// and failing with a typed SalesforceApiError that carries the call's HTTP status.
import type { ProcessingMetrics } from '../metrics.ts';
import type { ApiBudget } from './api-budget.ts';
import { observedTransport } from './jsforce-compat.ts';
import { toSalesforceError } from './jsforce-error.ts';
import { parseLimitInfo } from './limit-info.ts';
import { SalesforceApiError } from './salesforce-error.ts';
import type { SalesforceSession } from './salesforce-session.ts';

export interface ApiUsage {
  used: number;
  max: number;
}

export interface SalesforceHttp {
  /** `url` relative to `/services/data/vXX.X`; `operation` names the call in metrics and errors. */
  request<T>(
    operation: string,
    method: 'GET' | 'PATCH' | 'POST' | 'DELETE',
    url: string,
    body?: unknown
  ): Promise<T>;
  /** The org's usage as the last response reported it. */
  apiUsage(): ApiUsage | undefined;
}

export interface SalesforceHttpOptions {
  session: SalesforceSession;
  /** Fraction of the daily API limit from which calls are spaced out. */
  slowdown: number;
  slowdownDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  metrics?: Pick<ProcessingMetrics, 'apiCall' | 'salesforceApiUsage'>;
  logger?: { warn(fields: object, message: string): void };
  /** The connector's own share of the allowance: every call is counted; none once the day's is spent. */
  budget?: ApiBudget;
}

/** Our own errorCode (never Salesforce's): the connector's daily budget is spent, retry later. */
export const API_BUDGET_EXHAUSTED = 'API_BUDGET_EXHAUSTED';

async function refuseOverBudget(
  budget: ApiBudget | undefined,
  operation: string
) {
  if (!budget) return;
  const state = await budget.check();
  if (state.dailyBudget === undefined || state.spent24h < state.dailyBudget)
    return;
  throw new SalesforceApiError(
    `${operation}: the connector's Salesforce API budget (${state.dailyBudget} calls per 24 h, SF_API_BUDGET) is spent`,
    { errorCode: API_BUDGET_EXHAUSTED }
  );
}

export function createSalesforceHttp(
  options: SalesforceHttpOptions
): SalesforceHttp {
  let usage: ApiUsage | undefined;

  const slowDownNearLimit = async (): Promise<void> => {
    if (!usage || usage.max <= 0 || usage.used / usage.max < options.slowdown)
      return;
    options.logger?.warn(
      { used: usage.used, max: usage.max },
      'Salesforce API usage near the daily limit: slowing down'
    );
    await options.sleep(options.slowdownDelayMs);
  };

  return {
    async request<T>(
      operation: string,
      method: 'GET' | 'PATCH' | 'POST' | 'DELETE',
      url: string,
      body?: unknown
    ): Promise<T> {
      await refuseOverBudget(options.budget, operation);
      await slowDownNearLimit();
      const conn = await options.session.connection();
      let lastStatus: number | undefined;
      // Sees this request's status and Sforce-Limit-Info, even across a token refresh.
      const transport = observedTransport(conn, {
        onResponse(response) {
          lastStatus = response.statusCode;
          options.budget?.spend();
          options.metrics?.apiCall(
            'salesforce',
            operation,
            response.statusCode
          );
          const limit = parseLimitInfo(response.headers['sforce-limit-info']);
          if (limit) {
            usage = limit;
            options.budget?.observeOrgUsage(limit);
            options.metrics?.salesforceApiUsage(limit.used, limit.max);
          }
        },
        onNetworkError: () =>
          options.metrics?.apiCall('salesforce', operation, 'network')
      });
      try {
        return await conn.request<T>(
          {
            method,
            url,
            ...(body === undefined
              ? {}
              : {
                  body: JSON.stringify(body),
                  headers: { 'content-type': 'application/json' }
                })
          },
          // No hidden retries inside jsforce: the queue retries with backoff, and API calls stay countable.
          { transport, retry: { maxRetries: 0 } }
        );
      } catch (error) {
        throw toSalesforceError(error, lastStatus, operation);
      }
    },
    apiUsage: () => usage
  };
}

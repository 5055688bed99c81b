import { Connection } from 'jsforce';
import type { Logger } from '../logger.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../mapping/session-record.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
import type { WorkOrderRow } from '../mapping/resolve-link.ts';
import { parseLimitInfo } from './limit-info.ts';
import { createSalesforceAuth } from './salesforce-auth.ts';
import type {
  SalesforceAuth,
  SalesforceAuthOptions
} from './salesforce-auth.ts';
import { SalesforceApiError } from './salesforce-error.ts';
import { queryInLists, queryPath, workOrderQuery } from './soql.ts';
import type { SoqlReader } from './soql.ts';

export type ProcessingLogger = Pick<
  Logger,
  'debug' | 'info' | 'warn' | 'error'
>;

export interface SalesforceClientOptions {
  auth: SalesforceAuthOptions | SalesforceAuth;
  /** e.g. '68.0' */
  apiVersion: string;
  /** Fraction of the daily API limit (Sforce-Limit-Info) from which calls are spaced out (default 0.9). */
  apiUsageSlowdown?: number;
  /** Pause before each call while over the slowdown fraction (default 2 s). */
  slowdownDelayMs?: number;
  metrics?: Pick<ProcessingMetrics, 'apiCall' | 'salesforceApiUsage'>;
  logger?: ProcessingLogger;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

export interface UpsertResult {
  scopeId: string;
  success: boolean;
  id?: string;
  created?: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

export interface FieldCheck {
  field: string;
  problem: 'missing' | 'not-createable' | 'not-updateable';
}

export interface SalesforceClient {
  /**
   * Read-only SOQL: every record of every page (follows nextRecordsUrl), without the `attributes`
   * envelope. Each page is one API call counted under `operation`.
   */
  query<T>(operation: string, soql: string): Promise<T[]>;
  /** Upserts by Scope_Id__c through sObject Collections, ≤ 200 records per call, allOrNone false. */
  upsertSessions(records: readonly SessionRecord[]): Promise<UpsertResult[]>;
  /** One SOQL query per batch (more only if the keys overflow a URL) for Ids and WorkOrderNumbers. */
  resolveWorkOrders(keys: {
    ids: readonly string[];
    numbers: readonly string[];
  }): Promise<WorkOrderRow[]>;
  /** `SELECT Scope_Id__c, Scope_Updated_At__c` for out-of-order protection of payload nodes. */
  readUpdatedAt(
    scopeIds: readonly string[]
  ): Promise<Map<string, string | null>>;
  /** describe-based check that each field exists and the integration user may create and update it. */
  checkWritableFields(
    fields: readonly string[],
    sobject?: string
  ): Promise<FieldCheck[]>;
  ping(): Promise<{
    instanceUrl: string;
    apiUsage?: { used: number; max: number };
  }>;
  apiUsage(): { used: number; max: number } | undefined;
}

/** The narrow port of code that only reads (reconciliation, the TTR report). */
export type { SoqlReader };

export const COLLECTIONS_LIMIT = 200;

interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
}
type Transport = Connection['_transport'];

interface SaveResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

export function createSalesforceClient(
  options: SalesforceClientOptions
): SalesforceClient {
  const auth = toAuth(options);
  const slowdown = options.apiUsageSlowdown ?? 0.9;
  const sleep =
    options.sleep ??
    ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let usage: { used: number; max: number } | undefined;
  let connection: Promise<Connection> | undefined;
  // Guards against jsforce re-authenticating forever when every token is rejected.
  let refreshTimes: number[] = [];

  const connect = async (): Promise<Connection> => {
    const token = await auth.authenticate();
    const conn = new Connection({
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      version: options.apiVersion,
      // jsforce calls this once on a 401 (shared by concurrent requests) and repeats the request.
      refreshFn: (c, callback) => {
        const now = Date.now();
        refreshTimes = refreshTimes.filter((t) => now - t < 60_000);
        if (refreshTimes.length >= 3) {
          callback(
            new Error(
              'INVALID_SESSION_ID: token rejected again right after re-authentication'
            )
          );
          return;
        }
        refreshTimes.push(now);
        options.logger?.info(
          {},
          'Salesforce session expired: re-authenticating'
        );
        auth.authenticate().then(
          (fresh) => {
            c.instanceUrl = fresh.instanceUrl;
            callback(null, fresh.accessToken);
          },
          (error: unknown) =>
            callback(error instanceof Error ? error : new Error(String(error)))
        );
      }
    });
    return conn;
  };

  const getConnection = (): Promise<Connection> => {
    connection ??= connect().catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };

  const request = async <T>(
    operation: string,
    method: 'GET' | 'PATCH',
    url: string,
    body?: unknown
  ): Promise<T> => {
    if (usage && usage.max > 0 && usage.used / usage.max >= slowdown) {
      options.logger?.warn(
        { used: usage.used, max: usage.max },
        'Salesforce API usage near the daily limit: slowing down'
      );
      await sleep(options.slowdownDelayMs ?? 2000);
    }
    const conn = await getConnection();
    let last: HttpResponseLike | undefined;
    const base: Transport = conn._transport;
    // Per-request transport: sees this request's status and Sforce-Limit-Info (even across a token refresh).
    const transport = {
      httpRequest(
        req: Parameters<Transport['httpRequest']>[0],
        opts: Parameters<Transport['httpRequest']>[1]
      ) {
        const pending = base.httpRequest(req, opts);
        pending.then(
          (response) => {
            last = response;
            options.metrics?.apiCall(
              'salesforce',
              operation,
              response.statusCode
            );
            const limit = parseLimitInfo(response.headers['sforce-limit-info']);
            if (limit) {
              usage = limit;
              options.metrics?.salesforceApiUsage(limit.used, limit.max);
            }
          },
          () => options.metrics?.apiCall('salesforce', operation, 'network')
        );
        return pending;
      }
    };
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
      throw toSalesforceError(error, last?.statusCode, operation);
    }
  };

  const query = async <T>(operation: string, soql: string): Promise<T[]> => {
    const records: T[] = [];
    let url: string | undefined = queryPath(soql);
    while (url) {
      const page: {
        records: unknown[];
        done: boolean;
        nextRecordsUrl?: string;
      } = await request(operation, 'GET', url);
      for (const record of page.records) {
        const { attributes: _attributes, ...fields } = record as {
          attributes?: unknown;
        };
        records.push(fields as T);
      }
      url = page.done ? undefined : page.nextRecordsUrl;
    }
    return records;
  };

  return {
    query,

    async upsertSessions(records) {
      const results: UpsertResult[] = [];
      for (let i = 0; i < records.length; i += COLLECTIONS_LIMIT) {
        const chunk = records.slice(i, i + COLLECTIONS_LIMIT);
        // The request jsforce's sobject().upsert() sends for arrays (API ≥ 46.0).
        const response = await request<SaveResult[]>(
          'upsert',
          'PATCH',
          `/composite/sobjects/${SESSION_OBJECT}/${SESSION_EXTERNAL_ID_FIELD}`,
          {
            allOrNone: false,
            records: chunk.map((record) => ({
              attributes: { type: SESSION_OBJECT },
              ...record
            }))
          }
        );
        if (!Array.isArray(response) || response.length !== chunk.length) {
          throw new SalesforceApiError(
            'Collections upsert answered with an unexpected body',
            {
              errorCode: 'UNEXPECTED_RESPONSE',
              status: 200
            }
          );
        }
        chunk.forEach((record, index) => {
          const result = response[index] as SaveResult;
          results.push({
            scopeId: record.Scope_Id__c,
            success: result.success === true,
            id: result.id,
            created: result.created,
            errors: (result.errors ?? []).map((e) => ({
              statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
              message: e.message ?? '',
              fields: e.fields ?? []
            }))
          });
        });
      }
      return results;
    },

    async resolveWorkOrders({ ids, numbers }) {
      if (ids.length === 0 && numbers.length === 0) return [];
      const rows: WorkOrderRow[] = [];
      const found = await queryInLists<WorkOrderRow>(
        { query },
        'resolveWorkOrders',
        workOrderQuery(ids, numbers)
      );
      for (const { Id, WorkOrderNumber, CaseId, AssetId } of found) {
        rows.push({
          Id,
          WorkOrderNumber,
          CaseId: CaseId ?? null,
          AssetId: AssetId ?? null
        });
      }
      return rows;
    },

    async readUpdatedAt(scopeIds) {
      const result = new Map<string, string | null>();
      if (scopeIds.length === 0) return result;
      const rows = await queryInLists<{
        Scope_Id__c: string;
        Scope_Updated_At__c: string | null;
      }>({ query }, 'readUpdatedAt', {
        select: `SELECT ${SESSION_EXTERNAL_ID_FIELD}, Scope_Updated_At__c FROM ${SESSION_OBJECT}`,
        lists: [{ field: SESSION_EXTERNAL_ID_FIELD, values: scopeIds }]
      });
      for (const row of rows)
        result.set(row.Scope_Id__c, row.Scope_Updated_At__c ?? null);
      return result;
    },

    async checkWritableFields(fields, sobject = SESSION_OBJECT) {
      const describe = await request<{
        fields: { name: string; createable: boolean; updateable: boolean }[];
      }>('describe', 'GET', `/sobjects/${sobject}/describe`);
      const byName = new Map(
        describe.fields.map((f) => [f.name.toLowerCase(), f])
      );
      const problems: FieldCheck[] = [];
      for (const field of fields) {
        const found = byName.get(field.toLowerCase());
        if (!found) problems.push({ field, problem: 'missing' });
        else if (!found.createable)
          problems.push({ field, problem: 'not-createable' });
        // The external id is only ever matched on, never changed; every other field is rewritten.
        else if (!found.updateable && field !== SESSION_EXTERNAL_ID_FIELD)
          problems.push({ field, problem: 'not-updateable' });
      }
      return problems;
    },

    async ping() {
      // The version's resource list: any authenticated user may read it (/limits needs View Setup).
      await request<unknown>('ping', 'GET', '/');
      const conn = await getConnection();
      return {
        instanceUrl: conn.instanceUrl,
        ...(usage ? { apiUsage: usage } : {})
      };
    },

    apiUsage: () => usage
  };
}

function toAuth(options: SalesforceClientOptions): SalesforceAuth {
  const given = options.auth;
  if ('authenticate' in given) return given;
  return createSalesforceAuth({
    logger: options.logger,
    ...given,
    onTokenRequest: (status) => {
      options.metrics?.apiCall('salesforce', 'token', status);
      given.onTokenRequest?.(status);
    }
  });
}

interface JsforceErrorShape {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
  data?: unknown;
}

function toSalesforceError(
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

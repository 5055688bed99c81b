// The Salesforce client, layered like jsforce: transport (salesforce-session.ts: the authenticated
// Connection and its one refresh per 401) → HTTP (salesforce-http.ts: metrics, the API-limit slowdown,
// typed errors) → sObject operations (query-records.ts, collections-upsert.ts, session-lookups.ts,
// check-writable-fields.ts). This file only defines the port the rest of the connector uses and wires
// the layers together.
import type { Logger } from '../logger.ts';
import { SESSION_OBJECT } from '../mapping/session-record.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
import type { StepRecord } from '../mapping/step-record.ts';
import type { WorkOrderRow } from '../mapping/resolve-link.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import { checkWritableFields } from './check-writable-fields.ts';
import type { FieldCheck } from './check-writable-fields.ts';
import {
  upsertSessionRecords,
  upsertStepRecords
} from './collections-upsert.ts';
import { updateRecords } from './collections-update.ts';
import { sendComposite } from './composite-request.ts';
import type {
  CompositeAnswer,
  CompositeSubrequest
} from './composite-request.ts';
import {
  upsertSessionsWithSteps,
  upsertStepsInComposites
} from './composite-upsert.ts';
import type { SessionsWithSteps, StepOfSession } from './composite-upsert.ts';
import type { RecordUpdate, UpdateResult } from './collections-update.ts';
import type { UpsertResult } from './collections-upsert.ts';
import { createBatchedReader } from './batched-reader.ts';
import { queryRecords } from './query-records.ts';
import { createSalesforceAuth } from './salesforce-auth.ts';
import type {
  SalesforceAuth,
  SalesforceAuthOptions
} from './salesforce-auth.ts';
import type { ApiBudget } from './api-budget.ts';
import { createSalesforceHttp } from './salesforce-http.ts';
import type { SalesforceHttp } from './salesforce-http.ts';
import type { ApiUsage } from './salesforce-http.ts';
import { createSalesforceSession } from './salesforce-session.ts';
import type { SalesforceSession } from './salesforce-session.ts';
import {
  findTechnicianUsers,
  findWorkOrders,
  readStoredSessions
} from './session-lookups.ts';
import type { TechnicianMatch } from './session-lookups.ts';
import type { StoredSession } from './session-lookups.ts';
import type { SoqlReader } from './soql.ts';
import {
  deleteDocuments,
  findCopiedDocuments,
  findCopiedPhotos,
  findDocumentLinks,
  findSessionRecords,
  insertDocumentLinks
} from './content-documents.ts';
import type {
  CopiedPhoto,
  DocumentLink,
  LinkResult,
  SessionRecordRef
} from './content-documents.ts';
import { postStreamed } from './streamed-request.ts';
import type { StreamedBody, StreamedRequestDeps } from './streamed-request.ts';

export { COLLECTIONS_LIMIT } from './collections-upsert.ts';
export { COMPOSITE_STEP_LIMIT } from './composite-upsert.ts';
export type { SessionsWithSteps, StepOfSession } from './composite-upsert.ts';
export type {
  CompositeAnswer,
  CompositeSubrequest
} from './composite-request.ts';
export type { UpsertResult } from './collections-upsert.ts';
export type { RecordUpdate, UpdateResult } from './collections-update.ts';
export type { FieldCheck } from './check-writable-fields.ts';
export type { StoredSession } from './session-lookups.ts';
/** The narrow port of code that only reads (reconciliation, the TTR report). */
export type { SoqlReader };

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
  /** The connector's share of the daily allowance (counted per call; refused once spent). */
  budget?: ApiBudget;
  /** Pause before each call while over the slowdown fraction (default 2 s). */
  slowdownDelayMs?: number;
  /** Queries started in the same turn share one Composite call (batched-reader.ts; SF_COMPOSITE). */
  batchReads?: boolean;
  metrics?: Pick<ProcessingMetrics, 'apiCall' | 'salesforceApiUsage'>;
  logger?: ProcessingLogger;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

export interface SalesforceClient {
  /**
   * Read-only SOQL: every record of every page (follows nextRecordsUrl), without the `attributes`
   * envelope. Each page is one API call counted under `operation`.
   */
  query<T>(operation: string, soql: string): Promise<T[]>;
  /** Upserts by Scope_Id__c through sObject Collections, ≤ 200 records per call, allOrNone false. */
  upsertSessions(records: readonly SessionRecord[]): Promise<UpsertResult[]>;
  /** Updates records of any types by Id through sObject Collections, ≤ 200 per call, allOrNone false. */
  updateRecords(
    operation: string,
    updates: readonly RecordUpdate[]
  ): Promise<UpdateResult[]>;
  /** Upserts session steps by Step_Key__c the same way (each result's scopeId is the step key). */
  upsertSteps(records: readonly StepRecord[]): Promise<UpsertResult[]>;
  /**
   * ≤ 25 subrequests (urls relative to `/services/data/vXX.X`) in one Composite call: ONE API call.
   * Each answer is the subrequest's own status and body, in order.
   */
  composite(
    operation: string,
    subrequests: readonly CompositeSubrequest[],
    allOrNone?: boolean
  ): Promise<CompositeAnswer[]>;
  /**
   * ≤ 200 sessions and ≤ 800 of their steps (linked by the session's Scope_Id__c) upserted in one
   * Composite call; the session results are those upsertSessions answers.
   */
  upsertSessionsWithSteps(
    sessions: readonly SessionRecord[],
    steps: readonly StepOfSession[]
  ): Promise<SessionsWithSteps>;
  /** upsertSteps in Composite calls of ≤ 1,000 steps (5 Collections subrequests): one call each. */
  upsertStepsInComposites(
    records: readonly StepRecord[]
  ): Promise<UpsertResult[]>;
  /** One SOQL query per batch (more only if the keys overflow a URL) for Ids and WorkOrderNumbers. */
  resolveWorkOrders(keys: {
    ids: readonly string[];
    numbers: readonly string[];
  }): Promise<WorkOrderRow[]>;
  /**
   * `SELECT Scope_Id__c, Scope_Updated_At__c, Link_Status__c` of the sessions a batch writes:
   * out-of-order protection of payload nodes and the manual links left alone.
   */
  readStoredSessions(
    scopeIds: readonly string[]
  ): Promise<Map<string, StoredSession>>;
  /** Active users by Email (or Username, FederationIdentifier): lower-cased value → Id, null if several. */
  findTechnicianUsers(
    match: TechnicianMatch,
    values: readonly string[]
  ): Promise<Map<string, string | null>>;
  /**
   * One record upserted by an external id (`PATCH /sobjects/{type}/{field}/{value}`), e.g. the
   * heartbeat; `operation` names the call in metrics.
   */
  upsertRecord(
    operation: string,
    target: { sobject: string; field: string; value: string },
    fields: Readonly<Record<string, unknown>>
  ): Promise<{ id: string; created: boolean }>;
  /** describe-based check that each field exists and the integration user may create and update it. */
  checkWritableFields(
    fields: readonly string[],
    sobject?: string
  ): Promise<FieldCheck[]>;
  ping(): Promise<{ instanceUrl: string; apiUsage?: ApiUsage }>;
  apiUsage(): ApiUsage | undefined;
  /** Salesforce Files: the photos the connector copies (content-documents.ts). */
  files: FilesPort;
}

export interface FilesPort {
  findCopiedPhotos(
    eventIds: readonly string[]
  ): Promise<Map<string, CopiedPhoto>>;
  findDocumentLinks(
    documentIds: readonly string[],
    entityIds: readonly string[]
  ): Promise<Set<string>>;
  insertDocumentLinks(links: readonly DocumentLink[]): Promise<LinkResult[]>;
  findSessionRecords(
    scopeIds: readonly string[]
  ): Promise<Map<string, SessionRecordRef>>;
  /** The copied photos' ContentDocuments (of these session records, or all of them). */
  findCopiedDocuments(sessionRecordIds?: readonly string[]): Promise<string[]>;
  deleteDocuments(
    documentIds: readonly string[]
  ): Promise<{ deleted: string[]; failed: { id: string; reason: string }[] }>;
  /** POST /sobjects/ContentVersion with a streamed body (asked again after a token refresh). */
  uploadContentVersion(
    body: () => Promise<StreamedBody>
  ): Promise<{ id: string }>;
}

export function createSalesforceClient(
  options: SalesforceClientOptions
): SalesforceClient {
  const session = createSalesforceSession({
    auth: toAuth(options),
    apiVersion: options.apiVersion,
    logger: options.logger
  });
  const http = createSalesforceHttp({
    session,
    slowdown: options.apiUsageSlowdown ?? 0.9,
    slowdownDelayMs: options.slowdownDelayMs ?? 2000,
    sleep:
      options.sleep ??
      ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    metrics: options.metrics,
    logger: options.logger,
    budget: options.budget
  });
  const reader: SoqlReader = options.batchReads
    ? createBatchedReader(http, options.apiVersion)
    : { query: (operation, soql) => queryRecords(http, operation, soql) };
  const files = createFilesPort(http, reader, session, options);
  return {
    query: reader.query,
    upsertSessions: (records) => upsertSessionRecords(http, records),
    updateRecords: (operation, updates) =>
      updateRecords(http, operation, updates),
    upsertSteps: (records) => upsertStepRecords(http, records),
    composite: (operation, subrequests, allOrNone) =>
      sendComposite(
        http,
        options.apiVersion,
        operation,
        subrequests,
        allOrNone
      ),
    upsertSessionsWithSteps: (sessions, steps) =>
      upsertSessionsWithSteps(http, options.apiVersion, sessions, steps),
    upsertStepsInComposites: (records) =>
      upsertStepsInComposites(http, options.apiVersion, records),
    resolveWorkOrders: (keys) => findWorkOrders(reader, keys),
    readStoredSessions: (scopeIds) => readStoredSessions(reader, scopeIds),
    findTechnicianUsers: (match, values) =>
      findTechnicianUsers(reader, match, values),
    async upsertRecord(operation, target, fields) {
      const path = [target.sobject, target.field, target.value]
        .map(encodeURIComponent)
        .join('/');
      const saved = await http.request<{ id?: string; created?: boolean }>(
        operation,
        'PATCH',
        `/sobjects/${path}`,
        fields
      );
      return { id: saved?.id ?? '', created: saved?.created === true };
    },
    checkWritableFields: (fields, sobject = SESSION_OBJECT) =>
      checkWritableFields(http, fields, sobject),
    async ping() {
      // The version's resource list: any authenticated user may read it (/limits needs View Setup).
      await http.request<unknown>('ping', 'GET', '/');
      const conn = await session.connection();
      const usage = http.apiUsage();
      return {
        instanceUrl: conn.instanceUrl,
        ...(usage ? { apiUsage: usage } : {})
      };
    },
    apiUsage: () => http.apiUsage(),
    files
  };
}

/** The Files operations (content-documents.ts) and the streamed upload on the client's layers. */
function createFilesPort(
  http: SalesforceHttp,
  reader: SoqlReader,
  session: SalesforceSession,
  options: SalesforceClientOptions
): FilesPort {
  const streamed: StreamedRequestDeps = {
    session,
    apiVersion: options.apiVersion,
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    refresh: async () => {
      await http.request<unknown>('ping', 'GET', '/');
    }
  };
  return {
    findCopiedPhotos: (ids) => findCopiedPhotos(reader, ids),
    findDocumentLinks: (documents, entities) =>
      findDocumentLinks(reader, documents, entities),
    insertDocumentLinks: (links) => insertDocumentLinks(http, links),
    findSessionRecords: (scopeIds) => findSessionRecords(reader, scopeIds),
    findCopiedDocuments: (ids) => findCopiedDocuments(reader, ids),
    deleteDocuments: (ids) => deleteDocuments(http, ids),
    uploadContentVersion: (body) =>
      postStreamed<{ id: string }>(
        streamed,
        'uploadFile',
        '/sobjects/ContentVersion',
        body
      )
  };
}

/** Options build their own auth, whose token requests are counted as API calls. */
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

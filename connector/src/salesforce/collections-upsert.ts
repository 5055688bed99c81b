// sObject operation: upsert records by an external id through sObject Collections (the request
// jsforce's sobject().upsert() sends for arrays, API ≥ 46.0), ≤ 200 records per call, allOrNone false:
// one result per record, in order. Sessions upsert by Scope_Id__c, their steps by Step_Key__c.
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../mapping/session-record.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
import { STEP_EXTERNAL_ID_FIELD, STEP_OBJECT } from '../mapping/step-record.ts';
import type { StepRecord } from '../mapping/step-record.ts';
import { SalesforceApiError } from './salesforce-error.ts';
import type { SalesforceHttp } from './salesforce-http.ts';

export const COLLECTIONS_LIMIT = 200;

export interface UpsertResult {
  scopeId: string;
  success: boolean;
  id?: string;
  created?: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

export interface SaveResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

interface UpsertTarget {
  operation: string;
  sobject: string;
  externalIdField: string;
}

export function upsertSessionRecords(
  http: SalesforceHttp,
  records: readonly SessionRecord[]
): Promise<UpsertResult[]> {
  return upsertByExternalId(
    http,
    {
      operation: 'upsert',
      sobject: SESSION_OBJECT,
      externalIdField: SESSION_EXTERNAL_ID_FIELD
    },
    records,
    (record) => record.Scope_Id__c
  );
}

/** Steps by Step_Key__c; each result's `scopeId` is the record's Step_Key__c. */
export function upsertStepRecords(
  http: SalesforceHttp,
  records: readonly StepRecord[]
): Promise<UpsertResult[]> {
  return upsertByExternalId(
    http,
    {
      operation: 'upsertSteps',
      sobject: STEP_OBJECT,
      externalIdField: STEP_EXTERNAL_ID_FIELD
    },
    records,
    (record) => record.Step_Key__c
  );
}

async function upsertByExternalId<R extends object>(
  http: SalesforceHttp,
  target: UpsertTarget,
  records: readonly R[],
  keyOf: (record: R) => string
): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (let i = 0; i < records.length; i += COLLECTIONS_LIMIT) {
    const chunk = records.slice(i, i + COLLECTIONS_LIMIT);
    const response = await http.request<SaveResult[]>(
      target.operation,
      'PATCH',
      `/composite/sobjects/${target.sobject}/${target.externalIdField}`,
      {
        allOrNone: false,
        records: chunk.map((record) => ({
          attributes: { type: target.sobject },
          ...record
        }))
      }
    );
    if (!Array.isArray(response) || response.length !== chunk.length) {
      throw new SalesforceApiError(
        'Collections upsert answered with an unexpected body',
        { errorCode: 'UNEXPECTED_RESPONSE', status: 200 }
      );
    }
    chunk.forEach((record, index) =>
      results.push(toUpsertResult(keyOf(record), response[index] as SaveResult))
    );
  }
  return results;
}

export function toUpsertResult(key: string, result: SaveResult): UpsertResult {
  return {
    scopeId: key,
    success: result.success === true,
    id: result.id,
    created: result.created,
    errors: (result.errors ?? []).map((e) => ({
      statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
      message: e.message ?? '',
      fields: e.fields ?? []
    }))
  };
}

// sObject operation: upsert Scope_AR_Session__c records by their external id through sObject
// Collections (the request jsforce's sobject().upsert() sends for arrays, API ≥ 46.0), ≤ 200 records
// per call, allOrNone false: one result per record, in order.
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../mapping/session-record.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
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

interface SaveResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

export async function upsertSessionRecords(
  http: SalesforceHttp,
  records: readonly SessionRecord[]
): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (let i = 0; i < records.length; i += COLLECTIONS_LIMIT) {
    const chunk = records.slice(i, i + COLLECTIONS_LIMIT);
    const response = await http.request<SaveResult[]>(
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
        { errorCode: 'UNEXPECTED_RESPONSE', status: 200 }
      );
    }
    chunk.forEach((record, index) =>
      results.push(toUpsertResult(record, response[index] as SaveResult))
    );
  }
  return results;
}

function toUpsertResult(
  record: SessionRecord,
  result: SaveResult
): UpsertResult {
  return {
    scopeId: record.Scope_Id__c,
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

// sObject operation: update records of any types by Id through sObject Collections (PATCH
// /composite/sobjects), ≤ 200 records per call, allOrNone false: one result per record, in order.
// Salesforce processes a mixed request in chunks of consecutive records of one type (at most 10 chunks
// per call), so the records are grouped by type first.
import { COLLECTIONS_LIMIT } from './collections-upsert.ts';
import { SalesforceApiError } from './salesforce-error.ts';
import type { SalesforceHttp } from './salesforce-http.ts';

export interface RecordUpdate {
  sobject: string;
  id: string;
  fields: Readonly<Record<string, unknown>>;
}

export interface UpdateResult {
  sobject: string;
  id: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

interface SaveResult {
  success?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

export async function updateRecords(
  http: SalesforceHttp,
  operation: string,
  updates: readonly RecordUpdate[]
): Promise<UpdateResult[]> {
  const sorted = [...updates].sort((a, b) =>
    a.sobject.localeCompare(b.sobject)
  );
  const results: UpdateResult[] = [];
  for (let i = 0; i < sorted.length; i += COLLECTIONS_LIMIT) {
    const chunk = sorted.slice(i, i + COLLECTIONS_LIMIT);
    const response = await http.request<SaveResult[]>(
      operation,
      'PATCH',
      '/composite/sobjects',
      {
        allOrNone: false,
        records: chunk.map((u) => ({
          attributes: { type: u.sobject },
          id: u.id,
          ...u.fields
        }))
      }
    );
    if (!Array.isArray(response) || response.length !== chunk.length) {
      throw new SalesforceApiError(
        'Collections update answered with an unexpected body',
        { errorCode: 'UNEXPECTED_RESPONSE', status: 200 }
      );
    }
    chunk.forEach((u, index) => {
      const r = response[index] ?? {};
      results.push({
        sobject: u.sobject,
        id: u.id,
        success: r.success === true,
        errors: (r.errors ?? []).map((e) => ({
          statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
          message: e.message ?? '',
          fields: e.fields ?? []
        }))
      });
    });
  }
  return results;
}

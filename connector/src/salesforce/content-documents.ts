// sObject operations on Salesforce Files for the photos the connector copies: which Scope events
// already have a ContentVersion (one IN-list query per batch on WorkLink_Scope_Event_Id__c), which
// ContentDocumentLinks exist (Salesforce refuses a ContentDocumentLink query without a ContentDocumentId
// or LinkedEntityId filter: both are given), the session records the files belong to, and new links
// inserted through sObject Collections (≤ 200 per call, allOrNone false).
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../mapping/session-record.ts';
import { COLLECTIONS_LIMIT } from './collections-upsert.ts';
import type { SalesforceHttp } from './salesforce-http.ts';
import { queryInLists } from './soql.ts';
import type { SoqlReader } from './soql.ts';

export const EVENT_ID_FIELD = 'WorkLink_Scope_Event_Id__c';

export interface CopiedPhoto {
  contentVersionId: string;
  contentDocumentId: string;
}

/** Scope event id → its latest ContentVersion, for the events already copied. */
export async function findCopiedPhotos(
  reader: SoqlReader,
  eventIds: readonly string[]
): Promise<Map<string, CopiedPhoto>> {
  const found = new Map<string, CopiedPhoto>();
  if (eventIds.length === 0) return found;
  const rows = await queryInLists<{
    Id: string;
    ContentDocumentId: string;
    WorkLink_Scope_Event_Id__c: string;
  }>(reader, 'findCopiedPhotos', {
    select: `SELECT Id, ContentDocumentId, ${EVENT_ID_FIELD} FROM ContentVersion`,
    lists: [{ field: EVENT_ID_FIELD, values: eventIds }],
    and: 'IsLatest = true'
  });
  for (const row of rows)
    found.set(row.WorkLink_Scope_Event_Id__c, {
      contentVersionId: row.Id,
      contentDocumentId: row.ContentDocumentId
    });
  return found;
}

export interface DocumentLink {
  ContentDocumentId: string;
  LinkedEntityId: string;
}

export const linkKey = (link: DocumentLink) =>
  `${link.ContentDocumentId}|${link.LinkedEntityId}`;

/** The links among `documentIds` × `entityIds` that exist, as linkKey()s. */
export async function findDocumentLinks(
  reader: SoqlReader,
  documentIds: readonly string[],
  entityIds: readonly string[]
): Promise<Set<string>> {
  if (documentIds.length === 0 || entityIds.length === 0) return new Set();
  const entities = [...new Set(entityIds)].map((id) => `'${id}'`).join(', ');
  const rows = await queryInLists<DocumentLink>(reader, 'findDocumentLinks', {
    select: 'SELECT ContentDocumentId, LinkedEntityId FROM ContentDocumentLink',
    lists: [{ field: 'ContentDocumentId', values: documentIds }],
    // record ids: 15/18 alphanumerics, checked by the caller (salesforce-id.ts)
    and: `LinkedEntityId IN (${entities})`
  });
  return new Set(rows.map(linkKey));
}

export interface LinkResult {
  link: DocumentLink;
  success: boolean;
  errors: { statusCode: string; message: string }[];
}

interface SaveResult {
  success?: boolean;
  errors?: { statusCode?: string; message?: string }[];
}

/** Inserts links (viewer access, visible to all users with access to the record). */
export async function insertDocumentLinks(
  http: SalesforceHttp,
  links: readonly DocumentLink[]
): Promise<LinkResult[]> {
  const results: LinkResult[] = [];
  for (let i = 0; i < links.length; i += COLLECTIONS_LIMIT) {
    const chunk = links.slice(i, i + COLLECTIONS_LIMIT);
    const response = await http.request<SaveResult[]>(
      'linkDocuments',
      'POST',
      '/composite/sobjects',
      {
        allOrNone: false,
        records: chunk.map((link) => ({
          attributes: { type: 'ContentDocumentLink' },
          ...link,
          ShareType: 'V',
          Visibility: 'AllUsers'
        }))
      }
    );
    chunk.forEach((link, index) => {
      const result = Array.isArray(response) ? response[index] : undefined;
      results.push({
        link,
        success: result?.success === true,
        errors: (result?.errors ?? [{ message: 'no result' }]).map((e) => ({
          statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
          message: e.message ?? ''
        }))
      });
    });
  }
  return results;
}

export interface SessionRecordRef {
  Id: string;
  Scope_Id__c: string;
  Work_Order__c: string | null;
  Case__c: string | null;
  Scenario_Name__c: string | null;
}

/** The session records of Scope session ids (the files' FirstPublishLocationId and link targets). */
export async function findSessionRecords(
  reader: SoqlReader,
  scopeIds: readonly string[]
): Promise<Map<string, SessionRecordRef>> {
  const found = new Map<string, SessionRecordRef>();
  if (scopeIds.length === 0) return found;
  const rows = await queryInLists<SessionRecordRef>(
    reader,
    'findSessionRecords',
    {
      select: `SELECT Id, ${SESSION_EXTERNAL_ID_FIELD}, Work_Order__c, Case__c, Scenario_Name__c FROM ${SESSION_OBJECT}`,
      lists: [{ field: SESSION_EXTERNAL_ID_FIELD, values: scopeIds }]
    }
  );
  for (const row of rows) found.set(row.Scope_Id__c, row);
  return found;
}

/** The ContentDocuments of every photo the connector copied (of some sessions' records, or all). */
export async function findCopiedDocuments(
  reader: SoqlReader,
  sessionRecordIds?: readonly string[]
): Promise<string[]> {
  const select = `SELECT ContentDocumentId FROM ContentVersion`;
  const rows = sessionRecordIds
    ? await queryInLists<{ ContentDocumentId: string }>(
        reader,
        'findCopiedDocuments',
        {
          select,
          lists: [
            { field: 'FirstPublishLocationId', values: sessionRecordIds }
          ],
          and: `${EVENT_ID_FIELD} != null AND IsLatest = true`
        }
      )
    : await reader.query<{ ContentDocumentId: string }>(
        'findCopiedDocuments',
        `${select} WHERE ${EVENT_ID_FIELD} != null AND IsLatest = true`
      );
  return [...new Set(rows.map((r) => r.ContentDocumentId))];
}

/**
 * Deletes ContentDocuments (their versions and links go with them, into the Recycle Bin) through
 * sObject Collections, ≤ 200 ids per call; returns the ids Salesforce deleted.
 */
export async function deleteDocuments(
  http: SalesforceHttp,
  documentIds: readonly string[]
): Promise<{ deleted: string[]; failed: { id: string; reason: string }[] }> {
  const deleted: string[] = [];
  const failed: { id: string; reason: string }[] = [];
  for (let i = 0; i < documentIds.length; i += COLLECTIONS_LIMIT) {
    const chunk = documentIds.slice(i, i + COLLECTIONS_LIMIT);
    const response = await http.request<(SaveResult & { id?: string })[]>(
      'deleteFiles',
      'DELETE',
      `/composite/sobjects?ids=${chunk.join(',')}&allOrNone=false`
    );
    chunk.forEach((id, index) => {
      const result = Array.isArray(response) ? response[index] : undefined;
      if (result?.success) deleted.push(id);
      else
        failed.push({
          id,
          reason:
            (result?.errors ?? [])
              .map((e) => `${e.statusCode}: ${e.message}`)
              .join('; ') || 'no result'
        });
    });
  }
  return { deleted, failed };
}

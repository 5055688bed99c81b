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

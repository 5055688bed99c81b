// sObject operations the batch processor reads with: the work orders its sessions name, and the
// state Salesforce holds of the sessions it writes (Scope_Updated_At__c, Link_Status__c). Both are IN-list queries cut to the URL limit.
import type { WorkOrderRow } from '../mapping/resolve-link.ts';
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../mapping/session-record.ts';
import { queryInLists, workOrderQuery } from './soql.ts';
import type { SoqlReader } from './soql.ts';

/** One SOQL query per batch (more only if the keys overflow a URL) for Ids and WorkOrderNumbers. */
export async function findWorkOrders(
  reader: SoqlReader,
  { ids, numbers }: { ids: readonly string[]; numbers: readonly string[] }
): Promise<WorkOrderRow[]> {
  if (ids.length === 0 && numbers.length === 0) return [];
  const found = await queryInLists<WorkOrderRow>(
    reader,
    'resolveWorkOrders',
    workOrderQuery(ids, numbers)
  );
  return found.map(({ Id, WorkOrderNumber, CaseId, AssetId }) => ({
    Id,
    WorkOrderNumber,
    CaseId: CaseId ?? null,
    AssetId: AssetId ?? null
  }));
}

/** What Salesforce holds of a session that decides how the batch writes it. */
export interface StoredSession {
  Scope_Updated_At__c: string | null;
  Link_Status__c: string | null;
  OwnerId: string | null;
  CreatedById: string | null;
  /** Its links now: the parents whose rollups change if this write moves it. */
  Work_Order__c?: string | null;
  Asset__c?: string | null;
  Case__c?: string | null;
  /** What the rollups count: a write that changes none of these and no link needs no recompute. */
  Kind__c?: string | null;
  Started_At__c?: string | null;
  Duration_Seconds__c?: number | null;
}

/**
 * `SELECT Scope_Id__c, Scope_Updated_At__c, Link_Status__c` of the sessions a batch writes: out-of-order
 * protection of payload nodes and the manual links the connector must not overwrite, in one query.
 */
export async function readStoredSessions(
  reader: SoqlReader,
  scopeIds: readonly string[]
): Promise<Map<string, StoredSession>> {
  const result = new Map<string, StoredSession>();
  if (scopeIds.length === 0) return result;
  const rows = await queryInLists<
    { Scope_Id__c: string } & Partial<StoredSession>
  >(reader, 'readStoredSessions', {
    select: `SELECT ${SESSION_EXTERNAL_ID_FIELD}, Scope_Updated_At__c, Link_Status__c, OwnerId, CreatedById, Work_Order__c, Asset__c, Case__c, Kind__c, Started_At__c, Duration_Seconds__c FROM ${SESSION_OBJECT}`,
    lists: [{ field: SESSION_EXTERNAL_ID_FIELD, values: scopeIds }]
  });
  for (const row of rows)
    result.set(row.Scope_Id__c, {
      Scope_Updated_At__c: row.Scope_Updated_At__c ?? null,
      Link_Status__c: row.Link_Status__c ?? null,
      OwnerId: row.OwnerId ?? null,
      CreatedById: row.CreatedById ?? null,
      Work_Order__c: row.Work_Order__c ?? null,
      Asset__c: row.Asset__c ?? null,
      Case__c: row.Case__c ?? null,
      Kind__c: row.Kind__c ?? null,
      Started_At__c: row.Started_At__c ?? null,
      Duration_Seconds__c: row.Duration_Seconds__c ?? null
    });
  return result;
}

/** The User field a technician's Scope email is compared with (SF_TECHNICIAN_MATCH). */
export const TECHNICIAN_MATCH_FIELDS = {
  email: 'Email',
  username: 'Username',
  federation_id: 'FederationIdentifier'
} as const;
export type TechnicianMatch = keyof typeof TECHNICIAN_MATCH_FIELDS;

/**
 * Active users whose match field equals one of `values` (case-insensitive, as SOQL compares text), in one
 * query per URL-sized IN-list: value in lower case → the user's Id, or null when several users share it
 * (an admin's test user with a technician's email is common; owning by guess would be worse than not).
 */
export async function findTechnicianUsers(
  reader: SoqlReader,
  match: TechnicianMatch,
  values: readonly string[]
): Promise<Map<string, string | null>> {
  const field = TECHNICIAN_MATCH_FIELDS[match];
  const result = new Map<string, string | null>();
  if (values.length === 0) return result;
  const rows = await queryInLists<Record<string, string | null>>(
    reader,
    'resolveTechnicians',
    {
      select: `SELECT Id, ${field} FROM User`,
      lists: [{ field, values }],
      and: 'IsActive = true'
    }
  );
  for (const row of rows) {
    const key = String(row[field] ?? '').toLowerCase();
    const id = String(row.Id);
    if (!key) continue;
    result.set(key, result.has(key) && result.get(key) !== id ? null : id);
  }
  return result;
}

// sObject operations the batch processor reads with: the work orders its sessions name, and the
// Scope_Updated_At__c Salesforce holds for payload nodes. Both are IN-list queries cut to the URL limit.
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

/** `SELECT Scope_Id__c, Scope_Updated_At__c` for out-of-order protection of payload nodes. */
export async function readStoredUpdatedAt(
  reader: SoqlReader,
  scopeIds: readonly string[]
): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  if (scopeIds.length === 0) return result;
  const rows = await queryInLists<{
    Scope_Id__c: string;
    Scope_Updated_At__c: string | null;
  }>(reader, 'readUpdatedAt', {
    select: `SELECT ${SESSION_EXTERNAL_ID_FIELD}, Scope_Updated_At__c FROM ${SESSION_OBJECT}`,
    lists: [{ field: SESSION_EXTERNAL_ID_FIELD, values: scopeIds }]
  });
  for (const row of rows)
    result.set(row.Scope_Id__c, row.Scope_Updated_At__c ?? null);
  return result;
}

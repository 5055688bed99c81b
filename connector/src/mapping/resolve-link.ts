// The link fields of a session record (Work_Order__c, Case__c, Asset__c, Link_Status__c) from its
// work-order reference and the work orders one batched lookup found.
import type { LinkStatus } from './session-record.ts';
import type { WorkOrderReference } from './work-order-key.ts';

/** A WorkOrder row as the batched SOQL query returns it. */
export interface WorkOrderRow {
  Id: string;
  WorkOrderNumber: string;
  CaseId: string | null;
  AssetId: string | null;
}

export interface WorkOrderIndex {
  byId: ReadonlyMap<string, WorkOrderRow>;
  byNumber: ReadonlyMap<string, WorkOrderRow>;
}

export interface LinkFields {
  Work_Order__c: string | null;
  Case__c: string | null;
  Asset__c: string | null;
  Link_Status__c: LinkStatus;
  External_Work_Order_Ref__c: string | null;
}

export function indexWorkOrders(rows: readonly WorkOrderRow[]): WorkOrderIndex {
  const byId = new Map<string, WorkOrderRow>();
  const byNumber = new Map<string, WorkOrderRow>();
  for (const row of rows) {
    byId.set(row.Id, row);
    byNumber.set(row.WorkOrderNumber, row);
  }
  return { byId, byNumber };
}

/**
 * Found → Matched, with the Case from externalData when it is a well-formed Case id, else the work
 * order's Case, and the work order's Asset. Not found or no key → Unmatched with the raw key, so the
 * session is never lost. `useExternalCase: false` is the fallback after Salesforce rejected the
 * externalData case id (e.g. a deleted Case).
 */
export function resolveLink(
  reference: WorkOrderReference,
  index: WorkOrderIndex,
  useExternalCase = true
): LinkFields {
  const externalCase = useExternalCase ? (reference.caseId ?? null) : null;
  for (const candidate of reference.candidates) {
    const row =
      candidate.by === 'id'
        ? index.byId.get(candidate.value)
        : index.byNumber.get(candidate.value);
    if (!row) continue;
    return {
      Work_Order__c: row.Id,
      Case__c: externalCase ?? row.CaseId ?? null,
      Asset__c: row.AssetId ?? null,
      Link_Status__c: 'Matched',
      External_Work_Order_Ref__c: reference.rawKey ?? null
    };
  }
  return {
    Work_Order__c: null,
    Case__c: externalCase,
    Asset__c: null,
    Link_Status__c: 'Unmatched',
    External_Work_Order_Ref__c: reference.rawKey ?? null
  };
}

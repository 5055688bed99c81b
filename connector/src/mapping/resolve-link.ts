// The link fields of a session record (Work_Order__c, Case__c, Asset__c, Work_Order_Line_Item__c,
// Service_Appointment__c, Link_Status__c) from its work-order reference and the work orders one
// batched lookup found.
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
  Work_Order_Line_Item__c: string | null;
  Service_Appointment__c: string | null;
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
 * session is never lost. The Line Item and Service Appointment come from externalData alone (well-
 * formed ids), matched or not. `useExternalIds: false` is the fallback after Salesforce rejected an
 * externalData id (e.g. a deleted Case or Line Item): the session keeps its work order links only.
 */
export function resolveLink(
  reference: WorkOrderReference,
  index: WorkOrderIndex,
  useExternalIds = true
): LinkFields {
  const externalCase = useExternalIds ? (reference.caseId ?? null) : null;
  const launchedFrom = {
    Work_Order_Line_Item__c: useExternalIds
      ? (reference.lineItemId ?? null)
      : null,
    Service_Appointment__c: useExternalIds
      ? (reference.serviceAppointmentId ?? null)
      : null
  };
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
      ...launchedFrom,
      Link_Status__c: 'Matched',
      External_Work_Order_Ref__c: reference.rawKey ?? null
    };
  }
  return {
    Work_Order__c: null,
    Case__c: externalCase,
    Asset__c: null,
    ...launchedFrom,
    Link_Status__c: 'Unmatched',
    External_Work_Order_Ref__c: reference.rawKey ?? null
  };
}

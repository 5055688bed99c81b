// What the connector writes comes from the connector itself (one list, so `doctor` and the metadata
// validator cannot drift apart). The validator checks that WorkLink_Integration grants edit on each of
// them (required fields excepted: a real org always lets the user write those and rejects field
// permissions on them).
export {
  SESSION_OBJECT,
  WRITTEN_SESSION_FIELDS as CONNECTOR_WRITTEN_SESSION_FIELDS
} from '../../connector/src/mapping/session-fields.ts';

/** Fields on other objects the connector reads (needs read access through WorkLink_Integration). */
export const CONNECTOR_READ_FIELDS = [
  'WorkOrder.AssetId',
  'WorkOrder.CaseId',
  'WorkOrder.WorkLink_Expert__c',
  'Asset.Scope_Asset_Id__c',
  'User.WorkLink_Call_Link__c'
] as const;

/** Objects the connector reads (object-level Read in WorkLink_Integration). */
export const CONNECTOR_READ_OBJECTS = ['WorkOrder', 'Case', 'Asset'] as const;

/**
 * Every Scope_AR_Session__c field the WorkLink connector writes (all but the AutoNumber
 * Name). The metadata validator checks that WorkLink_Integration grants edit on each of
 * them (required fields excepted: a real org always lets the user write those and
 * rejects field permissions on them); the connector's `doctor` checks them against describe.
 */
export const SESSION_OBJECT = 'Scope_AR_Session__c';

export const CONNECTOR_WRITTEN_SESSION_FIELDS = [
  'Scope_Id__c',
  'Scope_Database_Id__c',
  'Kind__c',
  'Work_Order__c',
  'Case__c',
  'Asset__c',
  'Link_Status__c',
  'External_Work_Order_Key__c',
  'State__c',
  'Started_At__c',
  'Ended_At__c',
  'Duration_Seconds__c',
  'Idle_Duration_Seconds__c',
  'Steps_Possible__c',
  'Steps_Viewed__c',
  'Percent_Steps_Viewed__c',
  'Scenario_Name__c',
  'Scenario_Version__c',
  'Technician__c',
  'Expert__c',
  'External_Data__c',
  'Scope_Updated_At__c',
  'Last_Synced_At__c'
] as const;

export type ConnectorWrittenSessionField =
  (typeof CONNECTOR_WRITTEN_SESSION_FIELDS)[number];

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

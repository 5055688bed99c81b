// The WorkOrder, Asset and Case fields the connector keeps (force-app/main/default/objects/<Object>/
// fields/WorkLink_*): one list per object, so the rollup stage, `doctor` and the metadata validator
// agree on what WorkLink_Integration must let it edit.

export const WORK_ORDER_ROLLUP_FIELDS = [
  'WorkLink_AR_Sessions__c',
  'WorkLink_AR_Calls__c',
  'WorkLink_First_AR_Start__c',
  'WorkLink_Last_AR_Start__c',
  'WorkLink_AR_Minutes__c',
  'WorkLink_AR_Used__c'
] as const;

export const WORK_ORDER_OUTCOME_FIELDS = [
  'WorkLink_First_Time_Fix__c',
  'WorkLink_Repeat_Visit__c',
  'WorkLink_Outcome_Window_Days__c'
] as const;

export const ASSET_ROLLUP_FIELDS = [
  'WorkLink_AR_Sessions__c',
  'WorkLink_AR_Calls__c',
  'WorkLink_Last_AR_Session__c'
] as const;

export const CASE_ROLLUP_FIELDS = ['WorkLink_AR_Calls__c'] as const;

/** The parents the connector updates (never creates), with every field it writes on each. */
export const WRITTEN_PARENT_FIELDS = {
  WorkOrder: [...WORK_ORDER_ROLLUP_FIELDS, ...WORK_ORDER_OUTCOME_FIELDS],
  Asset: ASSET_ROLLUP_FIELDS,
  Case: CASE_ROLLUP_FIELDS
} as const;

export type RollupParentObject = keyof typeof WRITTEN_PARENT_FIELDS;

// The Scope_AR_Session_Step__c fields the connector writes (force-app/main/default/objects/
// Scope_AR_Session_Step__c): one record per scenario step a session went through, a Master-Detail child
// of its Scope_AR_Session__c, upserted by Step_Key__c so that retries and replays never duplicate one.
export const STEP_OBJECT = 'Scope_AR_Session_Step__c';
export const STEP_EXTERNAL_ID_FIELD = 'Step_Key__c';
/** The Master-Detail field to the session (relationship `Steps`). */
export const STEP_PARENT_FIELD = 'Scope_AR_Session__c';

export const STEP_TEXT_LENGTHS = {
  Step_Key__c: 255,
  Step_Name__c: 255,
  Sequence_Name__c: 255
} as const;

/** Number(9,0). */
export const MAX_STEP_NUMBER = 999_999_999;

/**
 * Every field the connector writes (all but the AutoNumber Name): checked by `doctor` through describe,
 * and by the metadata validator against WorkLink_Integration's field permissions.
 */
export const WRITTEN_STEP_FIELDS = [
  'Step_Key__c',
  'Scope_AR_Session__c',
  'Step_Name__c',
  'Step_Order__c',
  'Sequence_Name__c',
  'Viewed_At__c',
  'Completed_At__c',
  'Photos__c'
] as const;

/** What the mapping makes of one step of a session node; the parent Id comes from the session upsert. */
export interface MappedStep {
  Step_Key__c: string;
  Step_Name__c: string | null;
  Step_Order__c: number | null;
  Sequence_Name__c: string | null;
  Viewed_At__c: string | null;
  Completed_At__c: string | null;
  Photos__c: number;
}

/** A Scope_AR_Session_Step__c record as sent to the Collections upsert; null clears a field. */
export interface StepRecord extends MappedStep {
  Scope_AR_Session__c: string;
}

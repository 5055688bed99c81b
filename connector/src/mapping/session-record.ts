// The Scope_AR_Session__c fields the connector writes, with the lengths and scales from
// force-app/main/default/objects/Scope_AR_Session__c/fields (one place, so the mapping, the Salesforce
// client and `doctor` agree).
export const SESSION_OBJECT = 'Scope_AR_Session__c';
export const SESSION_EXTERNAL_ID_FIELD = 'Scope_Id__c';

export const TEXT_FIELD_LENGTHS = {
  Scope_Id__c: 255,
  Scope_Database_Id__c: 64,
  External_Work_Order_Ref__c: 255,
  State__c: 80,
  Scenario_Name__c: 255,
  Scenario_Version__c: 80,
  Technician__c: 255,
  Technician_Email__c: 255,
  Expert__c: 255,
  External_Data__c: 131072
} as const;

export type TextFieldName = keyof typeof TEXT_FIELD_LENGTHS;

/** Number(14,2): at most 12 integer digits. */
export const MAX_DURATION_SECONDS = 999_999_999_999.99;
/** Number(9,0). */
export const MAX_STEPS = 999_999_999;

export const SESSION_KINDS = ['Scenario Session', 'Call'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const LINK_STATUSES = [
  'Matched',
  'Unmatched',
  'Linked manually'
] as const;
/** The statuses the connector writes; `Linked manually` is an admin's (the Unmatched inbox). */
export type LinkStatus = Exclude<
  (typeof LINK_STATUSES)[number],
  'Linked manually'
>;
/** An admin linked the session by hand: the connector leaves its link fields alone. */
export const MANUAL_LINK_STATUS = 'Linked manually';
/** The fields an admin's manual link owns (the raw key External_Work_Order_Ref__c stays Scope's). */
export const MANUAL_LINK_FIELDS = [
  'Work_Order__c',
  'Case__c',
  'Asset__c',
  'Work_Order_Line_Item__c',
  'Service_Appointment__c',
  'Link_Status__c'
] as const;

/**
 * Every field the connector writes (all but the AutoNumber Name): checked by `doctor` through describe,
 * and by the metadata validator (scripts/metadata) against WorkLink_Integration's field permissions.
 */
export const WRITTEN_SESSION_FIELDS = [
  'Scope_Id__c',
  'Scope_Database_Id__c',
  'Kind__c',
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
  'Technician_Email__c',
  'Technician_User__c',
  'Expert__c',
  'External_Data__c',
  'Scope_Updated_At__c',
  'Last_Synced_At__c',
  'Work_Order__c',
  'Case__c',
  'Asset__c',
  'Work_Order_Line_Item__c',
  'Service_Appointment__c',
  'Link_Status__c',
  'External_Work_Order_Ref__c'
] as const;

export type WrittenSessionField = (typeof WRITTEN_SESSION_FIELDS)[number];

/** A Scope_AR_Session__c record as sent to the Collections upsert; null clears a field. */
export interface SessionRecord extends SessionLinkFields, TechnicianUserFields {
  Scope_Id__c: string;
  Scope_Database_Id__c: string | null;
  Kind__c: SessionKind;
  State__c: string | null;
  Started_At__c: string | null;
  Ended_At__c: string | null;
  Duration_Seconds__c: number | null;
  Idle_Duration_Seconds__c: number | null;
  Steps_Possible__c: number | null;
  Steps_Viewed__c: number | null;
  Percent_Steps_Viewed__c: number | null;
  Scenario_Name__c: string | null;
  Scenario_Version__c: string | null;
  Technician__c: string | null;
  Technician_Email__c: string | null;
  Expert__c: string | null;
  External_Data__c: string | null;
  Scope_Updated_At__c: string | null;
  Last_Synced_At__c: string;
  External_Work_Order_Ref__c: string | null;
}

/**
 * Set by the write stage from the technician's Salesforce user (worker/resolve-technicians.ts), never by
 * the mapping. OwnerId is absent unless the record is new or still owned by the user who created it
 * (the connector): once a technician owns it, changing the owner would need Transfer Record.
 */
export interface TechnicianUserFields {
  Technician_User__c?: string | null;
  OwnerId?: string;
}

/**
 * Absent (not null) on the record of a session an admin linked manually, so the upsert leaves the
 * stored values alone.
 */
export interface SessionLinkFields {
  Work_Order__c?: string | null;
  Case__c?: string | null;
  Asset__c?: string | null;
  Work_Order_Line_Item__c?: string | null;
  Service_Appointment__c?: string | null;
  Link_Status__c?: LinkStatus;
}

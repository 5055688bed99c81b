// What the connector writes comes from the connector itself (one list, so `doctor` and the metadata
// validator cannot drift apart). The validator checks that WorkLink_Integration grants edit on each of
// them (required fields excepted: a real org always lets the user write those and rejects field
// permissions on them).
import {
  HEARTBEAT_OBJECT,
  WRITTEN_HEARTBEAT_FIELDS
} from '../../connector/src/health/heartbeat-record.ts';
import {
  SESSION_OBJECT,
  WRITTEN_SESSION_FIELDS
} from '../../connector/src/mapping/session-record.ts';
import { WRITTEN_PARENT_FIELDS } from '../../connector/src/rollups/rollup-fields.ts';
import {
  STEP_OBJECT,
  WRITTEN_STEP_FIELDS
} from '../../connector/src/mapping/step-record.ts';

export { SESSION_OBJECT };
export const CONNECTOR_WRITTEN_SESSION_FIELDS = WRITTEN_SESSION_FIELDS;

/** Objects the connector upserts (sessions, their steps, its heartbeat) with the fields it writes on each. */
export const CONNECTOR_WRITTEN_FIELDS: Readonly<
  Record<string, readonly string[]>
> = {
  [SESSION_OBJECT]: WRITTEN_SESSION_FIELDS,
  [STEP_OBJECT]: WRITTEN_STEP_FIELDS,
  [HEARTBEAT_OBJECT]: WRITTEN_HEARTBEAT_FIELDS
};

/** Objects the connector only updates (its rollups and outcome fields): edit, never create. */
export const CONNECTOR_UPDATED_FIELDS: Readonly<
  Record<string, readonly string[]>
> = WRITTEN_PARENT_FIELDS;

/**
 * Custom fields on the Files objects the connector writes when it copies photos (#18). Files take no
 * object permission (sharing through their links governs them), so only field-level security is
 * checked for these.
 */
export const CONNECTOR_WRITTEN_FILE_FIELDS: Readonly<
  Record<string, readonly string[]>
> = {
  ContentVersion: ['WorkLink_Scope_Event_Id__c']
};

// What it reads comes from the SOQL in connector/src (connector-soql.ts). Case, Asset, Line Items and
// Service Appointments are never queried, but the connector writes lookups to them (Case__c, Asset__c,
// Work_Order_Line_Item__c, Service_Appointment__c), and a lookup to a record the user cannot see
// fails with INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY.

/** Objects whose records the integration user must see all of, whatever their sharing (Private in many Field Service orgs). */
export const CONNECTOR_READ_OBJECTS = [
  'WorkOrder',
  'Case',
  'Asset',
  'WorkOrderLineItem',
  'ServiceAppointment'
] as const;

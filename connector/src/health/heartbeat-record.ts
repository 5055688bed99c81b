// The heartbeat record WorkLink_Connector_Status__c (force-app/main/default/objects): one per deployment,
// upserted by Deployment_Id__c. What the connector knows about itself, in the fields the Health page
// reads; no secret ever goes into it (errors carry a status and an operation, never a message body).
import type { SetupState } from './setup-check.ts';

export const HEARTBEAT_OBJECT = 'WorkLink_Connector_Status__c';
export const HEARTBEAT_EXTERNAL_ID_FIELD = 'Deployment_Id__c';

export const AUTH_STATES = ['OK', 'Failing', 'Unknown'] as const;
export type AuthState = (typeof AUTH_STATES)[number];

/** Every field the connector writes (the validator checks WorkLink_Integration grants each). */
export const WRITTEN_HEARTBEAT_FIELDS = [
  'Name',
  'Connector_Version__c',
  'Started_At__c',
  'Last_Heartbeat_At__c',
  'Last_Delivery_At__c',
  'Accepted_Last_Hour__c',
  'Rejected_Last_Hour__c',
  'Rejected_By_Reason__c',
  'Signature_Failures_Last_Hour__c',
  'Signature_Failures_Prior_Hour__c',
  'Queue_Depth__c',
  'Oldest_Pending_At__c',
  'Dead_Letters__c',
  'Last_Sync_At__c',
  'Last_Sync_Outcome__c',
  'Records_Repaired__c',
  'Api_Calls_Used__c',
  'Api_Calls_Allowed__c',
  'Heartbeat_Calls_Today__c',
  'Scope_Auth_State__c',
  'Scope_Last_Error__c',
  'Salesforce_Auth_State__c',
  'Salesforce_Last_Error__c',
  'Setup_Checked_At__c',
  'Setup_Problems__c'
] as const;

export type HeartbeatField = (typeof WRITTEN_HEARTBEAT_FIELDS)[number];
export type HeartbeatRecord = Record<HeartbeatField, string | number | null>;

/** What the collector observed; `buildHeartbeatRecord` turns it into field values. */
export interface ConnectorState {
  deploymentId: string;
  version: string;
  startedAt: Date;
  lastDeliveryAt: Date | null;
  acceptedLastHour: number;
  /** Rejected deliveries of the last hour by reason (signature, malformed, too_large, media_type, error). */
  rejectedLastHour: Record<string, number>;
  signatureFailuresPriorHour: number;
  queueDepth: number;
  oldestPendingAt: Date | null;
  deadLetters: number;
  lastSync: { at: Date; outcome: string; repaired: number } | null;
  apiUsage: { used: number; max: number } | null;
  scope: { state: AuthState; lastError: string | null };
  salesforce: { state: AuthState; lastError: string | null };
  /** The integration user's field access (setup-check.ts); null until the first check ran. */
  setup: SetupState | null;
}

/** The length of the Long Text Area Setup_Problems__c. */
const SETUP_PROBLEMS_LENGTH = 32_768;
const iso = (date: Date | null) => (date ? date.toISOString() : null);
const sum = (counts: Record<string, number>) =>
  Object.values(counts).reduce((a, b) => a + b, 0);
const cut = (text: string | null) => (text ? text.slice(0, 255) : null);

/** Pure: the state at `now` as the record's fields. */
export function buildHeartbeatRecord(
  state: ConnectorState,
  now: Date,
  heartbeatCallsToday: number
): HeartbeatRecord {
  return {
    Name: state.deploymentId.slice(0, 80),
    Connector_Version__c: state.version.slice(0, 40),
    Started_At__c: iso(state.startedAt),
    Last_Heartbeat_At__c: now.toISOString(),
    Last_Delivery_At__c: iso(state.lastDeliveryAt),
    Accepted_Last_Hour__c: state.acceptedLastHour,
    Rejected_Last_Hour__c: sum(state.rejectedLastHour),
    Rejected_By_Reason__c: JSON.stringify(state.rejectedLastHour),
    Signature_Failures_Last_Hour__c: state.rejectedLastHour.signature ?? 0,
    Signature_Failures_Prior_Hour__c: state.signatureFailuresPriorHour,
    Queue_Depth__c: state.queueDepth,
    Oldest_Pending_At__c: iso(state.oldestPendingAt),
    Dead_Letters__c: state.deadLetters,
    Last_Sync_At__c: iso(state.lastSync?.at ?? null),
    Last_Sync_Outcome__c: state.lastSync?.outcome ?? null,
    Records_Repaired__c: state.lastSync?.repaired ?? null,
    Api_Calls_Used__c: state.apiUsage?.used ?? null,
    Api_Calls_Allowed__c: state.apiUsage?.max ?? null,
    Heartbeat_Calls_Today__c: heartbeatCallsToday,
    Scope_Auth_State__c: state.scope.state,
    Scope_Last_Error__c: cut(state.scope.lastError),
    Salesforce_Auth_State__c: state.salesforce.state,
    Salesforce_Last_Error__c: cut(state.salesforce.lastError),
    Setup_Checked_At__c: iso(state.setup?.checkedAt ?? null),
    // Salesforce stores an empty text as null: no problem is null, as it reads back
    Setup_Problems__c:
      state.setup?.problems.join('\n').slice(0, SETUP_PROBLEMS_LENGTH) || null
  };
}

/**
 * What counts as "something changed": everything but the heartbeat's own clock and call count, with
 * the API usage in whole percent of the allowance (every call, the heartbeat's own included, moves
 * the raw count, which would make every minute a change).
 */
export function heartbeatFingerprint(record: HeartbeatRecord): string {
  const {
    Last_Heartbeat_At__c: _at,
    Heartbeat_Calls_Today__c: _calls,
    Api_Calls_Used__c: used,
    Api_Calls_Allowed__c: max,
    ...rest
  } = record;
  const percent =
    typeof used === 'number' && typeof max === 'number' && max > 0
      ? Math.floor((used / max) * 100)
      : null;
  return JSON.stringify({ ...rest, apiPercent: percent });
}

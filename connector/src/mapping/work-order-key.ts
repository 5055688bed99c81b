// Which work order (and Case, Line Item, Service Appointment) a session names in its externalData: the candidate keys, normalised, in
// order of preference, before any Salesforce lookup.
import { lookupExternalKey } from './external-data.ts';
import type { ExternalData } from './external-data.ts';
import {
  CASE_KEY_PREFIX,
  SERVICE_APPOINTMENT_KEY_PREFIX,
  WORK_ORDER_KEY_PREFIX,
  WORK_ORDER_LINE_ITEM_KEY_PREFIX,
  toRecordId
} from './salesforce-id.ts';

export interface KeyOptions {
  workOrderIdKeys: readonly string[];
  workOrderNumberKeys: readonly string[];
  caseIdKeys: readonly string[];
  /** Keys of the Work Order Line Item and Service Appointment the link was launched from. */
  lineItemIdKeys: readonly string[];
  serviceAppointmentIdKeys: readonly string[];
}

/** How a session points at a work order: by Id (normalised to 18 chars) or by WorkOrderNumber. */
export type WorkOrderCandidate =
  { by: 'id'; value: string } | { by: 'number'; value: string };

export interface WorkOrderReference {
  /** The raw key as found in externalData (stored in External_Work_Order_Ref__c). */
  rawKey: string | undefined;
  /** In order of preference: the first one Salesforce knows wins. */
  candidates: WorkOrderCandidate[];
  /** A well-formed Case id from externalData, if any. */
  caseId: string | undefined;
  /** A well-formed WorkOrderLineItem id (1WL…) from externalData, if any. */
  lineItemId: string | undefined;
  /** A well-formed ServiceAppointment id (08p…) from externalData, if any. */
  serviceAppointmentId: string | undefined;
}

/**
 * WorkOrderNumber is an auto-number: a short printable string. A longer key, or one with control
 * characters, cannot name a work order, so it never reaches SOQL (it is still stored as the raw key).
 */
export const MAX_WORK_ORDER_NUMBER_LENGTH = 255;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function isPlausibleWorkOrderNumber(value: string): boolean {
  const trimmed = value.trim();
  return (
    trimmed.length > 0 &&
    value.length <= MAX_WORK_ORDER_NUMBER_LENGTH &&
    !CONTROL_CHARACTERS.test(value)
  );
}

/**
 * Any configured key may carry either form: a value that is a WorkOrder Id (prefix 0WO, 15 chars, or
 * 18 with a valid checksum) is looked up by Id, a plausible WorkOrderNumber by number, anything else
 * not at all (the session is written Unmatched with its raw key).
 */
export function extractWorkOrderReference(
  data: ExternalData | null,
  options: KeyOptions
): WorkOrderReference {
  const idValue = lookupExternalKey(data, options.workOrderIdKeys);
  const numberValue = lookupExternalKey(data, options.workOrderNumberKeys);
  const candidates: WorkOrderCandidate[] = [];
  for (const value of [idValue, numberValue]) {
    if (value === undefined) continue;
    const id = toRecordId(value, WORK_ORDER_KEY_PREFIX);
    if (!id && !isPlausibleWorkOrderNumber(value)) continue;
    const candidate: WorkOrderCandidate = id
      ? { by: 'id', value: id }
      : { by: 'number', value };
    if (
      !candidates.some(
        (c) => c.by === candidate.by && c.value === candidate.value
      )
    )
      candidates.push(candidate);
  }
  return {
    rawKey: idValue ?? numberValue,
    candidates,
    caseId: recordIdUnder(data, options.caseIdKeys, CASE_KEY_PREFIX),
    lineItemId: recordIdUnder(
      data,
      options.lineItemIdKeys,
      WORK_ORDER_LINE_ITEM_KEY_PREFIX
    ),
    serviceAppointmentId: recordIdUnder(
      data,
      options.serviceAppointmentIdKeys,
      SERVICE_APPOINTMENT_KEY_PREFIX
    )
  };
}

/** The 18-character id under the first configured key, when it is an id of the expected object. */
function recordIdUnder(
  data: ExternalData | null,
  keys: readonly string[],
  keyPrefix: string
): string | undefined {
  const value = lookupExternalKey(data, keys);
  return value === undefined ? undefined : toRecordId(value, keyPrefix);
}

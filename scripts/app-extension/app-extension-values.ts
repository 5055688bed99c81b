/**
 * The Field Service mobile App Extension values that open WorkLink where an LWC quick action cannot
 * (an older app build, or a container that does not hand custom schemes to the OS). An App Extension's
 * LaunchValue is a URL with `{!$Field}` tokens that Field Service fills from the record on screen; it
 * holds at most 255 characters and is scoped to object types (AppExtension in the Field Service
 * Developer Guide). The links carry the same external-data keys as the launcher (worklinkDeeplinks.js
 * DEFAULT_KEYS), so the connector links the sessions in the same way.
 */
export const LAUNCH_VALUE_LIMIT = 255;

/** External-data keys, as the launcher sends them (a test keeps both lists equal). */
export const JOB_KEYS = {
  workOrderId: 'work_order_id',
  workOrderNumber: 'work_order_number',
  workOrderLineItemId: 'work_order_line_item_id',
  serviceAppointmentId: 'service_appointment_id',
  caseId: 'case_id',
  caseNumber: 'case_number'
} as const;

export interface AppExtensionInput {
  /** The call link of the expert to call (copied from the Scope CMS). */
  expertLink: string;
  /** A field on Work Order holding the Scope Asset ID (e.g. a formula `Asset.Scope_Asset_Id__c`). */
  workOrderAssetField?: string;
  /** The deferred https:// page (e.g. https://getworklink.com/deferred) to wrap each link in. */
  deferredBase?: string;
}

export interface AppExtensionValue {
  AppExtensionLabel: string;
  AppExtensionName: string;
  ScopedToObjectTypes: 'WorkOrder' | 'ServiceAppointment';
  LaunchValue: string;
  /** LaunchValue.length ≤ LAUNCH_VALUE_LIMIT. */
  fits: boolean;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const token = (field: string) => `{!$${field}}`;

/** `key={!$Field}` pairs appended to a link; the tokens stay literal for Field Service to fill. */
function withTokens(link: string, pairs: readonly [string, string][]): string {
  const query = pairs.map(([key, field]) => `${key}=${token(field)}`).join('&');
  return `${link}${link.includes('?') ? '&' : '?'}${query}`;
}

/**
 * Wraps a link in the deferred page. Its characters are percent-encoded except the tokens: Field
 * Service must still see `{!$Id}`, and what it puts there (ids, numbers) needs no encoding.
 */
function deferred(link: string, deferredBase: string | undefined): string {
  if (!deferredBase) return link;
  const encoded = link
    .split(/(\{!\$[A-Za-z0-9_]+\})/)
    .map((part) => (part.startsWith('{!$') ? part : encodeURIComponent(part)))
    .join('');
  return `${deferredBase}${deferredBase.includes('?') ? '&' : '?'}deep_link=${encoded}`;
}

function value(
  label: string,
  name: string,
  scope: AppExtensionValue['ScopedToObjectTypes'],
  launchValue: string
): AppExtensionValue {
  return {
    AppExtensionLabel: label,
    AppExtensionName: name,
    ScopedToObjectTypes: scope,
    LaunchValue: launchValue,
    fits: launchValue.length <= LAUNCH_VALUE_LIMIT
  };
}

/** Validates the admin's input; a message per problem. */
export function checkInput(input: AppExtensionInput): string[] {
  const problems: string[] = [];
  if (!/^(worklink|https):\/\//i.test(input.expertLink))
    problems.push('the expert link must start with worklink:// or https://');
  if (input.workOrderAssetField && !FIELD_NAME.test(input.workOrderAssetField))
    problems.push(
      'the asset field must be a field API name on Work Order (e.g. WorkLink_Asset_Id__c), not a path'
    );
  if (input.deferredBase && !/^https:\/\//i.test(input.deferredBase))
    problems.push('the deferred page must start with https://');
  return problems;
}

/**
 * One App Extension per object (a token names a field of the record on screen, and Work Orders and
 * Service Appointments have different ones): Call expert from both, and Launch in WorkLink from Work
 * Orders when a Work Order field holds the Scope Asset ID. A Service Appointment's ParentRecordId
 * is sent as both work order and line item id: the connector keeps the one whose key prefix fits.
 */
export function appExtensionValues(
  input: AppExtensionInput
): AppExtensionValue[] {
  const workOrderIds: [string, string][] = [
    [JOB_KEYS.workOrderId, 'Id'],
    [JOB_KEYS.workOrderNumber, 'WorkOrderNumber'],
    [JOB_KEYS.caseId, 'CaseId']
  ];
  const appointmentIds: [string, string][] = [
    [JOB_KEYS.serviceAppointmentId, 'Id'],
    [JOB_KEYS.workOrderId, 'ParentRecordId'],
    [JOB_KEYS.workOrderLineItemId, 'ParentRecordId']
  ];
  const values: AppExtensionValue[] = [];
  if (input.workOrderAssetField) {
    const launch = `worklink://resource?action=fetch_catalog&asset=${token(input.workOrderAssetField)}`;
    values.push(
      value(
        'Launch in WorkLink',
        'WorkLink_Launch_Work_Order',
        'WorkOrder',
        deferred(withTokens(launch, workOrderIds), input.deferredBase)
      )
    );
  }
  values.push(
    value(
      'Call expert (WorkLink)',
      'WorkLink_Call_Work_Order',
      'WorkOrder',
      deferred(withTokens(input.expertLink, workOrderIds), input.deferredBase)
    ),
    value(
      'Call expert (WorkLink)',
      'WorkLink_Call_Appointment',
      'ServiceAppointment',
      deferred(withTokens(input.expertLink, appointmentIds), input.deferredBase)
    )
  );
  return values;
}

// The record pages of the local preview: which objects have one (those with a WorkLink quick action),
// how each is listed in the picker and headed, and which Scope AR Session lookup its related list reads.
import { Router } from 'express';
import type { SalesforceReader, SoqlRecord } from './salesforce-reader.ts';
import { UiApiError } from './ui-record.ts';

export interface RecordDetail {
  label: string;
  value: string | null;
  /** `datetime`: an ISO value the page formats in the viewer's locale. */
  type?: 'datetime';
}

/** One record as the page shell shows it: picker entry and record header. */
export interface RecordSummary {
  id: string | null;
  number: string | null;
  subject: string | null;
  details: RecordDetail[];
}

interface RecordKind {
  objectApiName: string;
  /** The page's path segment: /<route>/<number>. */
  route: string;
  label: string;
  labelPlural: string;
  /** SLDS standard icon of the object. */
  icon: string;
  /** The Scope_AR_Session__c lookup the related list is filtered by. */
  sessionLookup: string;
  soql: string;
  isOpen(row: SoqlRecord): boolean;
  details(row: SoqlRecord, numbers: Map<string, string>): RecordDetail[];
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
// The seed's closed work orders exist for time-to-resolution reports; the picker lists the open ones.
const CLOSED_STATUSES = new Set([
  'Closed',
  'Completed',
  'Canceled',
  'Cannot Complete'
]);

const text = (row: SoqlRecord, key: string): string | null => {
  const value = row[key];
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : null;
};
const related = (
  row: SoqlRecord,
  relationship: string,
  key: string
): string | null => {
  const value = row[relationship];
  return typeof value === 'object' && value !== null
    ? text(value as SoqlRecord, key)
    : null;
};
const isOpen = (row: SoqlRecord) =>
  !CLOSED_STATUSES.has(text(row, 'Status') ?? '');

/** `Centrifugal Pump P-100 (PUMP-100)`: the asset's name and the Scope Asset ID the launch uses. */
function assetOf(row: SoqlRecord): string | null {
  const name = related(row, 'Asset', 'Name');
  const scopeId = related(row, 'Asset', 'Scope_Asset_Id__c');
  return name ? `${name}${scopeId ? ` (${scopeId})` : ''}` : null;
}

const ASSET_FIELDS = 'AssetId, Asset.Name, Asset.Scope_Asset_Id__c';

export const RECORD_KINDS: RecordKind[] = [
  {
    objectApiName: 'WorkOrder',
    route: 'work-orders',
    label: 'Work Order',
    labelPlural: 'Work Orders',
    icon: 'work_order',
    sessionLookup: 'Work_Order__c',
    soql: `SELECT Id, WorkOrderNumber, Subject, Status, ${ASSET_FIELDS}, CaseId, Case.CaseNumber, WorkLink_Expert__r.Name FROM WorkOrder`,
    isOpen,
    details: (row) => [
      { label: 'Status', value: text(row, 'Status') },
      { label: 'Asset', value: assetOf(row) },
      { label: 'Case', value: related(row, 'Case', 'CaseNumber') },
      {
        label: 'WorkLink Expert',
        value: related(row, 'WorkLink_Expert__r', 'Name')
      }
    ]
  },
  {
    objectApiName: 'WorkOrderLineItem',
    route: 'work-order-line-items',
    label: 'Work Order Line Item',
    labelPlural: 'Work Order Line Items',
    icon: 'work_order_item',
    sessionLookup: 'Work_Order_Line_Item__c',
    soql: `SELECT Id, LineItemNumber, Subject, Status, ${ASSET_FIELDS}, WorkOrderId, WorkOrder.WorkOrderNumber FROM WorkOrderLineItem`,
    isOpen,
    details: (row) => [
      { label: 'Status', value: text(row, 'Status') },
      {
        label: 'Work Order',
        value: related(row, 'WorkOrder', 'WorkOrderNumber')
      },
      { label: 'Asset', value: assetOf(row) }
    ]
  },
  {
    objectApiName: 'ServiceAppointment',
    route: 'service-appointments',
    label: 'Service Appointment',
    labelPlural: 'Service Appointments',
    icon: 'service_appointment',
    sessionLookup: 'Service_Appointment__c',
    soql: 'SELECT Id, AppointmentNumber, Subject, Status, ParentRecordId, ParentRecordType, SchedStartTime, WorkLink_Expert__r.Name FROM ServiceAppointment',
    isOpen,
    details: (row, numbers) => [
      { label: 'Status', value: text(row, 'Status') },
      {
        label: 'Parent Record',
        value:
          numbers.get(text(row, 'ParentRecordId') ?? '') ??
          text(row, 'ParentRecordId')
      },
      {
        label: 'Scheduled Start',
        value: text(row, 'SchedStartTime'),
        type: 'datetime'
      },
      {
        label: 'WorkLink Expert',
        value: related(row, 'WorkLink_Expert__r', 'Name')
      }
    ]
  },
  {
    objectApiName: 'Case',
    route: 'cases',
    label: 'Case',
    labelPlural: 'Cases',
    icon: 'case',
    sessionLookup: 'Case__c',
    soql: `SELECT Id, CaseNumber, Subject, Status, IsClosed, ${ASSET_FIELDS}, WorkLink_Expert__r.Name FROM Case`,
    isOpen: (row) => row.IsClosed !== true,
    details: (row) => [
      { label: 'Status', value: text(row, 'Status') },
      { label: 'Asset', value: assetOf(row) },
      {
        label: 'WorkLink Expert',
        value: related(row, 'WorkLink_Expert__r', 'Name')
      }
    ]
  }
];

const NUMBER_FIELDS: Record<string, string> = {
  WorkOrder: 'WorkOrderNumber',
  WorkOrderLineItem: 'LineItemNumber',
  ServiceAppointment: 'AppointmentNumber',
  Case: 'CaseNumber'
};

async function listKinds(salesforce: SalesforceReader, objects: Set<string>) {
  const kinds = RECORD_KINDS.filter((kind) => objects.has(kind.objectApiName));
  const rows = await Promise.all(
    kinds.map((kind) => salesforce.query(kind.soql))
  );
  // An appointment's parent is shown by its number (`Work Order 00000102`), as the record page does.
  const numbers = new Map<string, string>();
  kinds.forEach((kind, index) => {
    for (const row of rows[index] ?? []) {
      const number = text(row, NUMBER_FIELDS[kind.objectApiName] ?? 'Id');
      const id = text(row, 'Id');
      if (id && number) numbers.set(id, `${kind.label} ${number}`);
    }
  });
  return kinds.map((kind, index) => ({
    objectApiName: kind.objectApiName,
    route: kind.route,
    label: kind.label,
    labelPlural: kind.labelPlural,
    icon: kind.icon,
    records: (rows[index] ?? [])
      .filter((row) => kind.isOpen(row))
      .map((row): RecordSummary => ({
        id: text(row, 'Id'),
        number: text(row, NUMBER_FIELDS[kind.objectApiName] ?? 'Id'),
        subject: text(row, 'Subject'),
        details: kind.details(row, numbers)
      }))
      .sort((a, b) => String(a.number).localeCompare(String(b.number)))
  }));
}

async function listSessions(
  salesforce: SalesforceReader,
  lookup: string,
  recordId: string
) {
  const rows = await salesforce.query(
    'SELECT Id, Name, Kind__c, Scenario_Name__c, Expert__c, Technician__c, State__c, Started_At__c, ' +
      `Percent_Steps_Viewed__c, Link_Status__c FROM Scope_AR_Session__c WHERE ${lookup} = '${recordId}'`
  );
  return rows
    .map((row) => ({
      id: text(row, 'Id'),
      name: text(row, 'Name'),
      kind: text(row, 'Kind__c'),
      scenarioName: text(row, 'Scenario_Name__c'),
      expert: text(row, 'Expert__c'),
      technician: text(row, 'Technician__c'),
      state: text(row, 'State__c'),
      startedAt: text(row, 'Started_At__c'),
      percentStepsViewed: text(row, 'Percent_Steps_Viewed__c'),
      linkStatus: text(row, 'Link_Status__c')
    }))
    .sort((a, b) => String(b.name).localeCompare(String(a.name)));
}

/**
 * `GET /preview-api/records`: the picker's records per kind, for the objects that have a component;
 * `GET /preview-api/<route>/<id>/sessions`: the record's Scope AR Sessions, newest first.
 */
export function createRecordRoutes(
  salesforce: SalesforceReader,
  objects: Iterable<string>
): Router {
  const served = new Set(objects);
  const router = Router();
  router.get('/preview-api/records', async (_req, res) => {
    res.json({ kinds: await listKinds(salesforce, served) });
  });
  router.get('/preview-api/:route/:recordId/sessions', async (req, res) => {
    const kind = RECORD_KINDS.find(
      (candidate) =>
        candidate.route === req.params.route &&
        served.has(candidate.objectApiName)
    );
    const recordId = String(req.params.recordId);
    if (!kind)
      throw new UiApiError(
        404,
        'NOT_FOUND',
        `No record pages for ${req.params.route}`
      );
    if (!RECORD_ID.test(recordId))
      throw new UiApiError(
        400,
        'MALFORMED_ID',
        `Invalid record id: ${recordId}`
      );
    res.json({
      sessions: await listSessions(salesforce, kind.sessionLookup, recordId)
    });
  });
  return router;
}

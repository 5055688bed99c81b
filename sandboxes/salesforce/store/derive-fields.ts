import type { SRecord } from './record-store.ts';

const CLOSED_WORK_ORDER = new Set([
  'Closed',
  'Completed',
  'Cannot Complete',
  'Canceled'
]);
// The objects a Service Appointment's polymorphic ParentRecordId may name (see the standard catalog).
const APPOINTMENT_PARENT_TYPES: Record<string, string> = {
  '0WO': 'WorkOrder',
  '1WL': 'WorkOrderLineItem',
  '02i': 'Asset',
  '001': 'Account'
};

/** Fields the platform computes on save: full names, work order status category, case closure, an
 * appointment's parent type. */
export function deriveFields(
  object: string,
  record: SRecord,
  before: SRecord | undefined,
  now: string
): void {
  switch (object) {
    case 'User':
    case 'Contact':
      record.Name = [record.FirstName, record.LastName]
        .filter((v) => typeof v === 'string' && v !== '')
        .join(' ');
      break;
    case 'WorkOrder':
      record.StatusCategory =
        typeof record.Status === 'string' ? record.Status : null;
      record.IsClosed =
        typeof record.Status === 'string' &&
        CLOSED_WORK_ORDER.has(record.Status);
      break;
    case 'Case': {
      const closed = record.Status === 'Closed';
      record.IsClosed = closed;
      if (closed && !before?.IsClosed && !record.ClosedDate)
        record.ClosedDate = now;
      if (!closed) record.ClosedDate = null;
      break;
    }
    case 'ServiceAppointment':
      record.ParentRecordType =
        typeof record.ParentRecordId === 'string'
          ? (APPOINTMENT_PARENT_TYPES[record.ParentRecordId.slice(0, 3)] ??
            null)
          : null;
      break;
    default:
      break;
  }
}

// Which job a launcher on a Work Order, Work Order Line Item, Service Appointment or Case stands for,
// resolved from Lightning Data Service records only (no Apex): the identifiers the links carry, the
// Scope Asset ID to launch and the expert to call. Pure functions of getRecord results.
import { getFieldValue } from 'lightning/uiRecordApi';

export const WORK_ORDER = 'WorkOrder';
export const LINE_ITEM = 'WorkOrderLineItem';
export const APPOINTMENT = 'ServiceAppointment';
export const CASE = 'Case';
// The wires that read a Service Appointment's parent (as a Work Order, as a Line Item).
export const PARENT_WORK_ORDER = 'AppointmentWorkOrder';
export const PARENT_LINE_ITEM = 'AppointmentLineItem';
const PARENT_WIRES = {
  [WORK_ORDER]: PARENT_WORK_ORDER,
  [LINE_ITEM]: PARENT_LINE_ITEM
};

// Key prefixes are fixed per standard object; the record id alone tells the entry point and the
// type of a Service Appointment's polymorphic parent.
const KEY_PREFIXES = {
  '0WO': WORK_ORDER,
  '1WL': LINE_ITEM,
  '08p': APPOINTMENT,
  500: CASE
};

export const DEFAULT_ASSET_ID_FIELD = 'Asset.Scope_Asset_Id__c';
const DEFAULT_ASSET_FIELD_NAME = 'Scope_Asset_Id__c';
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** The object of a record id, or undefined for an object the launcher does not serve. */
export function objectOfId(recordId) {
  return typeof recordId === 'string'
    ? KEY_PREFIXES[recordId.slice(0, 3)]
    : undefined;
}

/** The admin's asset id setting as a path relative to WorkOrder (the default when it is none). */
export function workOrderAssetPath(setting) {
  const raw = (setting || '').trim().replace(/^WorkOrder\./, '');
  return FIELD_PATH.test(raw) ? raw : DEFAULT_ASSET_ID_FIELD;
}

/**
 * Where each entry point reads the Scope Asset ID, first match wins. The setting names a path on
 * Work Order; when it goes through the asset (`Asset.<field>`) a Line Item's own asset comes first and
 * a Case reads its own asset's field; a Work Order field a Case does not have falls back to the
 * default field of the case's asset.
 */
export function assetIdPaths(setting) {
  const path = workOrderAssetPath(setting);
  const viaAsset = path.startsWith('Asset.');
  const assetField = viaAsset ? path.slice('Asset.'.length) : null;
  return {
    [WORK_ORDER]: [`${WORK_ORDER}.${path}`],
    [LINE_ITEM]: [
      ...(viaAsset ? [`${LINE_ITEM}.${path}`] : []),
      `${LINE_ITEM}.WorkOrder.${path}`
    ],
    [CASE]: [`${CASE}.Asset.${assetField || DEFAULT_ASSET_FIELD_NAME}`],
    throughAsset: viaAsset
  };
}

function value(record, field) {
  return record ? (getFieldValue(record, field) ?? null) : null;
}

function firstValue(record, paths) {
  for (const path of paths) {
    const found = value(record, path);
    if (found !== null && String(found).trim() !== '') return found;
  }
  return null;
}

function expertOf(record, prefix) {
  const id = value(record, `${prefix}.WorkLink_Expert__c`);
  return id
    ? {
        id,
        name: value(record, `${prefix}.WorkLink_Expert__r.Name`),
        callLink: value(
          record,
          `${prefix}.WorkLink_Expert__r.WorkLink_Call_Link__c`
        )
      }
    : null;
}

function workOrderJob(record, paths) {
  return {
    job: {
      workOrderId: record.id,
      workOrderNumber: value(record, `${WORK_ORDER}.WorkOrderNumber`),
      caseId: value(record, `${WORK_ORDER}.CaseId`)
    },
    assetId: firstValue(record, paths[WORK_ORDER]),
    hasAsset: Boolean(value(record, `${WORK_ORDER}.AssetId`)),
    expert: expertOf(record, WORK_ORDER)
  };
}

function lineItemJob(record, paths) {
  return {
    job: {
      workOrderId: value(record, `${LINE_ITEM}.WorkOrderId`),
      workOrderNumber: value(record, `${LINE_ITEM}.WorkOrder.WorkOrderNumber`),
      workOrderLineItemId: record.id,
      caseId: value(record, `${LINE_ITEM}.WorkOrder.CaseId`)
    },
    assetId: firstValue(record, paths[LINE_ITEM]),
    hasAsset: Boolean(
      value(record, `${LINE_ITEM}.AssetId`) ||
      value(record, `${LINE_ITEM}.WorkOrder.AssetId`)
    ),
    expert: expertOf(record, `${LINE_ITEM}.WorkOrder`)
  };
}

function caseJob(record, paths) {
  return {
    job: {
      caseId: record.id,
      caseNumber: value(record, `${CASE}.CaseNumber`)
    },
    assetId: firstValue(record, paths[CASE]),
    hasAsset: Boolean(value(record, `${CASE}.AssetId`)),
    expert: expertOf(record, CASE)
  };
}

/** The Service Appointment's parent id when it is a Work Order or a Line Item, else null. */
export function appointmentParent(record) {
  const parentId = value(record, `${APPOINTMENT}.ParentRecordId`);
  const object = objectOfId(parentId);
  return object === WORK_ORDER || object === LINE_ITEM
    ? { object, id: parentId }
    : null;
}

function parentJob(object, record, paths) {
  return object === WORK_ORDER
    ? workOrderJob(record, paths)
    : lineItemJob(record, paths);
}

function appointmentJob(record, parentRecord, paths) {
  const parent = appointmentParent(record);
  const fromParent =
    parent && parentRecord
      ? parentJob(parent.object, parentRecord, paths)
      : { job: {}, assetId: null, hasAsset: false, expert: null };
  return {
    job: { ...fromParent.job, serviceAppointmentId: record.id },
    assetId: fromParent.assetId,
    hasAsset: fromParent.hasAsset,
    hasParent: Boolean(parent),
    // The appointment's own expert, else the one of its work order.
    expert: expertOf(record, APPOINTMENT) || fromParent.expert
  };
}

function isRecordOf(wired, object) {
  return Boolean(wired && wired.data && wired.data.apiName === object);
}

/**
 * The job of an entry point from its wires, or `{ pending }` / `{ error }` while they load or
 * when one fails. `wires` holds the getRecord results per object; a Service Appointment also needs
 * its parent's record (in the Work Order or Line Item wire).
 */
export function resolveJob({ entry, wires, assetIdField }) {
  const own = wires[entry];
  if (own && own.error) return { error: own.error };
  if (!isRecordOf(own, entry)) return { pending: true };
  const paths = assetIdPaths(assetIdField);
  const record = own.data;
  if (entry === WORK_ORDER) return workOrderJob(record, paths);
  if (entry === LINE_ITEM) return lineItemJob(record, paths);
  if (entry === CASE) return caseJob(record, paths);
  const parent = appointmentParent(record);
  if (!parent) return appointmentJob(record, null, paths);
  // The other parent wire asked for fields of the wrong object: its answer is ignored.
  const parentWire = wires[PARENT_WIRES[parent.object]];
  if (parentWire && parentWire.error) return { error: parentWire.error };
  if (
    !isRecordOf(parentWire, parent.object) ||
    parentWire.data.id !== parent.id
  )
    return { pending: true };
  return appointmentJob(record, parentWire.data, paths);
}

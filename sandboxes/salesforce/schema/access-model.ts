import type {
  AccessModel,
  FieldDef,
  FieldAccess,
  ObjectAccess,
  SObjectDef
} from './types.ts';
import { nodes } from '../metadata/xml.ts';
import type { XmlNode } from '../metadata/xml.ts';

export interface ParsedPermissionSet {
  name: string;
  objects: Map<string, ObjectAccess>;
  fields: Map<string, FieldAccess>;
}

const flag = (v: unknown): boolean => v === 'true';

/** Reads `objectPermissions` and `fieldPermissions` from a PermissionSet metadata document. */
export function readPermissionSet(
  node: XmlNode,
  name: string
): ParsedPermissionSet {
  const objects = new Map<string, ObjectAccess>();
  for (const p of nodes(node, 'objectPermissions')) {
    const all = flag(p.modifyAllRecords);
    objects.set(String(p.object).toLowerCase(), {
      read: flag(p.allowRead) || flag(p.viewAllRecords) || all,
      create: flag(p.allowCreate),
      edit: flag(p.allowEdit) || all,
      delete: flag(p.allowDelete) || all,
      viewAll: flag(p.viewAllRecords) || all,
      modifyAll: all
    });
  }
  const fields = new Map<string, FieldAccess>();
  for (const p of nodes(node, 'fieldPermissions')) {
    const editable = flag(p.editable);
    fields.set(String(p.field).toLowerCase(), {
      readable: flag(p.readable) || editable,
      editable
    });
  }
  return { name, objects, fields };
}

const FULL: ObjectAccess = {
  read: true,
  create: true,
  edit: true,
  delete: true
};
const NONE: ObjectAccess = {
  read: false,
  create: false,
  edit: false,
  delete: false
};

/**
 * Objects a user with the Minimum Access - Salesforce profile reaches without object permissions:
 * users, the org, and files (those are governed by sharing). Everything else needs the permission set.
 */
const PROFILE_BASELINE_OBJECTS = new Set([
  'user',
  'organization',
  'contentversion',
  'contentdocument',
  'contentdocumentlink'
]);

/**
 * Files take no object permissions: every user may upload, and sharing through ContentDocumentLink
 * decides which files a user sees (the owner deletes its own files).
 */
const FILE_OBJECTS = new Set([
  'contentversion',
  'contentdocument',
  'contentdocumentlink'
]);
const FILE_ACCESS: ObjectAccess = {
  read: true,
  create: true,
  edit: true,
  delete: true
};

/** Fields no field permission governs: the Id, audit fields, the owner and the record name. */
const ALWAYS_VISIBLE_FIELDS = new Set([
  'id',
  'name',
  'ownerid',
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp',
  'isdeleted',
  'lastvieweddate',
  'lastreferenceddate',
  // WorkOrder.IsClosed and Case.IsClosed derive from the status category; no permission set names them.
  'isclosed',
  // A file version's document: the file's identity (like Id), set by Salesforce on insert; field-level
  // security does not govern it, so no permission set names it.
  'contentdocumentid'
]);

/** Whether a permission set may carry field permissions for the field (required fields take none). */
export const takesFieldPermission = (
  def: SObjectDef,
  field: FieldDef
): boolean => !isAlwaysVisible(def, field) && !field.required;

function isAlwaysVisible(def: SObjectDef, field: FieldDef): boolean {
  return (
    ALWAYS_VISIBLE_FIELDS.has(field.name.toLowerCase()) ||
    // The auto-number name field of a standard object (WorkOrderNumber, CaseNumber).
    (!def.custom && field.autoNumber !== undefined)
  );
}

/**
 * The integration user's effective access, as a Minimum Access profile plus the permission set gives
 * it: object permissions and field-level security (on standard fields too) come from the permission
 * set; only the profile baseline objects and the always-visible fields are there without it. Without
 * a permission set the sandbox is wide open, which keeps it usable while the package is being written.
 */
export function createAccessModel(
  objects: Map<string, SObjectDef>,
  permissions: ParsedPermissionSet | null
): AccessModel {
  const lower = new Map(
    [...objects.values()].map((o) => [o.name.toLowerCase(), o])
  );
  const objectAccess = (sobject: string): ObjectAccess => {
    if (!permissions) return FULL;
    const def = lower.get(sobject.toLowerCase());
    const granted = permissions.objects.get(sobject.toLowerCase()) ?? NONE;
    if (def && !def.custom && FILE_OBJECTS.has(def.name.toLowerCase()))
      return FILE_ACCESS;
    if (
      def &&
      !def.custom &&
      PROFILE_BASELINE_OBJECTS.has(def.name.toLowerCase())
    )
      return { ...granted, read: true };
    return granted;
  };
  const cache = new Map<string, FieldAccess>();
  function computeFieldAccess(sobject: string, fieldName: string): FieldAccess {
    const def = lower.get(sobject.toLowerCase());
    const field = def
      ? [...def.fields.values()].find(
          (f) => f.name.toLowerCase() === fieldName.toLowerCase()
        )
      : undefined;
    if (!def || !field) return { readable: false, editable: false };
    const object = objectAccess(def.name);
    if (!object.read) return { readable: false, editable: false };
    const canWrite = object.create || object.edit;
    if (!permissions || isAlwaysVisible(def, field))
      return { readable: true, editable: canWrite && !field.system };
    // Required fields take no field permissions; baseline objects show their standard fields.
    if (
      field.required ||
      (!field.custom && PROFILE_BASELINE_OBJECTS.has(def.name.toLowerCase()))
    )
      return { readable: true, editable: canWrite && !field.system };
    const granted = permissions.fields.get(
      `${def.name}.${field.name}`.toLowerCase()
    );
    return {
      readable: granted?.readable ?? false,
      editable: canWrite && !field.system && (granted?.editable ?? false)
    };
  }
  return {
    permissionSet: permissions?.name ?? null,
    objectAccess,
    fieldAccess(sobject, fieldName) {
      const key = `${sobject}.${fieldName}`.toLowerCase();
      let access = cache.get(key);
      if (!access) {
        access = computeFieldAccess(sobject, fieldName);
        cache.set(key, access);
      }
      return access;
    }
  };
}

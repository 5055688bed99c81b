import type {
  AccessModel,
  FieldAccess,
  ObjectAccess,
  SObjectDef
} from './types.ts';

export interface ParsedPermissionSet {
  name: string;
  objects: Map<string, ObjectAccess>;
  fields: Map<string, FieldAccess>;
}

type XmlNode = Record<string, unknown>;
const flag = (v: unknown): boolean => v === 'true';

/** Reads `objectPermissions` and `fieldPermissions` from a PermissionSet metadata document. */
export function readPermissionSet(
  node: XmlNode,
  name: string
): ParsedPermissionSet {
  const objects = new Map<string, ObjectAccess>();
  for (const p of (node.objectPermissions ?? []) as XmlNode[]) {
    const all = flag(p.modifyAllRecords);
    objects.set(String(p.object).toLowerCase(), {
      read: flag(p.allowRead) || flag(p.viewAllRecords) || all,
      create: flag(p.allowCreate),
      edit: flag(p.allowEdit) || all,
      delete: flag(p.allowDelete) || all
    });
  }
  const fields = new Map<string, FieldAccess>();
  for (const p of (node.fieldPermissions ?? []) as XmlNode[]) {
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
 * The integration user's effective access: standard objects are readable (standard profile access),
 * everything else comes from the permission set. Without a permission set the sandbox is wide open,
 * which keeps it usable while the package is still being written.
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
    if (def && !def.custom) return { ...granted, read: true };
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
    if (field.system) return { readable: true, editable: false };
    // Required fields, standard fields and the Name/Owner of an object are not subject to field permissions.
    if (!permissions || !field.custom || field.required)
      return { readable: true, editable: canWrite };
    const granted = permissions.fields.get(
      `${def.name}.${field.name}`.toLowerCase()
    );
    return {
      readable: granted?.readable ?? false,
      editable: canWrite && (granted?.editable ?? false)
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

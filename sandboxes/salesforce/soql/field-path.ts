import { ApiError } from '../errors.ts';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';
import type { RecordStore, SRecord } from '../store/record-store.ts';

/** A resolved `Asset.Name` style path: the lookups to follow, then the field to read. */
export interface FieldPath {
  /** Lookup fields followed from the queried object, in order. */
  lookups: FieldDef[];
  field: FieldDef;
  /** Output key of each relationship step (canonical relationship names). */
  relationshipNames: string[];
  /** sObject type that owns `field` (the first type that has it, for polymorphic lookups). */
  owner: SObjectDef;
}

export function queryError(
  soql: string,
  token: string,
  errorCode: string,
  message: string
): ApiError {
  const at = soql.toLowerCase().indexOf(token.toLowerCase());
  const column = at >= 0 ? at + 1 : 1;
  const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
  return new ApiError(
    400,
    errorCode,
    `\n${soql}\n${caret}\nERROR at Row:1:Column:${column}\n${message}`
  );
}

const noSuchColumn = (
  soql: string,
  token: string,
  field: string,
  object: string
) =>
  queryError(
    soql,
    token,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
  );

/**
 * Resolves `a.b.c` against the schema and the integration user's read access; an unreadable field is
 * indistinguishable from a missing one, as in a real org.
 */
export function resolveFieldPath(
  schema: Schema,
  root: SObjectDef,
  rawPath: string,
  soql: string,
  alias?: string
): FieldPath {
  let parts = rawPath.split('.');
  if (
    parts.length > 1 &&
    (parts[0]?.toLowerCase() === alias?.toLowerCase() ||
      parts[0]?.toLowerCase() === root.name.toLowerCase())
  ) {
    parts = parts.slice(1);
  }
  if (parts.length > 6)
    throw queryError(
      soql,
      rawPath,
      'MALFORMED_QUERY',
      'Relationship paths are limited to 5 levels'
    );
  let current = root;
  const lookups: FieldDef[] = [];
  const relationshipNames: string[] = [];
  const fieldName = parts[parts.length - 1] ?? '';
  for (const [i, part] of parts.slice(0, -1).entries()) {
    const lookup = [...current.fields.values()].find(
      (f) =>
        f.type === 'reference' &&
        f.relationshipName?.toLowerCase() === part.toLowerCase()
    );
    if (
      !lookup ||
      !schema.access.fieldAccess(current.name, lookup.name).readable
    ) {
      throw queryError(
        soql,
        rawPath,
        'INVALID_FIELD',
        `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
      );
    }
    const targets = lookup.referenceTo
      .map((t) => schema.getObject(t))
      .filter((t): t is SObjectDef => !!t);
    // Polymorphic lookups (LinkedEntity): the last hop goes to the first type that has the field.
    const isLastHop = i === parts.length - 2;
    const next =
      targets.find((t) => !isLastHop || schema.getField(t, fieldName)) ??
      targets[0];
    if (!next) throw noSuchColumn(soql, rawPath, part, current.name);
    lookups.push(lookup);
    relationshipNames.push(lookup.relationshipName ?? part);
    current = next;
  }
  const last = fieldName;
  const field = schema.getField(current, last);
  if (
    !field ||
    !schema.access.objectAccess(current.name).read ||
    !schema.access.fieldAccess(current.name, field.name).readable
  ) {
    throw noSuchColumn(soql, rawPath, last, current.name);
  }
  return { lookups, field, relationshipNames, owner: current };
}

/** Follows the lookups of a path; undefined when a lookup on the way is empty. */
export function followPath(
  store: RecordStore,
  record: SRecord,
  path: FieldPath
): SRecord | undefined {
  let current: SRecord | undefined = record;
  for (const lookup of path.lookups) {
    const id: unknown = current?.[lookup.name];
    current = typeof id === 'string' ? store.find(id)?.record : undefined;
    if (!current) return undefined;
  }
  return current;
}

export function readPath(
  store: RecordStore,
  record: SRecord,
  path: FieldPath
): unknown {
  const target = followPath(store, record, path);
  const value = target?.[path.field.name];
  return value === undefined ? null : value;
}

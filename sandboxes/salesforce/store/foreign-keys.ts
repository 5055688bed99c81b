import { ApiError, recordError } from '../errors.ts';
import type { RecordError } from '../errors.ts';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';
import type { RecordStore, SRecord } from './record-store.ts';

/** A lookup or Master-Detail given as its parent's external id (`"Session__r": {"Scope_Id__c": "…"}`). */
export class ExternalIdReference {
  constructor(
    readonly target: SObjectDef,
    readonly field: FieldDef,
    readonly value: unknown
  ) {}
}

/**
 * The reference field and parent key named by a relationship key of a record body, or undefined when
 * `key` is no relationship. A relationship value must name exactly one external id field of the parent.
 */
export function readRelationshipKey(
  schema: Schema,
  def: SObjectDef,
  key: string,
  value: unknown
): [FieldDef, ExternalIdReference] | undefined {
  const reference = [...def.fields.values()].find(
    (f) =>
      f.type === 'reference' &&
      f.relationshipName?.toLowerCase() === key.toLowerCase()
  );
  if (
    !reference ||
    !schema.access.fieldAccess(def.name, reference.name).readable
  )
    return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${key} from a value that is not an object`
    );
  const keys = Object.entries(value as SRecord).filter(
    ([k]) => k !== 'attributes'
  );
  const targetName = typeOf(value as SRecord) ?? reference.referenceTo[0] ?? '';
  const target = schema.getObject(targetName);
  if (
    !target ||
    !reference.referenceTo.includes(target.name) ||
    keys.length !== 1
  )
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `The relationship ${key} must name one external id field of ${reference.referenceTo.join(', ')}`
    );
  const [name, keyValue] = keys[0] as [string, unknown];
  const field = schema.getField(target, name);
  if (
    !field ||
    !(field.externalId || field.unique) ||
    !schema.access.fieldAccess(target.name, field.name).readable
  )
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `Field name provided, ${name} is not an External ID or indexed field for ${target.name}`
    );
  return [reference, new ExternalIdReference(target, field, keyValue)];
}

/** The parent's Id, or the per-record error Salesforce reports when the external id matches nothing or several. */
export function resolveExternalIdReference(
  store: RecordStore,
  reference: ExternalIdReference
): { id: string } | { error: RecordError } {
  const { target, field, value } = reference;
  const matches = store.findUnique(
    target,
    field.name,
    value,
    field.caseSensitive
  );
  if (matches.length === 1) return { id: matches[0] as string };
  if (matches.length > 1)
    return {
      error: recordError(
        'DUPLICATE_EXTERNAL_ID',
        `Foreign key external ID: ${String(value)} matched more than one record for field ${field.name} in entity ${target.name}`
      )
    };
  return {
    error: recordError(
      'INVALID_FIELD',
      `Foreign key external ID: ${String(value)} not found for field ${field.name} in entity ${target.name}`
    )
  };
}

function typeOf(record: SRecord): string | undefined {
  const attributes = record.attributes as SRecord | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : undefined;
}

import { normalizeId } from './ids.ts';
import { ApiError, recordError } from '../errors.ts';
import { coerceValue } from './values.ts';
import {
  ExternalIdReference,
  readRelationshipKey,
  resolveExternalIdReference
} from './foreign-keys.ts';
import type { RecordError } from '../errors.ts';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';
import type { RecordStore, SRecord } from './record-store.ts';

export type WriteMode = 'create' | 'update';

/**
 * Resolves the JSON keys of a record body against the schema. Unknown fields and fields the user
 * cannot see fail the whole request (INVALID_FIELD), like the REST deserializer does.
 */
export function readRecordBody(
  schema: Schema,
  def: SObjectDef,
  body: SRecord
): Map<FieldDef, unknown> {
  const fields = new Map<FieldDef, unknown>();
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const relationship = schema.getField(def, key)
      ? undefined
      : readRelationshipKey(schema, def, key, value);
    if (relationship) {
      fields.set(...relationship);
      continue;
    }
    const field = schema.getField(def, key);
    if (!field || !schema.access.fieldAccess(def.name, field.name).readable) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${def.name}`
      );
    }
    fields.set(field, coerceValue(field, value));
  }
  return fields;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Per-record DML validation: field-level security, lengths, picklists, numbers, lookups, required
 * and unique fields. Returns the record as it would be stored, or the errors Salesforce reports.
 */
export function validateWrite(
  schema: Schema,
  store: RecordStore,
  def: SObjectDef,
  input: Map<FieldDef, unknown>,
  mode: WriteMode,
  existing?: SRecord,
  bypass = false
): { record: SRecord } | { errors: RecordError[] } {
  const errors: RecordError[] = [];
  const record: SRecord = existing ? { ...existing } : {};

  const notWritable = [...input.keys()].filter((f) => {
    if (bypass || (f.name === 'Id' && mode === 'update')) return false;
    return f.system || !schema.access.fieldAccess(def.name, f.name).editable;
  });
  if (notWritable.length > 0) {
    const names = notWritable.map((f) => f.name);
    errors.push(
      recordError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${names.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        names
      )
    );
  }

  for (const [field, given] of input) {
    if (notWritable.includes(field) || field.name === 'Id') continue;
    let value = given;
    if (given instanceof ExternalIdReference) {
      const resolved = resolveExternalIdReference(store, given);
      if ('error' in resolved) {
        errors.push(resolved.error);
        record[field.name] = given.value;
        continue;
      }
      value = resolved.id;
    }
    if (bypass && field.system) {
      record[field.name] = value;
      continue;
    }
    const error = checkValue(schema, store, field, value);
    if (error) errors.push(error);
    record[field.name] = value; // kept even when invalid, so it does not also count as missing
  }

  const missing = [...def.fields.values()].filter(
    (f) =>
      f.required &&
      !f.system &&
      (record[f.name] === undefined ||
        record[f.name] === null ||
        record[f.name] === '')
  );
  if (
    missing.length > 0 &&
    (mode === 'create' || missing.some((f) => input.has(f)))
  ) {
    const names = missing.map((f) => f.name);
    errors.push(
      recordError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${names.join(', ')}]`,
        names
      )
    );
  }

  // Custom validation rules run after the platform's own checks, on the record as it would be saved.
  if (errors.length === 0 && !bypass) {
    for (const rule of def.validationRules ?? []) {
      if (rule.active && rule.violated(record))
        errors.push(
          recordError(
            'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            rule.message,
            rule.displayField ? [rule.displayField] : []
          )
        );
    }
  }

  if (errors.length === 0) {
    for (const field of def.fields.values()) {
      if (!field.unique || !input.has(field)) continue;
      const holders = store
        .findUnique(def, field.name, record[field.name], field.caseSensitive)
        .filter((id) => id !== existing?.Id);
      if (holders.length > 0) {
        errors.push(
          recordError(
            'DUPLICATE_VALUE',
            `duplicate value found: ${field.name} duplicates value on record with id: ${holders[0]}`,
            [field.name]
          )
        );
      }
    }
  }
  return errors.length > 0 ? { errors } : { record };
}

function checkValue(
  schema: Schema,
  store: RecordStore,
  field: FieldDef,
  value: unknown
): RecordError | null {
  if (value === null) return null;
  const label = field.label;
  switch (field.type) {
    case 'string':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist': {
      const s = String(value);
      if (field.length > 0 && s.length > field.length) {
        const shown = s.length > 50 ? `${s.slice(0, 47)}(...)` : s;
        return recordError(
          'STRING_TOO_LONG',
          `${label}: data value too large: ${shown} (max length=${field.length})`,
          [field.name]
        );
      }
      if (
        field.type === 'picklist' &&
        field.restrictedPicklist &&
        !field.picklistValues.some((p) => p.value === s)
      ) {
        return recordError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${label}: bad value for restricted picklist field: ${s}`,
          [field.name]
        );
      }
      if (field.type === 'email' && s !== '' && !EMAIL.test(s)) {
        return recordError(
          'INVALID_EMAIL_ADDRESS',
          `${label}: invalid email address: ${s}`,
          [field.name]
        );
      }
      return null;
    }
    case 'double':
    case 'percent':
    case 'currency':
    case 'int': {
      const n = Number(value);
      const integerDigits = Math.max(0, field.precision - field.scale);
      if (field.precision > 0 && Math.abs(n) >= 10 ** integerDigits) {
        return recordError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${label}: value outside of valid range on numeric field: ${n}`,
          [field.name]
        );
      }
      return null;
    }
    case 'reference': {
      const id = normalizeId(String(value));
      if (!id)
        return recordError(
          'MALFORMED_ID',
          `${label}: id value of incorrect type: ${String(value)}`,
          [field.name]
        );
      const target = schema.objectForId(id);
      if (target && !field.referenceTo.includes(target.name)) {
        // A well-formed Id of another object: a real org answers this, not INVALID_CROSS_REFERENCE_KEY.
        return recordError(
          'FIELD_INTEGRITY_EXCEPTION',
          `${label}: id value of incorrect type: ${String(value)}`,
          [field.name]
        );
      }
      if (!target) {
        return recordError(
          'INVALID_CROSS_REFERENCE_KEY',
          `${label}: id value of incorrect type: ${String(value)}`,
          [field.name]
        );
      }
      if (store.getDeleted(target.name, id)) {
        return recordError('ENTITY_IS_DELETED', 'entity is deleted', [
          field.name
        ]);
      }
      const parent = store.get(target.name, id);
      if (
        parent &&
        !(schema.access.recordVisible?.(target.name, parent) ?? true)
      ) {
        return recordError(
          'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
          'insufficient access rights on cross-reference id',
          [field.name]
        );
      }
      if (!parent) {
        return recordError(
          'INVALID_CROSS_REFERENCE_KEY',
          `invalid cross reference id`,
          [field.name]
        );
      }
      return null;
    }
    default:
      return null;
  }
}

/** Lookup values are stored in their 18-character form, as Salesforce returns them. */
export function normalizeReferences(def: SObjectDef, record: SRecord): void {
  for (const field of def.fields.values()) {
    const v = record[field.name];
    if (field.type === 'reference' && typeof v === 'string')
      record[field.name] = normalizeId(v) ?? v;
  }
}

export function roundNumbers(def: SObjectDef, record: SRecord): void {
  for (const field of def.fields.values()) {
    const v = record[field.name];
    if (
      typeof v === 'number' &&
      ['double', 'percent', 'currency'].includes(field.type)
    ) {
      const f = 10 ** field.scale;
      record[field.name] = Math.round(v * f) / f;
    }
  }
}

import { basename } from 'node:path';
import type { XmlFile } from './read-project.ts';
import { text } from '../../sandboxes/salesforce/metadata/xml.ts';
import type { StandardField } from './standard-schema.ts';
import {
  CUSTOM_OBJECT_STANDARD_FIELDS,
  STANDARD_FIELDS
} from './standard-schema.ts';

export interface FieldInfo {
  readonly name: string;
  readonly type: string;
  /** Required fields must be on layouts and must not appear in permission sets. */
  readonly required: boolean;
  /** Whether a permission set may carry field permissions for it. */
  readonly fls: boolean;
  readonly custom: boolean;
  readonly file?: string;
  /** For lookups: the name used in field paths (Asset, WorkLink_Expert__r) and the target object. */
  readonly relationship?: { readonly name: string; readonly to: string };
  /** For custom lookups: the parent's child relationship name (Scope_AR_Sessions__r). */
  readonly childRelationship?: string;
}

export interface ObjectInfo {
  readonly name: string;
  readonly custom: boolean;
  readonly file?: string;
  readonly fields: Map<string, FieldInfo>;
  readonly compactLayouts: Set<string>;
  readonly compactLayoutAssignment?: string;
}

export type Schema = Map<string, ObjectInfo>;

function fromStandard(name: string, field: StandardField): FieldInfo {
  return {
    name,
    type: field.relationship ? 'Lookup' : 'Standard',
    required: false,
    fls: field.fls,
    custom: false,
    relationship: field.relationship
  };
}

function ensureObject(schema: Schema, name: string): ObjectInfo {
  let object = schema.get(name);
  if (!object) {
    const standard =
      STANDARD_FIELDS[name] ??
      (name.endsWith('__c') ? CUSTOM_OBJECT_STANDARD_FIELDS : {});
    object = {
      name,
      custom: name.endsWith('__c'),
      fields: new Map(
        Object.entries(standard).map(([field, info]) => [
          field,
          fromStandard(field, info)
        ])
      ),
      compactLayouts: new Set()
    };
    schema.set(name, object);
  }
  return object;
}

/** objects/<Object>/… → <Object> */
export function objectOfPath(file: string): string | undefined {
  return /[\\/]objects[\\/]([^\\/]+)[\\/]/.exec(file)?.[1];
}

/** Builds the schema the package defines on top of the standard objects it touches. */
export function buildSchema(xml: readonly XmlFile[]): Schema {
  const schema: Schema = new Map();
  Object.keys(STANDARD_FIELDS).forEach((name) => ensureObject(schema, name));
  for (const file of xml) {
    const objectName = objectOfPath(file.file);
    if (!objectName) continue;
    if (file.root === 'CustomObject') {
      const existing = ensureObject(schema, objectName);
      schema.set(objectName, {
        ...existing,
        file: file.file,
        compactLayoutAssignment:
          text(file.body, 'compactLayoutAssignment') || undefined
      });
    }
  }
  for (const file of xml) {
    const objectName = objectOfPath(file.file);
    if (!objectName) continue;
    const object = ensureObject(schema, objectName);
    if (file.root === 'CompactLayout') {
      object.compactLayouts.add(
        basename(file.file).replace('.compactLayout-meta.xml', '')
      );
    }
    if (file.root !== 'CustomField') continue;
    const name =
      text(file.body, 'fullName') ||
      basename(file.file).replace('.field-meta.xml', '');
    const type = text(file.body, 'type');
    const isLookup = type === 'Lookup' || type === 'MasterDetail';
    const required =
      text(file.body, 'required') === 'true' || type === 'MasterDetail';
    const relationshipName = text(file.body, 'relationshipName');
    object.fields.set(name, {
      name,
      type,
      required,
      fls: !required,
      custom: true,
      file: file.file,
      relationship: isLookup
        ? {
            name: name.replace(/__c$/, '__r'),
            to: text(file.body, 'referenceTo')
          }
        : undefined,
      childRelationship:
        isLookup && relationshipName ? `${relationshipName}__r` : undefined
    });
  }
  return schema;
}

/**
 * Resolves a field path from an object (`Asset.Scope_Asset_Id__c` on WorkOrder) through
 * lookup relationships. Returns the final field or an explanation of what is missing.
 */
export function resolvePath(
  schema: Schema,
  objectName: string,
  path: string
): FieldInfo | string {
  const object = schema.get(objectName);
  if (!object)
    return `object ${objectName} is not defined in force-app nor known as standard`;
  const [head, ...rest] = path.split('.');
  if (!head) return `empty field path on ${objectName}`;
  if (rest.length === 0) {
    return (
      object.fields.get(head) ??
      `field ${objectName}.${head} does not exist in force-app`
    );
  }
  const via = [...object.fields.values()].find(
    (f) => f.relationship?.name === head
  );
  if (!via?.relationship)
    return `relationship ${objectName}.${head} does not exist in force-app`;
  return resolvePath(schema, via.relationship.to, rest.join('.'));
}

/** Resolves `Object.Field` (as permission sets and LWC schema imports write it). */
export function resolveQualified(
  schema: Schema,
  qualified: string
): FieldInfo | string {
  const dot = qualified.indexOf('.');
  if (dot === -1) return `"${qualified}" is not an Object.Field name`;
  return resolvePath(schema, qualified.slice(0, dot), qualified.slice(dot + 1));
}

/**
 * The standard Salesforce schema this package references, as the validator sees it: derived from the
 * one catalog of standard objects (the Salesforce sandbox's, sandboxes/salesforce/schema/
 * standard-catalog.ts) and its field-level security rule. Custom fields come from force-app; these are
 * the standard ones layouts, list views, permission sets and the LWC may name. `fls: false` marks
 * fields a permission set cannot carry (always readable, system managed or required).
 */
import { takesFieldPermission } from '../../sandboxes/salesforce/schema/access-model.ts';
import { createFieldDef } from '../../sandboxes/salesforce/schema/field-def.ts';
import {
  createStandardCatalog,
  customObjectViewFields,
  owner,
  systemFields
} from '../../sandboxes/salesforce/schema/standard-catalog.ts';
import type {
  FieldDef,
  SObjectDef
} from '../../sandboxes/salesforce/schema/types.ts';

export interface StandardField {
  readonly fls: boolean;
  /** For lookups: the relationship name and the object it points to. */
  readonly relationship?: { readonly name: string; readonly to: string };
}

function standardField(def: SObjectDef, field: FieldDef): StandardField {
  const [to, ...others] = field.referenceTo;
  return {
    fls: takesFieldPermission(def, field),
    // A polymorphic lookup (several targets) has no single object to resolve a field path through.
    ...(field.type === 'reference' &&
    field.relationshipName &&
    to &&
    !others.length
      ? { relationship: { name: field.relationshipName, to } }
      : {})
  };
}

function fieldsOf(
  def: SObjectDef,
  fields: Iterable<FieldDef>
): Record<string, StandardField> {
  return Object.fromEntries(
    [...fields].map((field) => [field.name, standardField(def, field)])
  );
}

export const STANDARD_FIELDS: Readonly<
  Record<string, Readonly<Record<string, StandardField>>>
> = Object.fromEntries(
  createStandardCatalog().map((def) => [
    def.name,
    fieldsOf(def, def.fields.values())
  ])
);

/** Standard fields every custom object has (as the sandbox's metadata loader gives them). */
const CUSTOM_OBJECT: SObjectDef = {
  name: 'Any__c',
  label: 'Any',
  labelPlural: 'Any',
  keyPrefix: 'a00',
  custom: true,
  fields: new Map()
};
export const CUSTOM_OBJECT_STANDARD_FIELDS: Readonly<
  Record<string, StandardField>
> = fieldsOf(CUSTOM_OBJECT, [
  ...systemFields(),
  ...customObjectViewFields(),
  owner(),
  createFieldDef('Name', 'string', { label: 'Name', length: 80 })
]);

/** List view column tokens that are not field API names. */
export const LIST_VIEW_TOKENS = new Set([
  'NAME',
  'CREATED_DATE',
  'LAST_UPDATE',
  'OWNER.ALIAS',
  'OWNER.FIRST_NAME',
  'OWNER.LAST_NAME',
  'CREATEDBY_USER',
  'UPDATEDBY_USER'
]);

/** Related list column tokens that are not field API names. */
export const RELATED_LIST_TOKENS = new Set([
  'NAME',
  'CREATED_DATE',
  'LAST_UPDATE',
  'OWNER.ALIAS'
]);

import type { FieldDef, FieldType } from './types.ts';

/** Builds a FieldDef with Salesforce's defaults for everything not given. */
export function createFieldDef(
  name: string,
  type: FieldType,
  overrides: Partial<FieldDef> = {}
): FieldDef {
  const defaults: FieldDef = {
    name,
    label: name.replace(/__c$/, '').replace(/_/g, ' '),
    type,
    length:
      type === 'string' ||
      type === 'email' ||
      type === 'phone' ||
      type === 'url'
        ? 255
        : 0,
    precision: 0,
    scale: 0,
    custom: name.endsWith('__c'),
    externalId: false,
    unique: false,
    caseSensitive: false,
    required: false,
    system: false,
    referenceTo: [],
    picklistValues: [],
    restrictedPicklist: false,
    longText: false
  };
  if (type === 'id') defaults.length = 18;
  if (type === 'reference') defaults.length = 18;
  if (type === 'picklist') defaults.length = 255;
  if (type === 'textarea') defaults.length = 32000;
  return { ...defaults, ...overrides };
}

export function picklist(
  values: string[],
  restricted = false
): Partial<FieldDef> {
  return {
    picklistValues: values.map((value) => ({
      value,
      label: value,
      defaultValue: false
    })),
    restrictedPicklist: restricted
  };
}

/** A standard lookup (`AssetId` → relationship `Asset`). */
export function lookup(
  name: string,
  referenceTo: string[],
  overrides: Partial<FieldDef> = {}
): FieldDef {
  return createFieldDef(name, 'reference', {
    referenceTo,
    relationshipName: name.replace(/Id$/, ''),
    ...overrides
  });
}

import type { FieldDef, Schema, SObjectDef } from './types.ts';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  percent: 'xsd:double',
  currency: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  base64: 'xsd:base64Binary'
};

function objectUrls(apiVersion: string, name: string) {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return {
    sobject: base,
    describe: `${base}/describe`,
    rowTemplate: `${base}/{ID}`
  };
}

function describeField(schema: Schema, def: SObjectDef, field: FieldDef) {
  const access = schema.access.fieldAccess(def.name, field.name);
  const object = schema.access.objectAccess(def.name);
  const numeric = ['double', 'percent', 'currency', 'int'].includes(field.type);
  const nameField = field.name === 'Name';
  return {
    aggregatable: !field.longText,
    autoNumber: !!field.autoNumber,
    byteLength: field.length * 3,
    calculated: field.formula !== undefined,
    calculatedFormula: field.formula ?? null,
    cascadeDelete: false,
    caseSensitive: field.caseSensitive,
    controllerName: null,
    createable: access.editable && object.create && !field.system,
    custom: field.custom,
    defaultValue: null,
    defaultedOnCreate:
      field.system || field.type === 'boolean' || field.name === 'OwnerId',
    dependentPicklist: false,
    digits: field.type === 'int' ? field.precision : 0,
    externalId: field.externalId,
    extraTypeInfo: field.longText ? 'plaintextarea' : null,
    filterable: !field.longText && field.type !== 'base64',
    groupable: !field.longText && !numeric && field.type !== 'datetime',
    htmlFormatted: false,
    idLookup:
      field.type === 'id' ||
      field.externalId ||
      (field.unique && field.type === 'string'),
    inlineHelpText: null,
    label: field.label,
    length: field.length,
    name: field.name,
    nameField,
    nillable:
      !field.required &&
      field.type !== 'boolean' &&
      field.type !== 'id' &&
      !field.autoNumber,
    permissionable: field.custom && !field.required,
    picklistValues: field.picklistValues.map((p) => ({
      active: true,
      defaultValue: p.defaultValue,
      label: p.label,
      validFor: null,
      value: p.value
    })),
    polymorphicForeignKey: field.referenceTo.length > 1,
    precision: numeric ? field.precision : 0,
    referenceTargetField: null,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: null,
    restrictedPicklist: field.restrictedPicklist,
    scale: numeric ? field.scale : 0,
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    sortable: !field.longText,
    type: field.type,
    unique: field.unique,
    updateable: access.editable && object.edit && !field.system,
    writeRequiresMasterRead: false
  };
}

/** `GET /sobjects/{Type}/describe`, limited to the fields the running user can see. */
export function describeSObject(
  schema: Schema,
  def: SObjectDef,
  apiVersion: string
) {
  const object = schema.access.objectAccess(def.name);
  const childRelationships = [...schema.objects.values()].flatMap((child) =>
    [...child.fields.values()]
      .filter((f) => f.type === 'reference' && f.referenceTo.includes(def.name))
      .map((f) => ({
        cascadeDelete: false,
        childSObject: child.name,
        deprecatedAndHidden: false,
        field: f.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: f.childRelationshipName ?? null,
        restrictedDelete: false
      }))
  );
  return {
    actionOverrides: [],
    activateable: false,
    childRelationships,
    compactLayoutable: true,
    createable: object.create,
    custom: def.custom,
    customSetting: false,
    deletable: object.delete,
    deprecatedAndHidden: false,
    feedEnabled: false,
    fields: [...def.fields.values()]
      .filter((f) => schema.access.fieldAccess(def.name, f.name).readable)
      .map((f) => describeField(schema, def, f)),
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: false,
    mruEnabled: true,
    name: def.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: object.read,
    recordTypeInfos: [],
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: object.delete,
    updateable: object.edit,
    urls: objectUrls(apiVersion, def.name)
  };
}

/** `GET /sobjects`: the describe-global list of the objects the user can read. */
export function describeGlobal(schema: Schema, apiVersion: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...schema.objects.values()]
      .filter((def) => schema.access.objectAccess(def.name).read)
      .map((def) => {
        const access = schema.access.objectAccess(def.name);
        return {
          activateable: false,
          createable: access.create,
          custom: def.custom,
          customSetting: false,
          deletable: access.delete,
          deprecatedAndHidden: false,
          feedEnabled: false,
          keyPrefix: def.keyPrefix,
          label: def.label,
          labelPlural: def.labelPlural,
          layoutable: true,
          mergeable: false,
          name: def.name,
          queryable: access.read,
          replicateable: true,
          retrieveable: true,
          searchable: true,
          triggerable: true,
          undeletable: access.delete,
          updateable: access.edit,
          urls: objectUrls(apiVersion, def.name)
        };
      })
  };
}

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { list, nodes, readMetadataXml } from '../metadata/xml.ts';
import type { XmlNode } from '../metadata/xml.ts';
import { createFieldDef } from './field-def.ts';
import {
  createStandardCatalog,
  owner,
  systemFields,
  customObjectViewFields
} from './standard-catalog.ts';
import { createAccessModel, readPermissionSet } from './access-model.ts';
import { readValidationRule } from './validation-rules.ts';
import { compileFormulaFields } from './formula-fields.ts';
import type { FieldDef, Schema, SObjectDef } from './types.ts';

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : undefined;
const flag = (v: unknown): boolean => text(v) === 'true';
const num = (v: unknown, fallback = 0): number => {
  const n = Number(text(v));
  return Number.isFinite(n) && text(v) !== undefined ? n : fallback;
};

/** Maps a CustomField metadata document to the describe shape the REST API would report. */
export function customFieldFromXml(node: XmlNode, fileName: string): FieldDef {
  const field = typedFieldFromXml(node, fileName);
  const formula = text(node.formula);
  // Formula fields: their result type, readable, never writable (formula-fields.ts computes them).
  return formula === undefined ? field : { ...field, formula, system: true };
}

function typedFieldFromXml(node: XmlNode, fileName: string): FieldDef {
  const name = text(node.fullName) ?? fileName;
  const label = text(node.label) ?? name;
  const type = text(node.type) ?? 'Text';
  const common = {
    label,
    custom: true,
    externalId: flag(node.externalId),
    unique: flag(node.unique),
    caseSensitive: flag(node.caseSensitive),
    required: flag(node.required)
  };
  switch (type) {
    case 'Text':
      return createFieldDef(name, 'string', {
        ...common,
        length: num(node.length, 255)
      });
    case 'TextArea':
      return createFieldDef(name, 'textarea', { ...common, length: 255 });
    case 'LongTextArea':
    case 'Html':
      return createFieldDef(name, 'textarea', {
        ...common,
        length: num(node.length, 32768),
        longText: true
      });
    case 'Number':
    case 'Percent':
    case 'Currency':
      return createFieldDef(
        name,
        type === 'Number'
          ? 'double'
          : type === 'Percent'
            ? 'percent'
            : 'currency',
        {
          ...common,
          precision: num(node.precision, 18),
          scale: num(node.scale, 0)
        }
      );
    case 'Checkbox':
      return createFieldDef(name, 'boolean', common);
    case 'Date':
      return createFieldDef(name, 'date', common);
    case 'DateTime':
      return createFieldDef(name, 'datetime', common);
    case 'Email':
    case 'Phone':
    case 'Url':
      return createFieldDef(
        name,
        type.toLowerCase() as 'email' | 'phone' | 'url',
        {
          ...common,
          length: type === 'Email' ? 80 : 255
        }
      );
    case 'Picklist': {
      const valueSet = nodes(node, 'valueSet')[0];
      const definition = nodes(valueSet, 'valueSetDefinition')[0];
      const values = nodes(definition, 'value');
      return createFieldDef(name, 'picklist', {
        ...common,
        restrictedPicklist: flag(valueSet?.restricted),
        picklistValues: values.map((v) => ({
          value: text(v.fullName) ?? '',
          label: text(v.label) ?? text(v.fullName) ?? '',
          defaultValue: flag(v.default)
        }))
      });
    }
    case 'Lookup':
    case 'MasterDetail': {
      const base = name.replace(/__c$/, '');
      const child = text(node.relationshipName);
      return createFieldDef(name, 'reference', {
        ...common,
        required: common.required || type === 'MasterDetail',
        referenceTo: list(node.referenceTo).map((r) => String(r)),
        relationshipName: `${base}__r`,
        childRelationshipName: child ? `${child}__r` : undefined
      });
    }
    case 'AutoNumber':
      return createFieldDef(name, 'string', {
        ...common,
        system: true,
        length: 30,
        autoNumber: { displayFormat: text(node.displayFormat) ?? '{0}' }
      });
    default:
      // Formula, roll-up and other computed types: readable, never writable.
      return createFieldDef(name, 'string', { ...common, system: true });
  }
}

function customObjectFromXml(
  name: string,
  node: XmlNode,
  keyPrefix: string
): SObjectDef {
  // Detail objects of a master-detail have no owner; the package has none, so every custom object gets one.
  const fields = new Map<string, FieldDef>(
    [...systemFields(), ...customObjectViewFields(), owner()].map((f) => [
      f.name,
      f
    ])
  );
  const nameField = nodes(node, 'nameField')[0] ?? {};
  const nameLabel = text(nameField.label) ?? 'Name';
  if (text(nameField.type) === 'AutoNumber') {
    fields.set(
      'Name',
      createFieldDef('Name', 'string', {
        label: nameLabel,
        custom: false,
        system: true,
        length: 80,
        autoNumber: { displayFormat: text(nameField.displayFormat) ?? '{0}' }
      })
    );
  } else {
    fields.set(
      'Name',
      createFieldDef('Name', 'string', {
        label: nameLabel,
        custom: false,
        length: 80
      })
    );
  }
  return {
    name,
    label: text(node.label) ?? name,
    labelPlural: text(node.pluralLabel) ?? name,
    keyPrefix,
    custom: true,
    fields
  };
}

/**
 * Name order without the `__c` / `__mdt` suffix, as Setup lists objects: `Scope_AR_Session__c` before its
 * child `Scope_AR_Session_Step__c` (plain code-unit order would put `_Step` first and move every prefix).
 */
function byApiNameWithoutSuffix(a: string, b: string): number {
  const bare = (name: string) => name.replace(/__[a-z]+$/, '');
  const x = bare(a);
  const y = bare(b);
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Custom object key prefixes: a0X, a0Y, a0Z, a10 … assigned in name order so Ids stay deterministic. */
function customPrefix(index: number): string {
  const alphabet =
    '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const n = alphabet.indexOf('X') + index;
  return `a${alphabet[Math.floor(n / alphabet.length)] ?? '0'}${alphabet[n % alphabet.length]}`;
}

export interface LoadSchemaOptions {
  metadataDir: string;
  permissionSet: string;
}

/** Reads objects, fields and the integration permission set from an SFDX source folder. */
export function loadSchema({
  metadataDir,
  permissionSet
}: LoadSchemaOptions): Schema {
  const objects = new Map<string, SObjectDef>();
  for (const def of createStandardCatalog()) objects.set(def.name, def);

  const objectsDir = join(metadataDir, 'objects');
  const folders = existsSync(objectsDir)
    ? readdirSync(objectsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort(byApiNameWithoutSuffix)
    : [];
  let customIndex = 0;
  for (const folder of folders) {
    const objectFile = join(objectsDir, folder, `${folder}.object-meta.xml`);
    let def = objects.get(folder);
    if (!def && folder.endsWith('__c') && existsSync(objectFile)) {
      def = customObjectFromXml(
        folder,
        readMetadataXml(objectFile, 'CustomObject'),
        customPrefix(customIndex++)
      );
      objects.set(folder, def);
    }
    if (!def) continue; // a standard object outside the catalog: nothing we emulate
    const fieldsDir = join(objectsDir, folder, 'fields');
    if (existsSync(fieldsDir)) {
      for (const file of readdirSync(fieldsDir)
        .filter((f) => f.endsWith('.field-meta.xml'))
        .sort()) {
        const field = customFieldFromXml(
          readMetadataXml(join(fieldsDir, file), 'CustomField'),
          file.replace('.field-meta.xml', '')
        );
        def.fields.set(field.name, field);
      }
    }
    // After the fields, so that formulas and rules can refer to every one of them.
    compileFormulaFields(def);
    const rulesDir = join(objectsDir, folder, 'validationRules');
    if (existsSync(rulesDir)) {
      const target = def;
      target.validationRules = readdirSync(rulesDir)
        .filter((f) => f.endsWith('.validationRule-meta.xml'))
        .sort()
        .map((file) =>
          readValidationRule(
            readMetadataXml(join(rulesDir, file), 'ValidationRule'),
            file.replace('.validationRule-meta.xml', ''),
            target
          )
        );
    }
  }

  const permissionFile = join(
    metadataDir,
    'permissionsets',
    `${permissionSet}.permissionset-meta.xml`
  );
  const parsedPermissions = existsSync(permissionFile)
    ? readPermissionSet(
        readMetadataXml(permissionFile, 'PermissionSet'),
        permissionSet
      )
    : null;

  const byLowerName = new Map(
    [...objects.values()].map((o) => [o.name.toLowerCase(), o])
  );
  const fieldIndex = new Map<SObjectDef, Map<string, FieldDef>>();
  const byPrefix = new Map([...objects.values()].map((o) => [o.keyPrefix, o]));
  return {
    objects,
    getObject: (name) => byLowerName.get(name.toLowerCase()),
    getField(object, name) {
      let index = fieldIndex.get(object);
      if (!index) {
        index = new Map(
          [...object.fields.values()].map((f) => [f.name.toLowerCase(), f])
        );
        fieldIndex.set(object, index);
      }
      return index.get(name.toLowerCase());
    },
    objectForId: (id) => byPrefix.get(id.slice(0, 3)),
    access: createAccessModel(objects, parsedPermissions)
  };
}

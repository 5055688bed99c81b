import type { Problem, XmlFile } from './read-project.ts';
import type {
  XmlNode,
  XmlValue
} from '../../sandboxes/salesforce/metadata/xml.ts';
import { list } from '../../sandboxes/salesforce/metadata/xml.ts';
import { ENUMS } from './enums.ts';
import type { ResolvedType } from './type-schema.ts';
import { describeType, elementType } from './type-schema.ts';

type Add = (rule: string, message: string) => void;

function checkPrimitive(
  type: string,
  value: XmlValue,
  path: string,
  add: Add
): void {
  // A value may carry attributes only, e.g. a custom metadata record's <value xsi:type="xsd:string">
  // or <value xsi:nil="true" />: its text is what the type describes.
  const attributesOnly =
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).every((k) => k.startsWith('@') || k === '#text');
  if (typeof value === 'object' && !attributesOnly) {
    add('schema', `<${path}> must be a ${type} value, not nested elements`);
    return;
  }
  const text = String(
    attributesOnly ? ((value as XmlNode)['#text'] ?? '') : value
  );
  if (type === 'boolean' && text !== 'true' && text !== 'false')
    add('schema', `<${path}> must be true or false, not "${text}"`);
  if (type === 'number' && !/^-?\d+(\.\d+)?$/.test(text))
    add('schema', `<${path}> must be a number, not "${text}"`);
}

function checkEnum(
  typeName: string,
  prop: string,
  value: XmlValue,
  path: string,
  add: Add
): void {
  const description = ENUMS[`${typeName}.${prop}`];
  if (!description || typeof value === 'object') return;
  const text = String(value);
  const items = description.commaSeparated
    ? text.split(',').map((v) => v.trim())
    : [text];
  for (const item of items.filter((v) => !description.values.has(v)))
    add(
      'enum',
      `<${path}> "${item}" is not a value of ${typeName}.${prop} (${description.doc})`
    );
}

function checkNode(
  type: ResolvedType,
  node: XmlNode,
  path: string,
  add: Add
): void {
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@') || key === '#text') continue; // attributes (xmlns, js-meta targets)
    const prop = type.props.get(key);
    if (!prop) {
      add(
        'schema',
        `unknown element <${key}> in <${path}> (type ${type.name}, described by ${type.sources.join(', ')})`
      );
      continue;
    }
    const element = elementType(prop);
    const occurrences = list(value);
    if (!element.repeated && occurrences.length > 1)
      add('schema', `<${path}.${key}> may appear only once`);
    for (const occurrence of occurrences) {
      if (element.primitive) {
        checkPrimitive(element.name, occurrence, `${path}.${key}`, add);
        checkEnum(type.name, key, occurrence, `${path}.${key}`, add);
        continue;
      }
      const child = describeType(element.name);
      if (!child) {
        add('schema', `no description of type ${element.name} (<${key}>)`);
        continue;
      }
      if (typeof occurrence !== 'object' || Array.isArray(occurrence)) {
        if (String(occurrence) !== '')
          add('schema', `<${path}.${key}> must hold ${element.name} elements`);
        continue;
      }
      checkNode(child, occurrence, `${path}.${key}`, add);
    }
  }
}

/**
 * Every element of every file is one its type declares, booleans and numbers are such, and
 * enumerated values are among those the Metadata API accepts.
 */
export function checkSchema(xml: readonly XmlFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const file of xml) {
    const add: Add = (rule, message) =>
      problems.push({ file: file.file, rule, message });
    const type = describeType(file.root);
    if (!type) {
      add(
        'schema',
        `no type description for <${file.root}>: describe it in scripts/metadata/type-additions.ts with its documentation page`
      );
      continue;
    }
    checkNode(type, file.body, file.root, add);
  }
  return problems;
}

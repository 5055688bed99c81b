// The one reader of force-app metadata XML, shared by the Salesforce sandbox (its schema comes from the
// package) and the metadata validator (scripts/metadata): one parser configuration, one node shape.
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlValue = string | number | boolean | XmlNode | XmlValue[];
export interface XmlNode {
  [key: string]: XmlValue;
}

/** A parsed document: its root element's name and content, or why it could not be read. */
export type ParsedXml =
  | { readonly ok: true; readonly root: string; readonly body: XmlNode }
  | { readonly ok: false; readonly message: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true
});

/** Parses a metadata document, checking it is well-formed. */
export function parseMetadataXml(source: string): ParsedXml {
  const valid = XMLValidator.validate(source);
  if (valid !== true)
    return {
      ok: false,
      message: `malformed XML at line ${valid.err.line}: ${valid.err.msg}`
    };
  const parsed = parser.parse(source) as XmlNode;
  const root = Object.keys(parsed).find((key) => !key.startsWith('?'));
  if (!root) return { ok: false, message: 'XML has no root element' };
  const body = parsed[root];
  return {
    ok: true,
    root,
    body: typeof body === 'object' && !Array.isArray(body) ? body : {}
  };
}

/** Reads a metadata file whose root element must be `root` (throws otherwise). */
export function readMetadataXml(path: string, root: string): XmlNode {
  const parsed = parseMetadataXml(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.message}`);
  if (parsed.root !== root)
    throw new Error(`${path}: missing <${root}> root element`);
  return parsed.body;
}

/** The value as an array (the parser gives a single child as a scalar or object). */
export function list(value: XmlValue | undefined): XmlValue[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** Child nodes of `node[key]` as objects. */
export function nodes(node: XmlNode | undefined, key: string): XmlNode[] {
  return list(node?.[key]).filter(
    (v): v is XmlNode => typeof v === 'object' && !Array.isArray(v)
  );
}

/** Text of `node[key]` ('' when absent). */
export function text(node: XmlNode | undefined, key: string): string {
  const value = node?.[key];
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
    ? String(value)
    : '';
}

/** Every text value of the repeated element `node[key]`. */
export function texts(node: XmlNode | undefined, key: string): string[] {
  return list(node?.[key]).map((v) => (typeof v === 'object' ? '' : String(v)));
}

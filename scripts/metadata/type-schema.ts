// Descriptions of the Metadata API types the package ships: jsforce's, generated from Salesforce's
// Metadata WSDL (node_modules/jsforce/lib/api/metadata/schema.js, an older API version), with the
// newer types and fields added by hand in type-additions.ts, each with its documentation page.
import { createRequire } from 'node:module';
import { TYPE_ADDITIONS } from './type-additions.ts';

/** 'string' | '?string' | 'boolean' | 'number' | a type name; ['Type'] for a repeated element. */
export type PropType = string | readonly [string];

export interface TypeDescription {
  readonly props: Readonly<Record<string, PropType>>;
  readonly extends?: string;
}

export interface ResolvedType {
  readonly name: string;
  /** Where the description comes from: jsforce, or the pages of the hand-written additions. */
  readonly sources: readonly string[];
  readonly props: ReadonlyMap<string, PropType>;
}

const require = createRequire(import.meta.url);
const JSFORCE_SCHEMA = 'jsforce/lib/api/metadata/schema.js';
const { ApiSchemas } = require(JSFORCE_SCHEMA) as {
  ApiSchemas: Record<string, TypeDescription>;
};

const cache = new Map<string, ResolvedType | undefined>();

/** The type with its inherited props and additions, or undefined when no source describes it. */
export function describeType(name: string): ResolvedType | undefined {
  if (cache.has(name)) return cache.get(name);
  const base = ApiSchemas[name];
  const addition = TYPE_ADDITIONS[name];
  if (!base && !addition) {
    cache.set(name, undefined);
    return undefined;
  }
  const props = new Map<string, PropType>();
  const sources: string[] = [];
  const parentName = addition?.extends ?? base?.extends;
  const parent = parentName ? describeType(parentName) : undefined;
  parent?.props.forEach((type, prop) => props.set(prop, type));
  if (base) {
    sources.push(JSFORCE_SCHEMA);
    Object.entries(base.props).forEach(([prop, type]) => props.set(prop, type));
  }
  if (addition) {
    sources.push(addition.doc);
    Object.entries(addition.props).forEach(([prop, type]) =>
      props.set(prop, type)
    );
  }
  const resolved = { name, sources, props };
  cache.set(name, resolved);
  return resolved;
}

const PRIMITIVES = new Set(['string', 'boolean', 'number', 'any']);

/** The element type of a prop ('string', 'ComponentInstance', …) and whether it repeats. */
export function elementType(type: PropType): {
  name: string;
  repeated: boolean;
  primitive: boolean;
} {
  const repeated = Array.isArray(type);
  const name = (repeated ? type[0] : (type as string)).replace(/^\?/, '');
  return { name, repeated, primitive: PRIMITIVES.has(name) };
}

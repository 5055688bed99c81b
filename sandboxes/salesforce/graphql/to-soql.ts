// Translates a record connection's `where`, `orderBy`, `first` and `after` into one SOQL statement for
// the sandbox's SOQL engine, so that field-level security, sharing and the filter semantics are the
// ones the REST query endpoint already applies.
import type { ASTNode } from 'graphql';
import {
  GraphQLRequestError,
  fieldUndefined,
  unsupported
} from './graphql-error.ts';
import type { ConnectionQuery, NodeSelection } from './uiapi-document.ts';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';

/** Salesforce's defaults for `first` (10 records) and its maximum (2,000). */
export const DEFAULT_FIRST = 10;
export const MAX_FIRST = 2000;

const OPERATORS: Record<string, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  gt: '>',
  lte: '<=',
  gte: '>=',
  like: 'LIKE',
  in: 'IN',
  nin: 'NOT IN'
};
const NUMERIC = new Set(['double', 'int', 'percent', 'currency']);
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_LITERAL = /^[A-Z_]+(:\d+)?$/;

interface Scope {
  schema: Schema;
  at: ASTNode;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const quote = (s: string) =>
  `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function invalid(scope: Scope, message: string): GraphQLRequestError {
  return new GraphQLRequestError(
    `Validation error of type WrongType: argument ${message}`,
    scope.at
  );
}

/** One value in SOQL syntax for this field's type: `{value: …}` and `{literal: TODAY}` included. */
function literal(scope: Scope, field: FieldDef, raw: unknown): string {
  let v = raw;
  if (isObject(v) && 'literal' in v) {
    const name = String(v.literal);
    if (!DATE_LITERAL.test(name))
      throw invalid(scope, `literal ${name} is not a date literal`);
    return name;
  }
  if (isObject(v) && 'value' in v) v = v.value;
  if (v === null) return 'null';
  if (field.type === 'boolean' && typeof v === 'boolean') return String(v);
  if (NUMERIC.has(field.type) && typeof v === 'number') return String(v);
  if (
    (field.type === 'date' || field.type === 'datetime') &&
    typeof v === 'string'
  ) {
    if (!DATE_VALUE.test(v))
      throw invalid(scope, `'${v}' is not a valid ${field.type}`);
    return v;
  }
  if (
    typeof v === 'string' &&
    field.type !== 'boolean' &&
    !NUMERIC.has(field.type)
  )
    return quote(v);
  throw invalid(
    scope,
    `${JSON.stringify(v)} does not fit field ${field.name} (${field.type})`
  );
}

function comparisons(
  scope: Scope,
  field: FieldDef,
  path: string,
  ops: unknown
): string[] {
  if (!isObject(ops))
    throw invalid(scope, `where.${field.name} must be an object of operators`);
  return Object.entries(ops).map(([op, value]) => {
    const soqlOp = OPERATORS[op];
    if (!soqlOp) throw unsupported(`the '${op}' operator`, scope.at);
    if (soqlOp === 'IN' || soqlOp === 'NOT IN') {
      if (!Array.isArray(value) || value.length === 0)
        throw invalid(scope, `${op} needs a non-empty list`);
      return `${path} ${soqlOp} (${value.map((v) => literal(scope, field, v)).join(', ')})`;
    }
    if (soqlOp === 'LIKE' && typeof value !== 'string')
      throw invalid(scope, 'like needs a string');
    return `${path} ${soqlOp} ${literal(scope, field, value)}`;
  });
}

/** A field or lookup the user may read, by its exact (case-sensitive, as in GraphQL) name. */
function readableField(scope: Scope, def: SObjectDef, name: string) {
  const field = scope.schema.getField(def, name);
  return field &&
    field.name === name &&
    scope.schema.access.fieldAccess(def.name, field.name).readable
    ? field
    : undefined;
}

function lookupNamed(scope: Scope, def: SObjectDef, name: string) {
  const { access } = scope.schema;
  const lookup = [...def.fields.values()].find(
    (f) =>
      f.type === 'reference' &&
      f.relationshipName === name &&
      access.fieldAccess(def.name, f.name).readable
  );
  const target = lookup?.referenceTo
    .map((t) => scope.schema.getObject(t))
    .find((t) => t && access.objectAccess(t.name).read);
  return lookup && target ? { lookup, target } : undefined;
}

/** A filter object: its keys are ANDed; `and`/`or` take lists, `not` one filter. */
function condition(
  scope: Scope,
  def: SObjectDef,
  filter: unknown,
  prefix: string
): string {
  if (!isObject(filter)) throw invalid(scope, `where must be an object`);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value) || value.length === 0)
        throw invalid(scope, `${key} needs a non-empty list`);
      const joined = value.map((f) => condition(scope, def, f, prefix));
      parts.push(`(${joined.join(` ${key.toUpperCase()} `)})`);
    } else if (key === 'not') {
      parts.push(`(NOT ${condition(scope, def, value, prefix)})`);
    } else {
      const field = readableField(scope, def, key);
      const parent = field ? undefined : lookupNamed(scope, def, key);
      if (field)
        parts.push(
          ...comparisons(scope, field, `${prefix}${field.name}`, value)
        );
      else if (parent)
        parts.push(
          `(${condition(scope, parent.target, value, `${prefix}${key}.`)})`
        );
      else
        throw fieldUndefined(
          key,
          `${def.name}_Filter`,
          ['uiapi', 'query', def.name, 'where'],
          scope.at
        );
    }
  }
  if (parts.length === 0) throw invalid(scope, 'where must name a field');
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
}

function ordering(
  scope: Scope,
  def: SObjectDef,
  orderBy: unknown,
  prefix: string
): string[] {
  if (!isObject(orderBy)) throw invalid(scope, 'orderBy must be an object');
  return Object.entries(orderBy).flatMap(([key, spec]) => {
    const field = readableField(scope, def, key);
    if (field) {
      if (!isObject(spec))
        throw invalid(scope, `orderBy.${key} must be {order, nulls}`);
      const order = spec.order ?? 'ASC';
      if (order !== 'ASC' && order !== 'DESC')
        throw invalid(scope, `order ${String(order)}`);
      const nulls =
        spec.nulls === undefined ? '' : ` NULLS ${String(spec.nulls)}`;
      if (nulls && spec.nulls !== 'FIRST' && spec.nulls !== 'LAST')
        throw invalid(scope, `nulls ${String(spec.nulls)}`);
      return [`${prefix}${field.name} ${order}${nulls}`];
    }
    const parent = lookupNamed(scope, def, key);
    if (parent) return ordering(scope, parent.target, spec, `${prefix}${key}.`);
    throw fieldUndefined(
      key,
      `${def.name}_OrderBy`,
      ['uiapi', 'query', def.name, 'orderBy'],
      scope.at
    );
  });
}

function selectList(
  node: NodeSelection,
  prefix: string,
  out: Set<string>
): void {
  out.add(`${prefix}Id`);
  for (const f of node.fields) out.add(`${prefix}${f.field.name}`);
  for (const p of node.parents)
    selectList(
      p.node,
      `${prefix}${p.lookup.relationshipName ?? p.lookup.name}.`,
      out
    );
}

/** `after` cursors are the offset of the last record seen, base64-encoded (`v1:<offset>`). */
export const encodeCursor = (offset: number) =>
  Buffer.from(`v1:${offset}`).toString('base64');

function offsetAfter(scope: Scope, after: unknown): number {
  if (after === undefined || after === null) return 0;
  const match = /^v1:(\d+)$/.exec(
    Buffer.from(String(after), 'base64').toString()
  );
  if (!match)
    throw invalid(
      scope,
      `after '${String(after)}' is not a cursor of this query`
    );
  return Number(match[1]) + 1;
}

export interface ConnectionSoql {
  soql: string;
  countSoql: string;
  first: number;
  offset: number;
}

export function connectionSoql(
  schema: Schema,
  query: ConnectionQuery
): ConnectionSoql {
  const scope: Scope = { schema, at: query.at };
  const { where, orderBy, first: rawFirst, after } = query.args;
  const first =
    rawFirst === undefined || rawFirst === null ? DEFAULT_FIRST : rawFirst;
  if (
    typeof first !== 'number' ||
    !Number.isInteger(first) ||
    first < 0 ||
    first > MAX_FIRST
  )
    throw invalid(scope, `first must be an integer from 0 to ${MAX_FIRST}`);
  const offset = offsetAfter(scope, after);
  const fields = new Set<string>(['Id']);
  for (const edge of query.edges)
    if (edge.node) selectList(edge.node, '', fields);
  const from = ` FROM ${query.def.name}`;
  const filter =
    where === undefined || where === null
      ? ''
      : ` WHERE ${condition(scope, query.def, where, '')}`;
  const sorted =
    orderBy === undefined || orderBy === null
      ? []
      : ordering(scope, query.def, orderBy, '');
  const order = sorted.length ? ` ORDER BY ${sorted.join(', ')}` : '';
  return {
    soql: `SELECT ${[...fields].join(', ')}${from}${filter}${order} LIMIT ${first}${offset ? ` OFFSET ${offset}` : ''}`,
    countSoql: `SELECT COUNT()${from}${filter}`,
    first,
    offset
  };
}

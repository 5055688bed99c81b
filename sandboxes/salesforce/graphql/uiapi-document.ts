// Reads a UI API GraphQL document (`query { uiapi { query { <Object>(where:…) { edges { node {…} } } } } }`)
// into plain descriptions of record connections, checked against the acting user's schema: an object or
// field the user may not read is undefined, exactly as in the org's per-user GraphQL schema.
import { Kind, parse, valueFromASTUntyped } from 'graphql';
import type {
  ASTNode,
  FieldNode,
  OperationDefinitionNode,
  SelectionSetNode,
  GraphQLError
} from 'graphql';
import {
  GraphQLRequestError,
  fieldUndefined,
  unsupported
} from './graphql-error.ts';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';

export interface FieldSelection {
  key: string;
  field: FieldDef;
  /** Output keys of `value` and `displayValue` (aliases kept). */
  parts: { key: string; part: 'value' | 'displayValue' }[];
}

export interface NodeSelection {
  def: SObjectDef;
  /** Output keys in selection order: GraphQL answers fields in the order they were asked for. */
  order: string[];
  idKeys: string[];
  typenameKeys: string[];
  fields: FieldSelection[];
  parents: { key: string; lookup: FieldDef; node: NodeSelection }[];
}

export interface ConnectionQuery {
  /** Output keys from `data` down to the connection: [uiapi, query, <Object or alias>]. */
  path: string[];
  def: SObjectDef;
  at: ASTNode;
  args: {
    where?: unknown;
    orderBy?: unknown;
    first?: unknown;
    after?: unknown;
  };
  edges: {
    key: string;
    nodeKey?: string;
    node?: NodeSelection;
    cursorKey?: string;
  }[];
  totalCountKeys: string[];
  pageInfo: { key: string; fields: { key: string; name: string }[] }[];
}

type Variables = Record<string, unknown>;

const keyOf = (field: FieldNode) => field.alias?.value ?? field.name.value;
const PAGE_INFO = [
  'hasNextPage',
  'hasPreviousPage',
  'startCursor',
  'endCursor'
];
const ARGUMENTS = ['where', 'orderBy', 'first', 'after'];

/** The fields of a selection set; fragments and directives are refused, not ignored. */
function fieldsOf(set: SelectionSetNode | undefined, at: ASTNode): FieldNode[] {
  if (!set)
    throw new GraphQLRequestError(
      'Validation error of type SubSelectionRequired: Sub selection required',
      at
    );
  return set.selections.map((selection) => {
    if (selection.kind !== Kind.FIELD)
      throw unsupported('fragments', selection);
    if (selection.directives?.length)
      throw unsupported('directives', selection.directives[0]);
    return selection;
  });
}

/** Parses the text and picks the operation to run (by name when the document holds several). */
export function readOperation(
  query: string,
  operationName?: string
): OperationDefinitionNode {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    const syntax = error as GraphQLError;
    const e = new GraphQLRequestError(
      `Invalid Syntax : ${syntax.message}`,
      undefined,
      'InvalidSyntax'
    );
    if (syntax.locations) e.entry.locations = [...syntax.locations];
    throw e;
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation)
    throw new GraphQLRequestError(
      operationName
        ? `Unknown operation named '${operationName}'.`
        : 'Must provide operation name if query contains multiple operations.',
      undefined
    );
  if (operation.operation !== 'query')
    throw unsupported(`${operation.operation} operations`, operation);
  return operation;
}

/** Variables as sent, with the operation's declared defaults for those not sent. */
export function withDefaults(
  operation: OperationDefinitionNode,
  variables: Variables
): Variables {
  const out: Variables = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (out[name] === undefined && definition.defaultValue)
      out[name] = valueFromASTUntyped(definition.defaultValue);
    if (out[name] === undefined && definition.type.kind === Kind.NON_NULL_TYPE)
      throw new GraphQLRequestError(
        `Variable '${name}' has an invalid value: null value for non-null type`,
        definition
      );
  }
  return out;
}

function fieldSelection(
  field: FieldDef,
  node: FieldNode,
  path: string[]
): FieldSelection {
  const parts = fieldsOf(node.selectionSet, node).map((sub) => {
    const name = sub.name.value;
    if (name !== 'value' && name !== 'displayValue')
      throw fieldUndefined(name, `${field.type}Value`, path, sub);
    return { key: keyOf(sub), part: name as 'value' | 'displayValue' };
  });
  return { key: keyOf(node), field, parts };
}

function readableField(schema: Schema, def: SObjectDef, name: string) {
  const field = schema.getField(def, name);
  return field &&
    field.name === name &&
    schema.access.fieldAccess(def.name, field.name).readable
    ? field
    : undefined;
}

function parentLookup(schema: Schema, def: SObjectDef, name: string) {
  const lookup = [...def.fields.values()].find(
    (f) => f.type === 'reference' && f.relationshipName === name
  );
  if (!lookup || !schema.access.fieldAccess(def.name, lookup.name).readable)
    return undefined;
  const target = lookup.referenceTo
    .map((t) => schema.getObject(t))
    .find((t) => t && schema.access.objectAccess(t.name).read);
  return target ? { lookup, target } : undefined;
}

/** `node { Id Name { value } Asset { Name { value } } }` of one object. */
export function nodeSelection(
  schema: Schema,
  def: SObjectDef,
  set: SelectionSetNode | undefined,
  at: ASTNode,
  path: string[]
): NodeSelection {
  const out: NodeSelection = {
    def,
    order: [],
    idKeys: [],
    typenameKeys: [],
    fields: [],
    parents: []
  };
  for (const node of fieldsOf(set, at)) {
    const name = node.name.value;
    out.order.push(keyOf(node));
    if (name === 'Id' && !node.selectionSet) out.idKeys.push(keyOf(node));
    else if (name === '__typename') out.typenameKeys.push(keyOf(node));
    else {
      const field = readableField(schema, def, name);
      const parent = field ? undefined : parentLookup(schema, def, name);
      if (field) out.fields.push(fieldSelection(field, node, [...path, name]));
      else if (parent)
        out.parents.push({
          key: keyOf(node),
          lookup: parent.lookup,
          node: nodeSelection(schema, parent.target, node.selectionSet, node, [
            ...path,
            name
          ])
        });
      else throw fieldUndefined(name, def.name, path, node);
    }
  }
  return out;
}

function connectionArgs(node: FieldNode, variables: Variables) {
  const args: ConnectionQuery['args'] = {};
  for (const argument of node.arguments ?? []) {
    const name = argument.name.value;
    if (!ARGUMENTS.includes(name))
      throw unsupported(`the '${name}' argument`, argument);
    args[name as keyof ConnectionQuery['args']] = valueFromASTUntyped(
      argument.value,
      variables
    );
  }
  return args;
}

/** `<Object>(…) { edges { node {…} cursor } totalCount pageInfo {…} }`. */
function connection(
  schema: Schema,
  node: FieldNode,
  path: string[],
  variables: Variables
): ConnectionQuery {
  const name = node.name.value;
  const def = schema.getObject(name);
  if (!def || def.name !== name || !schema.access.objectAccess(def.name).read)
    throw fieldUndefined(name, 'RecordQuery', ['uiapi', 'query'], node);
  const query: ConnectionQuery = {
    path: [...path, keyOf(node)],
    def,
    at: node,
    args: connectionArgs(node, variables),
    edges: [],
    totalCountKeys: [],
    pageInfo: []
  };
  const here = ['uiapi', 'query', name];
  for (const sub of fieldsOf(node.selectionSet, node)) {
    const subName = sub.name.value;
    if (subName === 'totalCount') query.totalCountKeys.push(keyOf(sub));
    else if (subName === 'pageInfo')
      query.pageInfo.push({
        key: keyOf(sub),
        fields: fieldsOf(sub.selectionSet, sub).map((f) => {
          if (!PAGE_INFO.includes(f.name.value))
            throw fieldUndefined(
              f.name.value,
              'PageInfo',
              [...here, 'pageInfo'],
              f
            );
          return { key: keyOf(f), name: f.name.value };
        })
      });
    else if (subName === 'edges')
      query.edges.push(edgesOf(schema, def, sub, here));
    else throw fieldUndefined(subName, `${name}Connection`, here, sub);
  }
  return query;
}

function edgesOf(
  schema: Schema,
  def: SObjectDef,
  sub: FieldNode,
  here: string[]
) {
  const edges: ConnectionQuery['edges'][number] = { key: keyOf(sub) };
  for (const e of fieldsOf(sub.selectionSet, sub)) {
    if (e.name.value === 'cursor') edges.cursorKey = keyOf(e);
    else if (e.name.value === 'node') {
      edges.nodeKey = keyOf(e);
      edges.node = nodeSelection(schema, def, e.selectionSet, e, [
        ...here,
        'edges',
        'node'
      ]);
    } else
      throw fieldUndefined(
        e.name.value,
        `${def.name}Edge`,
        [...here, 'edges'],
        e
      );
  }
  return edges;
}

/** Every record connection under `uiapi { query { … } }`; other UI API roots are refused. */
export function connectionQueries(
  schema: Schema,
  operation: OperationDefinitionNode,
  variables: Variables
): ConnectionQuery[] {
  const queries: ConnectionQuery[] = [];
  for (const root of fieldsOf(operation.selectionSet, operation)) {
    if (root.name.value !== 'uiapi')
      throw fieldUndefined(root.name.value, 'Query', [], root);
    for (const section of fieldsOf(root.selectionSet, root)) {
      if (section.name.value !== 'query')
        throw unsupported(`uiapi.${section.name.value}`, section);
      for (const node of fieldsOf(section.selectionSet, section))
        queries.push(
          connection(schema, node, [keyOf(root), keyOf(section)], variables)
        );
    }
  }
  return queries;
}

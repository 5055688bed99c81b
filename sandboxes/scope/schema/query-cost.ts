import {
  GraphQLError,
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql';
import { BOUNDED_CONNECTION_FIELDS, CALL_TYPE_NAME } from './undocumented.ts';

// Reference §3.5: every connection needs `first` or `last` (1–100), and one request may ask for at most
// 500,000 nodes, computed like GitHub's: the sum over connections of the product of the page sizes on
// the path to them. Checked before execution, so an over-limit query does no work. Scope's own clients
// (the api-demo README query, the Google Sheets importer) omit `first`, so the "first or last required"
// rule is an option (off by default); without it an omitted size counts as the default page size.

export const MAX_PAGE_SIZE = 100;

export interface CostRules {
  maxNodes: number;
  requireFirstOrLast: boolean;
  defaultPageSize: number;
  /** The Call type's current name: the exemption list names it `Call`. */
  callTypeName: string;
}

export interface QueryCost {
  nodes: number;
  errors: GraphQLError[];
}

function pageArgument(
  field: {
    arguments?: readonly {
      name: { value: string };
      value: Parameters<typeof valueFromASTUntyped>[0];
    }[];
  },
  name: string,
  variables: Record<string, unknown>
): unknown {
  const argument = field.arguments?.find((item) => item.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables) : undefined;
}

export function measureQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  rules: CostRules
): QueryCost {
  const { maxNodes } = rules;
  const errors: GraphQLError[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION)
      operations.push(definition);
  }
  const operation = operationName
    ? operations.find((item) => item.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return { nodes: 0, errors };
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : schema.getQueryType();
  let nodes = 0;

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    multiplier: number,
    seen: Set<string>
  ): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (type) walk(selection.selectionSet, type, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type)
          walk(
            fragment.selectionSet,
            type,
            multiplier,
            new Set([...seen, fragment.name.value])
          );
        continue;
      }
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const definition = parent.getFields()[selection.name.value];
      if (!definition || !selection.selectionSet) continue;
      const type = getNamedType(definition.type);
      let childMultiplier = multiplier;
      if (type.name.endsWith('Connection')) {
        const name = selection.name.value;
        const first = pageArgument(selection, 'first', variables);
        const last = pageArgument(selection, 'last', variables);
        const parentName =
          parent.name === rules.callTypeName ? CALL_TYPE_NAME : parent.name;
        const bounded = BOUNDED_CONNECTION_FIELDS.has(`${parentName}.${name}`);
        let size = bounded ? MAX_PAGE_SIZE : rules.defaultPageSize;
        if (first == null && last == null) {
          if (!bounded && rules.requireFirstOrLast) {
            errors.push(
              new GraphQLError(
                `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
                {
                  nodes: [selection]
                }
              )
            );
          }
        } else {
          for (const [argName, value] of [
            ['first', first],
            ['last', last]
          ] as const) {
            if (value == null) continue;
            if (
              typeof value !== 'number' ||
              value < 1 ||
              value > MAX_PAGE_SIZE
            ) {
              errors.push(
                new GraphQLError(
                  typeof value === 'number' && value > MAX_PAGE_SIZE
                    ? `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argName}\` limit of ${MAX_PAGE_SIZE} records.`
                    : `\`${argName}\` on the \`${name}\` connection must be between 1 and ${MAX_PAGE_SIZE}.`,
                  { nodes: [selection] }
                )
              );
            } else {
              size = value;
            }
          }
        }
        nodes += multiplier * size;
        childMultiplier = multiplier * size;
      }
      walk(selection.selectionSet, type, childMultiplier, seen);
    }
  };

  if (root) walk(operation.selectionSet, root, 1, new Set());
  if (nodes > maxNodes) {
    errors.push(
      new GraphQLError(
        `This query requests up to ${nodes.toLocaleString('en-US')} nodes which exceeds the maximum allowed of ${maxNodes.toLocaleString('en-US')}.`
      )
    );
  }
  return { nodes, errors };
}

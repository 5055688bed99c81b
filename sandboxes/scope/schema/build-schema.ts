import {
  GraphQLError,
  Kind,
  buildSchema,
  isInterfaceType,
  isObjectType,
  isScalarType,
  valueFromASTUntyped,
  type GraphQLSchema,
  type ValueNode
} from 'graphql';
import type { SandboxConfig } from '../options.ts';
import { createResolvers } from './resolvers.ts';
import { buildSdl } from './sdl.ts';

// A real graphql-js schema: SDL from sdl.ts, resolvers from resolvers.ts, scalars here.

function parseDateTime(value: unknown): number {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new GraphQLError(
      `DateTime cannot represent ${JSON.stringify(value)}: use ISO-8601.`
    );
  return time;
}

function serializeDateTime(value: unknown): string {
  if (typeof value === 'number') return new Date(value).toISOString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  throw new GraphQLError(`DateTime cannot serialize ${JSON.stringify(value)}.`);
}

export function createScopeSchema(
  options: SandboxConfig['schema']
): GraphQLSchema {
  const schema = buildSchema(buildSdl(options));
  const alphanumeric = new RegExp(options.alphanumericPattern);
  const parseAlphanumeric = (value: unknown): string => {
    if (
      (typeof value !== 'string' && typeof value !== 'number') ||
      !alphanumeric.test(String(value))
    ) {
      throw new GraphQLError(
        `Alphanumeric cannot represent a non-alphanumeric value: ${JSON.stringify(value)}`
      );
    }
    return String(value);
  };
  const scalars: Record<
    string,
    {
      serialize: (v: unknown) => unknown;
      parseValue: (v: unknown) => unknown;
      parseLiteral: (ast: ValueNode) => unknown;
    }
  > = {
    DateTime: {
      serialize: serializeDateTime,
      parseValue: parseDateTime,
      parseLiteral: (ast) =>
        parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined)
    },
    JSON: {
      serialize: (value) => value,
      parseValue: (value) => value,
      parseLiteral: (ast) => valueFromASTUntyped(ast)
    },
    Alphanumeric: {
      serialize: (value) => String(value),
      parseValue: parseAlphanumeric,
      parseLiteral: (ast) =>
        parseAlphanumeric(
          ast.kind === Kind.STRING || ast.kind === Kind.INT
            ? ast.value
            : undefined
        )
    }
  };
  for (const [name, implementation] of Object.entries(scalars)) {
    const type = schema.getType(name);
    if (isScalarType(type)) Object.assign(type, implementation);
  }
  const node = schema.getType('Node');
  if (isInterfaceType(node))
    node.resolveType = (value) => (value as { __typename: string }).__typename;
  for (const [typeName, fields] of Object.entries(createResolvers(options))) {
    const type = schema.getType(typeName);
    if (!isObjectType(type))
      throw new Error(`Resolvers for unknown type ${typeName}`);
    const definitions = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = definitions[fieldName];
      if (!field)
        throw new Error(`Resolver for unknown field ${typeName}.${fieldName}`);
      field.resolve = resolve as typeof field.resolve;
    }
  }
  return schema;
}

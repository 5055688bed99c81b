// What the tenant's GraphQL schema offers the sync, found by introspection (reference §3.1: GET or a
// normal query runs introspection) rather than guessed: an `updatedSince`-style argument on the root
// connections (Unknown 10), `updatedAt` on the node types, `totalCount`, and which optional fields the
// analytics selection may ask for.
import type { ScopeClient } from '../scope/index.ts';
import { TYPE_REF, namedType } from '../scope/call-schema.ts';
import type { TypeRef } from '../scope/call-schema.ts';

/** Argument names accepted as a "changed since" filter, in order of preference. */
export const SINCE_ARGUMENT_NAMES = [
  'updatedSince',
  'updatedAfter',
  'updatedAtFrom',
  'changedSince',
  'modifiedSince'
];

export interface ConnectionCapabilities {
  /** The root field exists on Query. */
  available: boolean;
  /** Name of a DateTime-like "changed since" argument, when the schema has one, and its type name. */
  sinceArgument?: string;
  sinceType?: string;
  totalCount: boolean;
}

export interface ScopeCapabilities {
  sessions: ConnectionCapabilities;
  /** rootField is null when the tenant has no calls root (or no Call type): calls are skipped. */
  calls: ConnectionCapabilities & { rootField: string | null };
  /**
   * Field names by type, for the optional parts of the analytics selection. The Call type's fields are
   * under `Call` whatever the tenant names the type.
   */
  fields: Record<string, ReadonlySet<string>>;
}

interface IntrospectedField {
  name: string;
  args?: { name: string; type: TypeRef }[];
  type: TypeRef;
}
interface IntrospectedType {
  name: string;
  fields: IntrospectedField[] | null;
}

const TYPE_NAMES = [
  'ScenarioSession',
  'ScenarioSessionEvent',
  'ScenarioSessionStep',
  'ScenarioRelease',
  'Scenario',
  'User',
  'Attachment',
  'CallParticipant'
];

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export interface CallNames {
  /** The Call type in use (scope client's callSchema()); null: calls are disabled. */
  typeName: string | null;
  rootField: string | null;
}

export async function detectCapabilities(
  scope: Pick<ScopeClient, 'execute'>,
  call: CallNames = { typeName: 'Call', rootField: 'calls' }
): Promise<ScopeCapabilities> {
  const typeNames = [
    ...TYPE_NAMES,
    ...(call.typeName && GRAPHQL_NAME.test(call.typeName)
      ? [call.typeName]
      : [])
  ];
  const aliases = typeNames
    .map((name, i) => `t${i}: __type(name: "${name}") { name fields { name } }`)
    .join('\n');
  const query = `query WorkLinkSyncIntrospection {
  query: __type(name: "Query") { name fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
  ${aliases}
}`;
  const result = await scope.execute<Record<string, IntrospectedType | null>>(
    'introspection',
    query
  );
  const data = result.data ?? {};
  const fields: Record<string, Set<string>> = {};
  typeNames.forEach((name, i) => {
    const names = new Set((data[`t${i}`]?.fields ?? []).map((f) => f.name));
    fields[name === call.typeName ? 'Call' : name] = names;
  });
  const rootFields = data.query?.fields ?? [];
  const connectionTypes = new Map<string, Set<string>>();
  const connection = (fieldName: string | null): ConnectionCapabilities => {
    const field =
      fieldName === null
        ? undefined
        : rootFields.find((f) => f.name === fieldName);
    if (!field) return { available: false, totalCount: false };
    const args = field.args ?? [];
    const since = SINCE_ARGUMENT_NAMES.map((name) =>
      args.find((a) => a.name === name)
    ).find(
      (a) => a !== undefined && /date|time/i.test(namedType(a.type) ?? '')
    );
    const typeName = namedType(field.type);
    return {
      available: true,
      ...(since
        ? {
            sinceArgument: since.name,
            sinceType: namedType(since.type) ?? 'DateTime'
          }
        : {}),
      totalCount: typeName
        ? (connectionTypes.get(typeName)?.has('totalCount') ?? false)
        : false
    };
  };
  // totalCount lives on the connection types: one more small query for their fields.
  const connectionNames = rootFields
    .filter((f) => f.name === 'scenarioSessions' || f.name === call.rootField)
    .map((f) => namedType(f.type))
    .filter((n): n is string => typeof n === 'string' && GRAPHQL_NAME.test(n));
  if (connectionNames.length > 0) {
    const more = await scope.execute<Record<string, IntrospectedType | null>>(
      'introspection',
      `query WorkLinkSyncConnections { ${connectionNames.map((n, i) => `c${i}: __type(name: "${n}") { name fields { name } }`).join(' ')} }`
    );
    connectionNames.forEach((n, i) =>
      connectionTypes.set(
        n,
        new Set((more.data?.[`c${i}`]?.fields ?? []).map((f) => f.name))
      )
    );
  }
  const rootField = call.typeName ? call.rootField : null;
  return {
    sessions: connection('scenarioSessions'),
    calls: { ...connection(rootField), rootField },
    fields
  };
}

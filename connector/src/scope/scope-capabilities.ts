// What the tenant's GraphQL schema offers, found by ONE introspection request (reference §3.1) and
// read here: the Call type and calls root (call-schema.ts), the fields of each type the worker and the
// sync select (for `updatedAt` and the sync's optional extras), and per root connection its
// "changed since" argument (Unknown 10) and `totalCount`. The Scope client runs it once and caches it;
// the worker's selections, the sync and `connector doctor` all read that one answer.
import type { ResourceKind } from '../contracts.ts';
import type { NodeSelection } from './build-node-query.ts';
import { TYPE_REF, namedType, resolveCallSchema } from './call-schema.ts';
import type {
  CallSchema,
  CallSchemaConfig,
  IntrospectedType,
  TypeRef
} from './call-schema.ts';
import type { Execute } from './scope-transport.ts';

/** Argument names accepted as a "changed since" filter, in order of preference. */
export const SINCE_ARGUMENT_NAMES = [
  'updatedSince',
  'updatedAfter',
  'updatedAtFrom',
  'changedSince',
  'modifiedSince'
];

/** Types whose fields the sync's analytics selection may use (sync-selection.ts). */
export const SYNC_TYPE_NAMES = [
  'ScenarioSession',
  'ScenarioSessionEvent',
  'ScenarioSessionStep',
  'ScenarioStep',
  'ScenarioSequence',
  'ScenarioRelease',
  'Scenario',
  'User',
  'Attachment',
  'CallParticipant'
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
  /** The Call type and calls root, configured or settled by this introspection. */
  callSchema: CallSchema;
  /** Field names of every introspected type the schema has, by GraphQL type name. */
  types: ReadonlyMap<string, ReadonlySet<string>>;
  sessions: ConnectionCapabilities;
  /** rootField is null when the tenant has no calls root (or no Call type): calls are skipped. */
  calls: ConnectionCapabilities & { rootField: string | null };
  /**
   * Field names by type, for the optional parts of the analytics selection. The Call type's fields are
   * under `Call` whatever the tenant names the type.
   */
  fields: Record<string, ReadonlySet<string>>;
}

/** What to ask: the session type, the Call type candidates, and every other type whose fields matter. */
export interface IntrospectionInput {
  call: CallSchemaConfig;
  candidates: readonly string[];
  sessionType: string;
  otherTypes: readonly string[];
}

interface QueryField {
  name: string;
  args?: { name: string; type: TypeRef }[];
  type: TypeRef & { fields?: { name: string }[] | null };
}
/** The answer: a type (or null) per t…/x… alias, and the Query type under `q`. */
export type CapabilitiesAnswer = {
  q?: { fields: QueryField[] | null } | null;
} & Record<
  string,
  IntrospectedType | { fields: QueryField[] | null } | null | undefined
>;

/** A type reference that also lists each level's fields (for the connection types' `totalCount`). */
const TYPE_REF_WITH_FIELDS =
  'name kind fields { name } ofType { name kind fields { name } ofType { name kind fields { name } ofType { name kind } } }';

/** t0 = the session type, t1… = the Call candidates (call-schema.ts), x… = the others, q = Query. */
export function buildCapabilitiesQuery(input: IntrospectionInput): {
  query: string;
  variables: Record<string, string>;
} {
  const variables: Record<string, string> = { t0: input.sessionType };
  input.candidates.forEach((name, i) => (variables[`t${i + 1}`] = name));
  input.otherTypes.forEach((name, i) => (variables[`x${i}`] = name));
  const names = Object.keys(variables);
  const types = names
    .map(
      (alias) => `  ${alias}: __type(name: $${alias}) { name fields { name } }`
    )
    .join('\n');
  // The operation name predates the sync's use of it; the sandbox's stats and tests count it by name.
  const query = `query WorkLinkOptionalFields(${names.map((n) => `$${n}: String!`).join(', ')}) {
${types}
  q: __type(name: "Query") { fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF_WITH_FIELDS} } } }
}`;
  return { query, variables };
}

function fieldSet(type: IntrospectedType | null | undefined): Set<string> {
  return new Set((type?.fields ?? []).map((f) => f.name));
}

/** The named type's fields at the end of a NON_NULL / LIST chain. */
function namedTypeFields(ref: QueryField['type'] | null | undefined) {
  let current: (TypeRef & { fields?: { name: string }[] | null }) | null =
    ref ?? null;
  while (current && !current.name) current = current.ofType ?? null;
  return current?.fields ?? [];
}

function connectionCapabilities(
  rootFields: readonly QueryField[],
  fieldName: string | null
): ConnectionCapabilities {
  const field =
    fieldName === null
      ? undefined
      : rootFields.find((f) => f.name === fieldName);
  if (!field) return { available: false, totalCount: false };
  const args = field.args ?? [];
  const since = SINCE_ARGUMENT_NAMES.map((name) =>
    args.find((a) => a.name === name)
  ).find((a) => a !== undefined && /date|time/i.test(namedType(a.type) ?? ''));
  return {
    available: true,
    ...(since
      ? {
          sinceArgument: since.name,
          sinceType: namedType(since.type) ?? 'DateTime'
        }
      : {}),
    totalCount: namedTypeFields(field.type).some((f) => f.name === 'totalCount')
  };
}

/** Reads the one introspection answer. */
export function readCapabilities(
  input: IntrospectionInput,
  data: CapabilitiesAnswer
): ScopeCapabilities {
  const callSchema = resolveCallSchema(
    input.call,
    input.candidates,
    input.candidates.map((_, i) => data[`t${i + 1}`]),
    data.q
  );
  const types = new Map<string, ReadonlySet<string>>();
  const asked: [string, string][] = [
    ['t0', input.sessionType],
    ...input.candidates.map((n, i): [string, string] => [`t${i + 1}`, n]),
    ...input.otherTypes.map((n, i): [string, string] => [`x${i}`, n])
  ];
  for (const [alias, name] of asked)
    if (data[alias]?.fields) types.set(name, fieldSet(data[alias]));
  const fields: Record<string, ReadonlySet<string>> = {};
  for (const name of SYNC_TYPE_NAMES)
    fields[name] = types.get(name) ?? new Set();
  if (callSchema.typeName)
    fields.Call = types.get(callSchema.typeName) ?? new Set();
  const rootFields = data.q?.fields ?? [];
  const rootField = callSchema.typeName ? callSchema.rootField : null;
  return {
    callSchema,
    types,
    sessions: connectionCapabilities(rootFields, 'scenarioSessions'),
    calls: { ...connectionCapabilities(rootFields, rootField), rootField },
    fields
  };
}

/** The one introspection request. */
export async function introspectScope(
  execute: Execute,
  input: IntrospectionInput
): Promise<ScopeCapabilities> {
  const { query, variables } = buildCapabilitiesQuery(input);
  const result = await execute<CapabilitiesAnswer>(
    'introspection',
    query,
    variables
  );
  return readCapabilities(input, result.data ?? {});
}

/** Runs `load` on first use and keeps its answer; a failure is not kept, so the next caller retries. */
export function cacheCapabilities(
  load: () => Promise<ScopeCapabilities>
): () => Promise<ScopeCapabilities> {
  let pending: Promise<ScopeCapabilities> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export const DEFAULT_OPTIONAL_FIELDS: Readonly<
  Record<ResourceKind, readonly string[]>
> = {
  ScenarioSession: ['updatedAt'],
  Call: ['updatedAt']
};

/** The selection with each wanted optional field the tenant's type has appended. */
export function withOptionalFields(
  selection: NodeSelection,
  available: ReadonlySet<string>,
  wanted: readonly string[]
): NodeSelection {
  const add = wanted.filter((field) => available.has(field));
  return add.length === 0
    ? selection
    : { ...selection, selection: `${selection.selection}  ${add.join(' ')}\n` };
}

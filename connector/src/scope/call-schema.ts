// The Call type and the calls root field are undocumented (reference §4 "Call / call session", §3.4,
// Unknown 8): configured by SCOPE_CALL_TYPE / SCOPE_CALLS_FIELD, otherwise found by introspection. The
// introspection is one request (the client's, with the optional-field detection) and its answer is
// read here: pure functions, so the rules are tested without a server.

/** Type names tried in order when SCOPE_CALL_TYPE is unset (the reference's suggestions). */
export const CALL_TYPE_CANDIDATES = [
  'Call',
  'CallSession',
  'RemoteAssistanceCall'
] as const;

export const DEFAULT_CALL_TYPE = 'Call';
export const DEFAULT_CALLS_FIELD = 'calls';

export interface CallSchemaConfig {
  /** SCOPE_CALL_TYPE */
  typeName?: string;
  /** SCOPE_CALLS_FIELD */
  rootField?: string;
}

export interface CallSchema {
  /** The Call type in use; null when the tenant has none: calls are disabled. */
  typeName: string | null;
  /** The root connection of calls; null when none is found: the sync skips calls. */
  rootField: string | null;
  /** How each was settled: configured, found by introspection, or assumed (introspection unavailable). */
  typeSource: 'configured' | 'discovered' | 'assumed';
  rootSource: 'configured' | 'discovered' | 'assumed';
  /** Field names of the Call type, when introspection answered. */
  fields?: ReadonlySet<string>;
  /** Why calls (or call paging) are off, for logs and `doctor`. */
  problems: string[];
}

export interface TypeRef {
  name: string | null;
  kind?: string;
  ofType?: TypeRef | null;
}

export interface IntrospectedRoot {
  fields: { name: string; type: TypeRef }[] | null;
}

export interface IntrospectedType {
  name?: string;
  fields: { name: string }[] | null;
}

export const TYPE_REF =
  'name kind ofType { name kind ofType { name kind ofType { name kind } } }';

export function namedType(ref: TypeRef | null | undefined): string | null {
  let current = ref;
  while (current && !current.name) current = current.ofType ?? null;
  return current?.name ?? null;
}

/** The type names to introspect: the configured one only, or every candidate. */
export function callTypeCandidates(config: CallSchemaConfig): string[] {
  return config.typeName ? [config.typeName] : [...CALL_TYPE_CANDIDATES];
}

/** Without introspection: the configured names, else the historical defaults. */
export function assumedCallSchema(config: CallSchemaConfig): CallSchema {
  return {
    typeName: config.typeName ?? DEFAULT_CALL_TYPE,
    rootField: config.rootField ?? DEFAULT_CALLS_FIELD,
    typeSource: config.typeName ? 'configured' : 'assumed',
    rootSource: config.rootField ? 'configured' : 'assumed',
    problems: []
  };
}

/**
 * Settles the Call type and root field from one introspection answer: `candidates[i]` was asked as
 * `types[i]`, `root` is the Query type (null when the server left it out: then the root is assumed).
 */
export function resolveCallSchema(
  config: CallSchemaConfig,
  candidates: readonly string[],
  types: readonly (IntrospectedType | null | undefined)[],
  root: IntrospectedRoot | null | undefined
): CallSchema {
  const found = candidates.findIndex((_, i) => Boolean(types[i]?.fields));
  // No Query type and no candidate: the server did not really answer the introspection (a proxy, a
  // stub); absence is only proven when it describes its Query type.
  if (found < 0 && !root?.fields) return assumedCallSchema(config);
  const typeName = found >= 0 ? (candidates[found] ?? null) : null;
  const problems: string[] = [];
  if (typeName === null) {
    problems.push(
      config.typeName
        ? `SCOPE_CALL_TYPE=${config.typeName} is not a type in the tenant's schema: calls are disabled`
        : `no Call type in the tenant's schema (tried ${candidates.join(', ')}): calls are disabled; set SCOPE_CALL_TYPE`
    );
  }
  const fields =
    found >= 0
      ? new Set((types[found]?.fields ?? []).map((f) => f.name))
      : undefined;
  const typeSource = config.typeName ? 'configured' : 'discovered';
  const rootFields = root?.fields;
  if (!rootFields) {
    return {
      typeName,
      rootField: typeName ? (config.rootField ?? DEFAULT_CALLS_FIELD) : null,
      typeSource,
      rootSource: config.rootField ? 'configured' : 'assumed',
      ...(fields ? { fields } : {}),
      problems
    };
  }
  let rootField: string | null = null;
  if (config.rootField) {
    if (rootFields.some((f) => f.name === config.rootField))
      rootField = config.rootField;
    else
      problems.push(
        `SCOPE_CALLS_FIELD=${config.rootField} is not a field of Query: the sync skips calls`
      );
  } else if (typeName) {
    // Relay naming (graphql-ruby's default): the root connection's type is `<Type>Connection`.
    rootField =
      rootFields.find((f) => namedType(f.type) === `${typeName}Connection`)
        ?.name ?? null;
    if (rootField === null)
      problems.push(
        `no Query field returns ${typeName}Connection: the sync skips calls; set SCOPE_CALLS_FIELD`
      );
  }
  return {
    typeName,
    rootField: typeName ? rootField : null,
    typeSource,
    rootSource: config.rootField ? 'configured' : 'discovered',
    ...(fields ? { fields } : {}),
    problems
  };
}

/** One line for logs and `doctor`. */
export function describeCallSchema(schema: CallSchema): string {
  if (schema.typeName === null) return schema.problems.join('; ');
  const root = schema.rootField
    ? `root field ${schema.rootField} (${schema.rootSource})`
    : 'no root field';
  const parts = [`Call type ${schema.typeName} (${schema.typeSource})`, root];
  return [parts.join(', '), ...schema.problems].join('; ');
}

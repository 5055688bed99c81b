import { ClientError, GraphQLClient } from 'graphql-request';
import type { ResourceKind } from '../contracts.ts';
import type { Logger } from '../logger.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import { buildNodeQuery, maxNodesPerRequest } from './build-node-query.ts';
import type { NodeSelection } from './build-node-query.ts';
import { CALL_NESTED_NODES, CALL_SELECTION, CALL_TYPE } from './call-fields.ts';
import {
  DEFAULT_CALL_TYPE,
  TYPE_REF,
  assumedCallSchema,
  callTypeCandidates,
  describeCallSchema,
  resolveCallSchema
} from './call-schema.ts';
import type {
  CallSchema,
  CallSchemaConfig,
  IntrospectedRoot,
  IntrospectedType
} from './call-schema.ts';
import { createScopeAuth } from './scope-auth.ts';
import type { ScopeAuthOptions } from './scope-auth.ts';
import { ScopeApiError, parseRetryAfter } from './scope-error.ts';
import {
  SESSION_NESTED_NODES,
  SESSION_SELECTION,
  SESSION_TYPE
} from './session-selection.ts';

export type ProcessingLogger = Pick<
  Logger,
  'debug' | 'info' | 'warn' | 'error'
>;

export interface ScopeClientOptions {
  /** e.g. https://cms.scopear.com; the GraphQL endpoint is /api/v3/graphql below it. */
  baseUrl: string;
  auth: ScopeAuthOptions;
  /** Company permalink; needed by super-admin tokens, harmless otherwise (reference §3.1). */
  permalink?: string;
  permalinkIn?: 'body' | 'query' | 'none';
  /** Sent as `PrivateAccessCode: Token token=…` when configured (older docs require it). */
  privateAccessCode?: string;
  /** Aliased nodes per GraphQL request (default 50). */
  fetchBatchSize?: number;
  timeoutMs?: number;
  selections?: Partial<Record<ResourceKind, NodeSelection>>;
  /** Call type name (SCOPE_CALL_TYPE); unset: discovered by introspection (call-schema.ts). */
  callTypeName?: string;
  /** Root connection field for calls (SCOPE_CALLS_FIELD, undocumented, reference §3.4); unset: discovered. */
  callsRootField?: string;
  /**
   * Fields selected only when the tenant's schema has them (found by one introspection request before
   * the first fetch). Default: `updatedAt` on both types, whose existence is Unknown.
   */
  optionalFields?: Partial<Record<ResourceKind, readonly string[]>>;
  /** Set false to skip that introspection (static selections; configured or default Call names). */
  detectOptionalFields?: boolean;
  metrics?: Pick<ProcessingMetrics, 'apiCall'>;
  logger?: ProcessingLogger;
}

export interface NodeRequest {
  id: string;
  kind: ResourceKind;
}

export type NodeResult =
  | { status: 'found'; node: Record<string, unknown> }
  /** node(id:) returned null without an authorization error: not (yet) visible. */
  | { status: 'not-found' }
  /** "Not authorized to read object": foreign or out-of-scope node. */
  | { status: 'forbidden'; reason: string }
  /** The node exists but is another type than the event said. */
  | { status: 'wrong-type'; typename: string }
  | { status: 'failed'; error: ScopeApiError };

export interface GraphQLResult<T> {
  data: T | null | undefined;
  errors: readonly {
    message: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

export interface Page {
  nodes: Record<string, unknown>[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ScopeClient {
  /** Fetches every id in as few requests as the batch size allows (one per kind and chunk). */
  fetchNodes(
    requests: readonly NodeRequest[]
  ): Promise<Map<string, NodeResult>>;
  /** `query { viewer { name } }`: proves the endpoint and the credentials. */
  ping(): Promise<{ viewerName: string | null }>;
  pageScenarioSessions(args: {
    first: number;
    after?: string | null;
  }): Promise<Page>;
  pageCalls(args: { first: number; after?: string | null }): Promise<Page>;
  /** The selections in use (after optional-field detection, once it ran). */
  currentSelections(): Promise<Readonly<Record<ResourceKind, NodeSelection>>>;
  /** The Call type and calls root in use (configured, or found by the same one introspection). */
  callSchema(): Promise<CallSchema>;
  /** Low level: one authenticated GraphQL request (re-signs in once on 401 with sign-in auth). */
  execute<T>(
    operation: string,
    query: string,
    variables?: Record<string, unknown>
  ): Promise<GraphQLResult<T>>;
  readonly selections: Readonly<Record<ResourceKind, NodeSelection>>;
}

export const DEFAULT_SELECTIONS: Readonly<Record<ResourceKind, NodeSelection>> =
  {
    ScenarioSession: {
      typeName: SESSION_TYPE,
      selection: SESSION_SELECTION,
      nestedNodes: SESSION_NESTED_NODES
    },
    Call: {
      typeName: CALL_TYPE,
      selection: CALL_SELECTION,
      nestedNodes: CALL_NESTED_NODES
    }
  };

const NOT_AUTHORIZED = /not authori[sz]ed/i;
/** Messages graphql-js / graphql-ruby give when a document does not fit the schema. */
const VALIDATION_MESSAGE =
  /doesn't exist on type|Cannot query field|Unknown (argument|type|fragment)|Syntax Error|Parse error|must have (a )?selections|isn't a defined input type|was provided invalid value|of required type .* was not provided|Fragment .* cannot be spread/i;
const VALIDATION_CODES = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'undefinedField',
  'argumentNotAccepted'
]);

function isValidationError(error: {
  message: string;
  extensions?: Record<string, unknown>;
}): boolean {
  const code = error.extensions?.code;
  return (
    (typeof code === 'string' && VALIDATION_CODES.has(code)) ||
    VALIDATION_MESSAGE.test(error.message)
  );
}

export const DEFAULT_OPTIONAL_FIELDS: Readonly<
  Record<ResourceKind, readonly string[]>
> = {
  ScenarioSession: ['updatedAt'],
  Call: ['updatedAt']
};

export function createScopeClient(options: ScopeClientOptions): ScopeClient {
  const auth = createScopeAuth(options.auth);
  const selections: Record<ResourceKind, NodeSelection> = {
    ...DEFAULT_SELECTIONS,
    ...options.selections
  };
  const batchSize = options.fetchBatchSize ?? 50;
  const permalinkIn = options.permalinkIn ?? 'body';
  const endpoint = new URL('/api/v3/graphql', options.baseUrl);
  if (options.permalink && permalinkIn === 'query')
    endpoint.searchParams.set('permalink', options.permalink);
  const permalink = permalinkIn === 'body' ? options.permalink : undefined;

  const client = new GraphQLClient(endpoint.toString(), {
    errorPolicy: 'all',
    // The demo sends `permalink` next to query and variables in the JSON body (reference §3.1).
    jsonSerializer: {
      stringify: (value: unknown) =>
        JSON.stringify(
          permalink &&
            typeof value === 'object' &&
            value !== null &&
            !Array.isArray(value)
            ? { permalink, ...value }
            : value
        ),
      parse: (text: string) => JSON.parse(text) as unknown
    }
  });

  const send = async <T>(
    operation: string,
    query: string,
    variables: Record<string, unknown>,
    authorization: string
  ) => {
    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json'
    };
    if (options.privateAccessCode)
      headers.privateaccesscode = `Token token=${options.privateAccessCode}`;
    try {
      const response = await client.rawRequest<T>({
        query,
        variables,
        requestHeaders: headers,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000)
      });
      options.metrics?.apiCall('scope', operation, response.status);
      return response;
    } catch (error) {
      if (error instanceof ClientError) {
        const status = error.response.status;
        options.metrics?.apiCall('scope', operation, status);
        throw new ScopeApiError(
          `Scope GraphQL ${operation} answered HTTP ${status}`,
          {
            kind: status === 401 || status === 403 ? 'auth' : 'http',
            status,
            retryAfterSeconds: parseRetryAfter(
              error.response.headers?.get?.('retry-after')
            ),
            cause: error
          }
        );
      }
      options.metrics?.apiCall('scope', operation, 'network');
      const message = error instanceof Error ? error.message : String(error);
      throw new ScopeApiError(`Scope GraphQL ${operation} failed: ${message}`, {
        kind: 'network',
        cause: error
      });
    }
  };

  const execute = async <T>(
    operation: string,
    query: string,
    variables: Record<string, unknown> = {}
  ): Promise<GraphQLResult<T>> => {
    let authorization = await auth.authorization();
    let response;
    try {
      response = await send<T>(operation, query, variables, authorization);
    } catch (error) {
      if (
        !(error instanceof ScopeApiError) ||
        error.status !== 401 ||
        !auth.invalidate(authorization)
      )
        throw error;
      options.logger?.info(
        { operation },
        'Scope answered 401: signing in again'
      );
      authorization = await auth.authorization();
      response = await send<T>(operation, query, variables, authorization);
    }
    const errors = (response.errors ?? []).map((e) => ({
      message: e.message,
      path: e.path,
      extensions: e.extensions
    }));
    if (response.data === null || response.data === undefined) {
      const message = errors.map((e) => e.message).join('; ') || 'no data';
      const kind = errors.some(isValidationError) ? 'schema' : 'graphql';
      throw new ScopeApiError(
        `Scope ${kind === 'schema' ? 'rejected the' : 'failed the'} ${operation} query: ${message}`,
        {
          kind,
          status: 200
        }
      );
    }
    return { data: response.data, errors };
  };

  const fetchChunk = async (
    kind: ResourceKind,
    ids: readonly string[],
    results: Map<string, NodeResult>
  ) => {
    const selection = selections[kind];
    const { query, variables, aliases } = buildNodeQuery(ids, selection);
    let result: GraphQLResult<Record<string, unknown>>;
    try {
      result = await execute<Record<string, unknown>>(
        'fetchNodes',
        query,
        variables
      );
    } catch (error) {
      const failure =
        error instanceof ScopeApiError
          ? error
          : new ScopeApiError(String(error), { kind: 'network', cause: error });
      for (const id of ids)
        results.set(id, { status: 'failed', error: failure });
      return;
    }
    ids.forEach((id, i) => {
      const alias = aliases[i] as string;
      const value = result.data?.[alias];
      const aliasErrors = result.errors.filter((e) => e.path?.[0] === alias);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const node = value as Record<string, unknown>;
        const typename =
          typeof node.__typename === 'string'
            ? node.__typename
            : selection.typeName;
        results.set(
          id,
          typename === selection.typeName
            ? { status: 'found', node }
            : { status: 'wrong-type', typename }
        );
      } else if (aliasErrors.some((e) => NOT_AUTHORIZED.test(e.message))) {
        results.set(id, {
          status: 'forbidden',
          reason: aliasErrors.map((e) => e.message).join('; ')
        });
      } else if (aliasErrors.length > 0) {
        const message = aliasErrors.map((e) => e.message).join('; ');
        results.set(id, {
          status: 'failed',
          error: new ScopeApiError(`Scope could not resolve node: ${message}`, {
            kind: 'graphql',
            status: 200
          })
        });
      } else {
        results.set(id, { status: 'not-found' });
      }
    });
  };

  const page = async (
    operation: string,
    field: string,
    kind: ResourceKind,
    args: { first: number; after?: string | null }
  ) => {
    await ready();
    const selection = selections[kind];
    const query = `query WorkLinkPage($first: Int!, $after: String) {
  page: ${field}(first: $first, after: $after) { nodes { __typename ...Fields } pageInfo { hasNextPage endCursor } }
}
fragment Fields on ${selection.typeName} {${selection.selection}}
`;
    const first = Math.min(100, Math.max(1, args.first));
    const result = await execute<{
      page: {
        nodes: Record<string, unknown>[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      } | null;
    }>(operation, query, { first, after: args.after ?? null });
    const connection = result.data?.page;
    return {
      nodes: (connection?.nodes ?? []).filter(
        (n): n is Record<string, unknown> => n !== null && typeof n === 'object'
      ),
      hasNextPage: connection?.pageInfo.hasNextPage ?? false,
      endCursor: connection?.pageInfo.endCursor ?? null
    };
  };

  const callConfig: CallSchemaConfig = {
    typeName: options.callTypeName,
    rootField: options.callsRootField
  };
  let callSchema: CallSchema = assumedCallSchema(callConfig);
  selections.Call = {
    ...selections.Call,
    typeName: callSchema.typeName ?? DEFAULT_CALL_TYPE
  };

  /**
   * One introspection request before the first use: the Call type and calls root (when not configured),
   * and the optional fields (`updatedAt`) each type has. Cached, also when it fails: the configured or
   * default names and the static selections are then used as they are.
   */
  const introspect = async (): Promise<void> => {
    if (options.detectOptionalFields === false) return;
    const candidates = callTypeCandidates(callConfig);
    const query = `query WorkLinkOptionalFields($t0: String!, ${candidates.map((_, i) => `$t${i + 1}: String!`).join(', ')}) {
  t0: __type(name: $t0) { fields { name } }
${candidates.map((_, i) => `  t${i + 1}: __type(name: $t${i + 1}) { name fields { name } }`).join('\n')}
  q: __type(name: "Query") { fields { name type { ${TYPE_REF} } } }
}`;
    const variables: Record<string, string> = {
      t0: selections.ScenarioSession.typeName
    };
    candidates.forEach((name, i) => {
      variables[`t${i + 1}`] = name;
    });
    try {
      const result = await execute<
        Record<string, (IntrospectedType & IntrospectedRoot) | null>
      >('introspectOptionalFields', query, variables);
      const data = result.data ?? {};
      callSchema = resolveCallSchema(
        callConfig,
        candidates,
        candidates.map((_, i) => data[`t${i + 1}`]),
        data.q
      );
      const available: Record<ResourceKind, ReadonlySet<string>> = {
        ScenarioSession: new Set((data.t0?.fields ?? []).map((f) => f.name)),
        Call: callSchema.fields ?? new Set()
      };
      if (callSchema.typeName)
        selections.Call = { ...selections.Call, typeName: callSchema.typeName };
      for (const kind of Object.keys(selections) as ResourceKind[]) {
        const wanted =
          options.optionalFields?.[kind] ?? DEFAULT_OPTIONAL_FIELDS[kind];
        const add = wanted.filter((field) => available[kind].has(field));
        if (add.length > 0)
          selections[kind] = {
            ...selections[kind],
            selection: `${selections[kind].selection}  ${add.join(' ')}\n`
          };
      }
      const log = callSchema.problems.length > 0 ? 'warn' : 'info';
      options.logger?.[log](
        { callSchema: describeCallSchema(callSchema) },
        'Scope schema introspected'
      );
    } catch (error) {
      // Not fatal: the documented selection still works; Scope_Updated_At__c then comes from the timestamps.
      options.logger?.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'Scope introspection failed: optional fields not selected, Call type assumed'
      );
    }
  };
  let detection: Promise<void> | undefined;
  const ready = (): Promise<void> => (detection ??= introspect());
  const callsDisabled = () =>
    new ScopeApiError(
      `Scope calls are disabled: ${callSchema.problems.join('; ')}`,
      { kind: 'schema', status: 200 }
    );

  return {
    selections,
    async currentSelections() {
      await ready();
      return selections;
    },
    async callSchema() {
      await ready();
      return callSchema;
    },
    execute,
    async fetchNodes(requests) {
      await ready();
      const results = new Map<string, NodeResult>();
      const byKind = new Map<ResourceKind, string[]>();
      for (const { id, kind } of requests) {
        if (kind === 'Call' && callSchema.typeName === null) {
          results.set(id, { status: 'failed', error: callsDisabled() });
          continue;
        }
        const ids = byKind.get(kind) ?? [];
        if (!ids.includes(id)) ids.push(id);
        byKind.set(kind, ids);
      }
      const chunks: [ResourceKind, string[]][] = [];
      for (const [kind, ids] of byKind) {
        const size = maxNodesPerRequest(batchSize, selections[kind]);
        for (let i = 0; i < ids.length; i += size)
          chunks.push([kind, ids.slice(i, i + size)]);
      }
      await Promise.all(
        chunks.map(([kind, ids]) => fetchChunk(kind, ids, results))
      );
      return results;
    },
    async ping() {
      const result = await execute<{ viewer: { name?: string | null } | null }>(
        'ping',
        'query WorkLinkPing { viewer { name } }'
      );
      return { viewerName: result.data?.viewer?.name ?? null };
    },
    pageScenarioSessions: (args) =>
      page('pageScenarioSessions', 'scenarioSessions', 'ScenarioSession', args),
    async pageCalls(args) {
      await ready();
      if (!callSchema.rootField) throw callsDisabled();
      return page('pageCalls', callSchema.rootField, 'Call', args);
    }
  };
}

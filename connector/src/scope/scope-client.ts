// The Scope client the worker, the sync and `doctor` share: the transport (scope-transport.ts: send,
// re-auth, typed errors) and the queries (scope-queries.ts: nodes by id, connection pages, viewer) put
// together with the selections in use, which the one cached introspection (scope-capabilities.ts)
// settles before the first use: the Call type and root, and `updatedAt` where the tenant has it.
import type { ResourceKind } from '../contracts.ts';
import type { Logger } from '../logger.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import type { NodeSelection } from './build-node-query.ts';
import { CALL_NESTED_NODES, CALL_SELECTION, CALL_TYPE } from './call-fields.ts';
import {
  DEFAULT_CALL_TYPE,
  assumedCallSchema,
  callTypeCandidates,
  describeCallSchema
} from './call-schema.ts';
import type { CallSchema, CallSchemaConfig } from './call-schema.ts';
import {
  DEFAULT_OPTIONAL_FIELDS,
  SYNC_TYPE_NAMES,
  cacheCapabilities,
  introspectScope,
  withOptionalFields
} from './scope-capabilities.ts';
import type {
  IntrospectionInput,
  ScopeCapabilities
} from './scope-capabilities.ts';
import { createScopeAuth } from './scope-auth.ts';
import type { ScopeAuthOptions } from './scope-auth.ts';
import { ScopeApiError } from './scope-error.ts';
import {
  buildPageQuery,
  fetchNodes,
  pingScope,
  requestPage
} from './scope-queries.ts';
import type { NodeRequest, NodeResult, Page } from './scope-queries.ts';
import { createScopeTransport } from './scope-transport.ts';
import { withStepSelection } from './step-selection.ts';
import type { Execute } from './scope-transport.ts';
import {
  SESSION_NESTED_NODES,
  SESSION_SELECTION,
  SESSION_TYPE
} from './session-selection.ts';

export type { NodeRequest, NodeResult, Page } from './scope-queries.ts';
export type { GraphQLResult } from './scope-transport.ts';
export { DEFAULT_OPTIONAL_FIELDS } from './scope-capabilities.ts';

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
  /**
   * Set false to fetch with static selections and the configured or default Call names: no
   * introspection before fetching or paging (`capabilities()` still introspects when asked).
   */
  detectOptionalFields?: boolean;
  metrics?: Pick<ProcessingMetrics, 'apiCall'>;
  logger?: ProcessingLogger;
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
  /** What the tenant's schema offers (the one introspection, cached once it succeeded). */
  capabilities(): Promise<ScopeCapabilities>;
  /** Low level: one authenticated GraphQL request (re-signs in once on 401 with sign-in auth). */
  execute: Execute;
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

/** What the client settles once: the selections in use and the Call names (mutated in place). */
interface ClientState {
  selections: Record<ResourceKind, NodeSelection>;
  callSchema: CallSchema;
}

function initialState(
  options: ScopeClientOptions,
  callConfig: CallSchemaConfig
): ClientState {
  const callSchema = assumedCallSchema(callConfig);
  const selections = { ...DEFAULT_SELECTIONS, ...options.selections };
  selections.Call = {
    ...selections.Call,
    typeName: callSchema.typeName ?? DEFAULT_CALL_TYPE
  };
  return { selections, callSchema };
}

/** Applies the introspection to the state: Call names, then the optional fields each type has. */
function applyCapabilities(
  state: ClientState,
  capabilities: ScopeCapabilities,
  options: ScopeClientOptions
): void {
  const { callSchema } = capabilities;
  state.callSchema = callSchema;
  const sessionType = state.selections.ScenarioSession.typeName;
  const available: Record<ResourceKind, ReadonlySet<string>> = {
    ScenarioSession: capabilities.types.get(sessionType) ?? new Set(),
    Call: callSchema.fields ?? new Set()
  };
  if (callSchema.typeName)
    state.selections.Call = {
      ...state.selections.Call,
      typeName: callSchema.typeName
    };
  for (const kind of Object.keys(state.selections) as ResourceKind[])
    state.selections[kind] = withOptionalFields(
      state.selections[kind],
      available[kind],
      options.optionalFields?.[kind] ?? DEFAULT_OPTIONAL_FIELDS[kind]
    );
  state.selections.ScenarioSession = withStepSelection(
    state.selections.ScenarioSession,
    capabilities.types
  );
  const log = callSchema.problems.length > 0 ? 'warn' : 'info';
  options.logger?.[log](
    { callSchema: describeCallSchema(callSchema) },
    'Scope schema introspected'
  );
}

/**
 * Before the first fetch or page: the introspection applied, once, also when it fails (the configured
 * or default names and the static selections are then used as they are).
 */
async function settle(
  state: ClientState,
  capabilities: () => Promise<ScopeCapabilities>,
  options: ScopeClientOptions
): Promise<void> {
  if (options.detectOptionalFields === false) return;
  try {
    applyCapabilities(state, await capabilities(), options);
  } catch (error) {
    // Not fatal: the documented selection still works; Scope_Updated_At__c then comes from the timestamps.
    options.logger?.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'Scope introspection failed: optional fields not selected, Call type assumed'
    );
  }
}

function introspectionInput(
  state: ClientState,
  callConfig: CallSchemaConfig
): IntrospectionInput {
  const callType = state.selections.Call.typeName;
  return {
    call: callConfig,
    candidates: callTypeCandidates(callConfig),
    sessionType: state.selections.ScenarioSession.typeName,
    otherTypes: SYNC_TYPE_NAMES.includes(callType)
      ? SYNC_TYPE_NAMES
      : [...SYNC_TYPE_NAMES, callType]
  };
}

function callsDisabled(schema: CallSchema): ScopeApiError {
  return new ScopeApiError(
    `Scope calls are disabled: ${schema.problems.join('; ')}`,
    { kind: 'schema', status: 200 }
  );
}

/** Calls answer "disabled" without a request when the tenant has no Call type; the rest is fetched. */
async function fetchResolvable(
  execute: Execute,
  state: ClientState,
  batchSize: number,
  requests: readonly NodeRequest[]
): Promise<Map<string, NodeResult>> {
  const disabled = state.callSchema.typeName === null;
  const results = new Map<string, NodeResult>();
  for (const { id, kind } of requests)
    if (disabled && kind === 'Call')
      results.set(id, {
        status: 'failed',
        error: callsDisabled(state.callSchema)
      });
  const fetched = await fetchNodes(
    execute,
    state.selections,
    batchSize,
    requests.filter((r) => !(disabled && r.kind === 'Call'))
  );
  for (const [id, result] of fetched) results.set(id, result);
  return results;
}

/** One page of a root connection in the client's selection (first capped to 1–100). */
async function pageOf(
  execute: Execute,
  operation: string,
  rootField: string,
  selection: NodeSelection,
  args: { first: number; after?: string | null }
): Promise<Page> {
  const query = buildPageQuery({
    name: 'WorkLinkPage',
    rootField,
    typeName: selection.typeName,
    fragments: [{ name: 'Fields', selection: selection.selection }]
  });
  const first = Math.min(100, Math.max(1, args.first));
  const { page } = await requestPage(execute, operation, query, {
    first,
    after: args.after ?? null
  });
  return page ?? { nodes: [], hasNextPage: false, endCursor: null };
}

export function createScopeClient(options: ScopeClientOptions): ScopeClient {
  const execute = createScopeTransport({
    ...options,
    auth: createScopeAuth(options.auth)
  });
  const callConfig: CallSchemaConfig = {
    typeName: options.callTypeName,
    rootField: options.callsRootField
  };
  const state = initialState(options, callConfig);
  const input = introspectionInput(state, callConfig);
  const capabilities = cacheCapabilities(() => introspectScope(execute, input));
  let settled: Promise<void> | undefined;
  const ready = () => (settled ??= settle(state, capabilities, options));
  const batchSize = options.fetchBatchSize ?? 50;
  return {
    selections: state.selections,
    execute,
    capabilities,
    currentSelections: async () => (await ready(), state.selections),
    callSchema: async () => (await ready(), state.callSchema),
    fetchNodes: async (requests) => {
      await ready();
      return fetchResolvable(execute, state, batchSize, requests);
    },
    ping: () => pingScope(execute),
    pageScenarioSessions: async (args) => {
      await ready();
      const selection = state.selections.ScenarioSession;
      return pageOf(
        execute,
        'pageScenarioSessions',
        'scenarioSessions',
        selection,
        args
      );
    },
    pageCalls: async (args) => {
      await ready();
      if (!state.callSchema.rootField) throw callsDisabled(state.callSchema);
      return pageOf(
        execute,
        'pageCalls',
        state.callSchema.rootField,
        state.selections.Call,
        args
      );
    }
  };
}

// The Scope queries over the transport: nodes by id (aliased `node(id:)` requests, chunked to the
// node budget, each id's outcome told apart: found, not found, not authorized, another type, failed),
// one page of a root connection (the one paging request of the client and the sync), and `viewer`.
import type { ResourceKind } from '../contracts.ts';
import { buildNodeQuery, maxNodesPerRequest } from './build-node-query.ts';
import type { NodeSelection } from './build-node-query.ts';
import { ScopeApiError } from './scope-error.ts';
import type {
  Execute,
  GraphQLError,
  GraphQLResult
} from './scope-transport.ts';

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

/** One page of a root connection: the nodes (nulls dropped) and where the next page starts. */
export interface Page {
  nodes: Record<string, unknown>[];
  hasNextPage: boolean;
  endCursor: string | null;
}

const NOT_AUTHORIZED = /not authori[sz]ed/i;

/** Any thrown value as a ScopeApiError (a non-Scope error counts as a network failure). */
export function asScopeApiError(error: unknown): ScopeApiError {
  return error instanceof ScopeApiError
    ? error
    : new ScopeApiError(String(error), { kind: 'network', cause: error });
}

/**
 * The outcome of an alias whose value was null: not authorized, failed with another error, or simply
 * not found (node(id:) answers null for an id it does not know).
 */
export function missingAliasOutcome(
  alias: string,
  errors: readonly GraphQLError[]
):
  | { status: 'not-found' }
  | { status: 'forbidden'; reason: string }
  | { status: 'failed'; error: ScopeApiError } {
  const aliasErrors = errors.filter((e) => e.path?.[0] === alias);
  const message = aliasErrors.map((e) => e.message).join('; ');
  if (aliasErrors.some((e) => NOT_AUTHORIZED.test(e.message)))
    return { status: 'forbidden', reason: message };
  if (aliasErrors.length > 0)
    return {
      status: 'failed',
      error: new ScopeApiError(`Scope could not resolve node: ${message}`, {
        kind: 'graphql',
        status: 200
      })
    };
  return { status: 'not-found' };
}

function nodeOutcome(
  value: unknown,
  alias: string,
  result: GraphQLResult<Record<string, unknown>>,
  typeName: string
): NodeResult {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return missingAliasOutcome(alias, result.errors);
  const node = value as Record<string, unknown>;
  const typename =
    typeof node.__typename === 'string' ? node.__typename : typeName;
  return typename === typeName
    ? { status: 'found', node }
    : { status: 'wrong-type', typename };
}

/** One aliased request for ids of one kind; a failed request fails each of its ids. */
export async function fetchNodeChunk(
  execute: Execute,
  selection: NodeSelection,
  ids: readonly string[]
): Promise<Map<string, NodeResult>> {
  const results = new Map<string, NodeResult>();
  const { query, variables, aliases } = buildNodeQuery(ids, selection);
  let result: GraphQLResult<Record<string, unknown>>;
  try {
    result = await execute<Record<string, unknown>>(
      'fetchNodes',
      query,
      variables
    );
  } catch (error) {
    const failure = asScopeApiError(error);
    for (const id of ids) results.set(id, { status: 'failed', error: failure });
    return results;
  }
  ids.forEach((id, i) => {
    const alias = aliases[i] as string;
    results.set(
      id,
      nodeOutcome(result.data?.[alias], alias, result, selection.typeName)
    );
  });
  return results;
}

/** Requests grouped by kind (duplicates dropped) and cut into chunks the batch size and node budget allow. */
export function chunkNodeRequests(
  requests: readonly NodeRequest[],
  selections: Readonly<Record<ResourceKind, NodeSelection>>,
  batchSize: number
): [ResourceKind, string[]][] {
  const byKind = new Map<ResourceKind, string[]>();
  for (const { id, kind } of requests) {
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
  return chunks;
}

/** Every id fetched, chunks in parallel. */
export async function fetchNodes(
  execute: Execute,
  selections: Readonly<Record<ResourceKind, NodeSelection>>,
  batchSize: number,
  requests: readonly NodeRequest[]
): Promise<Map<string, NodeResult>> {
  const results = new Map<string, NodeResult>();
  const chunks = chunkNodeRequests(requests, selections, batchSize);
  const answers = await Promise.all(
    chunks.map(([kind, ids]) => fetchNodeChunk(execute, selections[kind], ids))
  );
  for (const answer of answers)
    for (const [id, result] of answer) results.set(id, result);
  return results;
}

export interface PageQueryInput {
  /** The GraphQL operation name. */
  name: string;
  rootField: string;
  typeName: string;
  /** Fragments on the node type, spread in this order; empty ones are left out. */
  fragments: readonly { name: string; selection: string }[];
  /** A "changed since" argument and its type: adds `$since`. */
  since?: { argument: string; type: string };
}

/** `page: <root>(first:, after:[, <since>:]) { nodes { __typename ...F } pageInfo { … } }`. */
export function buildPageQuery(input: PageQueryInput): string {
  const { since } = input;
  const params = [
    '$first: Int!',
    '$after: String',
    ...(since ? [`$since: ${since.type}`] : [])
  ].join(', ');
  const args = [
    'first: $first',
    'after: $after',
    ...(since ? [`${since.argument}: $since`] : [])
  ].join(', ');
  const fragments = input.fragments.filter((f) => f.selection !== '');
  const spreads = fragments.map((f) => ` ...${f.name}`).join('');
  const definitions = fragments
    .map((f) => `fragment ${f.name} on ${input.typeName} {${f.selection}}\n`)
    .join('');
  return `query ${input.name}(${params}) {
  page: ${input.rootField}(${args}) { nodes { __typename${spreads} } pageInfo { hasNextPage endCursor } }
}
${definitions}`;
}

type PageData = {
  page: {
    nodes: (Record<string, unknown> | null)[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
};

/** One page request; `page` is null when Scope answered without the connection. */
export async function requestPage(
  execute: Execute,
  operation: string,
  query: string,
  variables: { first: number; after: string | null; since?: string }
): Promise<{ page: Page | null; errors: readonly GraphQLError[] }> {
  const result = await execute<PageData>(operation, query, variables);
  const connection = result.data?.page;
  if (!connection) return { page: null, errors: result.errors };
  return {
    page: {
      nodes: (connection.nodes ?? []).filter(
        (n): n is Record<string, unknown> => n !== null && typeof n === 'object'
      ),
      hasNextPage: connection.pageInfo.hasNextPage,
      endCursor: connection.pageInfo.endCursor
    },
    errors: result.errors
  };
}

/** `query { viewer { name } }`: proves the endpoint and the credentials. */
export async function pingScope(
  execute: Execute
): Promise<{ viewerName: string | null }> {
  const result = await execute<{ viewer: { name?: string | null } | null }>(
    'ping',
    'query WorkLinkPing { viewer { name } }'
  );
  return { viewerName: result.data?.viewer?.name ?? null };
}

// Asks Scope what a node is when its deliveries did not say (an unknown or ambiguous generation-1
// label, a generation-2 delivery without topic or type): one aliased `node(id) { __typename }` per id,
// ids as variables. The answer, not any label or header, decides how the node is fetched.
import type { ResourceKind } from '../contracts.ts';
import type { ScopeClient } from './scope-client.ts';
import type { ScopeApiError } from './scope-error.ts';
import { asScopeApiError, missingAliasOutcome } from './scope-queries.ts';

export type NodeTypeResult =
  | { status: 'found'; typename: string }
  /** node(id:) returned null without an authorization error: not (yet) visible. */
  | { status: 'not-found' }
  | { status: 'forbidden'; reason: string }
  | { status: 'failed'; error: ScopeApiError };

/** Ids per request; each alias costs one node of Scope's 500,000-node budget (reference §3.5). */
const IDS_PER_REQUEST = 100;

export function buildNodeTypeQuery(ids: readonly string[]): {
  query: string;
  variables: Record<string, string>;
} {
  const variables: Record<string, string> = {};
  ids.forEach((id, i) => {
    variables[`id${i}`] = id;
  });
  const params = ids.map((_, i) => `$id${i}: ID!`).join(', ');
  const fields = ids
    .map((_, i) => `  n${i}: node(id: $id${i}) { __typename }`)
    .join('\n');
  return {
    query: `query WorkLinkNodeTypes(${params}) {\n${fields}\n}\n`,
    variables
  };
}

export async function lookUpNodeTypes(
  scope: Pick<ScopeClient, 'execute'>,
  ids: readonly string[]
): Promise<Map<string, NodeTypeResult>> {
  const results = new Map<string, NodeTypeResult>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += IDS_PER_REQUEST) {
    const chunk = unique.slice(start, start + IDS_PER_REQUEST);
    const { query, variables } = buildNodeTypeQuery(chunk);
    try {
      const result = await scope.execute<
        Record<string, { __typename?: unknown } | null>
      >('lookUpNodeTypes', query, variables);
      chunk.forEach((id, i) => {
        const alias = `n${i}`;
        const typename = result.data?.[alias]?.__typename;
        results.set(
          id,
          typeof typename === 'string'
            ? { status: 'found', typename }
            : missingAliasOutcome(alias, result.errors)
        );
      });
    } catch (error) {
      const failure = asScopeApiError(error);
      for (const id of chunk)
        results.set(id, { status: 'failed', error: failure });
    }
  }
  return results;
}

/** The handled kind whose configured GraphQL type name is `typename`, if any. */
export function kindOfTypename(
  typename: string,
  typeNames: Readonly<Record<ResourceKind, string>>
): ResourceKind | undefined {
  return (Object.keys(typeNames) as ResourceKind[]).find(
    (kind) => typeNames[kind] === typename
  );
}

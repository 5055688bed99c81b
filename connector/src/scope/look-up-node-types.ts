// Asks Scope what a node is when its deliveries did not say (an unknown or ambiguous generation-1
// label, a generation-2 delivery without topic or type): one aliased `node(id) { __typename }` per id,
// ids as variables. The answer, not any label or header, decides how the node is fetched.
import type { ResourceKind } from '../contracts.ts';
import type { ScopeClient } from './scope-client.ts';
import { ScopeApiError } from './scope-error.ts';

export type NodeTypeResult =
  | { status: 'found'; typename: string }
  /** node(id:) returned null without an authorization error: not (yet) visible. */
  | { status: 'not-found' }
  | { status: 'forbidden'; reason: string }
  | { status: 'failed'; error: ScopeApiError };

/** Ids per request; each alias costs one node of Scope's 500,000-node budget (reference §3.5). */
const IDS_PER_REQUEST = 100;
const NOT_AUTHORIZED = /not authori[sz]ed/i;

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
        const errors = result.errors.filter((e) => e.path?.[0] === alias);
        if (typeof typename === 'string')
          results.set(id, { status: 'found', typename });
        else if (errors.some((e) => NOT_AUTHORIZED.test(e.message)))
          results.set(id, {
            status: 'forbidden',
            reason: errors.map((e) => e.message).join('; ')
          });
        else if (errors.length > 0)
          results.set(id, {
            status: 'failed',
            error: new ScopeApiError(
              `Scope could not resolve node: ${errors.map((e) => e.message).join('; ')}`,
              { kind: 'graphql', status: 200 }
            )
          });
        else results.set(id, { status: 'not-found' });
      });
    } catch (error) {
      const failure =
        error instanceof ScopeApiError
          ? error
          : new ScopeApiError(String(error), { kind: 'network', cause: error });
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

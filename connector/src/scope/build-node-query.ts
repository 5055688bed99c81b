// Scope documents `node(id:)` only (reference §3.3; `nodes(ids:)` is Unknown 9), so a batch is one
// request with an aliased `node` field per id. Ids travel as variables, never spliced into the text.

/** Scope rejects a call that may return more than 500,000 nodes in total (reference §3.5). */
export const SCOPE_NODE_LIMIT = 500_000;

export interface NodeSelection {
  /** GraphQL type name the fragment applies to. */
  typeName: string;
  /** Field selection inside the fragment. */
  selection: string;
  /** Nodes one item may add through nested connections (product of their page sizes). */
  nestedNodes: number;
}

export interface NodeQuery {
  query: string;
  variables: Record<string, string>;
  /** aliases[i] is the response key of ids[i]. */
  aliases: string[];
}

/** The largest batch that stays within the node limit, capped by the configured size. */
export function maxNodesPerRequest(
  configured: number,
  selection: NodeSelection
): number {
  const perItem = 1 + Math.max(0, selection.nestedNodes);
  return Math.max(
    1,
    Math.min(configured, Math.floor(SCOPE_NODE_LIMIT / perItem))
  );
}

export function buildNodeQuery(
  ids: readonly string[],
  selection: NodeSelection
): NodeQuery {
  const aliases = ids.map((_, i) => `n${i}`);
  const variables: Record<string, string> = {};
  ids.forEach((id, i) => {
    variables[`id${i}`] = id;
  });
  const params = ids.map((_, i) => `$id${i}: ID!`).join(', ');
  const fields = aliases
    .map((alias, i) => `  ${alias}: node(id: $id${i}) { __typename ...Fields }`)
    .join('\n');
  const query = `query WorkLinkNodes(${params}) {\n${fields}\n}\nfragment Fields on ${selection.typeName} {${selection.selection}}\n`;
  return { query, variables, aliases };
}

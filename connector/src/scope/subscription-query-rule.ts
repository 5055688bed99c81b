// The rule for a generation-2 subscription's custom `query` (reference §2.2: its result replaces the
// default body): the connector finds the resource only by the node's `id` and its kind only by
// `__typename`, so the node the query selects must carry both. Pure: `doctor` applies it to every
// subscription the tenant lists.
import { Kind, parse } from 'graphql';
import type { FragmentDefinitionNode, SelectionSetNode } from 'graphql';

/** Field names selected directly on a selection set, through inline fragments and fragment spreads. */
function selectedNames(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string> = new Set()
): Set<string> {
  const names = new Set<string>();
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      for (const name of selectedNames(selection.selectionSet, fragments, seen))
        names.add(name);
    else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      seen.add(fragment.name.value);
      for (const name of selectedNames(fragment.selectionSet, fragments, seen))
        names.add(name);
    }
  }
  return names;
}

/** What is wrong with a custom subscription query; empty when it follows the rule. */
export function subscriptionQueryProblems(query: string): string[] {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION
  );
  if (operation?.kind !== Kind.OPERATION_DEFINITION)
    return ['has no operation'];
  const node = operation.selectionSet.selections.find(
    (s) => s.kind === Kind.FIELD && s.name.value === 'node'
  );
  if (node?.kind !== Kind.FIELD || !node.selectionSet)
    return ['selects no node(id: $nodeId)'];
  const names = selectedNames(node.selectionSet, fragments);
  return [
    ...(names.has('id') ? [] : ['selects no id']),
    ...(names.has('__typename') ? [] : ['selects no __typename'])
  ];
}

// The doctor's field check: the top-level fields a selection asks for, against the tenant's schema.
import { Kind, parse } from 'graphql';
import type { ResourceKind } from '../contracts.ts';
import type { NodeSelection } from './build-node-query.ts';
import type { ScopeClient } from './scope-client.ts';

export interface SelectionReport {
  kind: ResourceKind;
  typeName: string;
  /** The type is absent from the tenant's schema (e.g. Call under another name). */
  typeMissing: boolean;
  /** Top-level selected fields the type lacks: the query would be rejected until the selection changes. */
  missingFields: string[];
}

/** The top-level field names of a selection set. */
export function selectedFields(selection: NodeSelection): string[] {
  const document = parse(
    `fragment F on ${selection.typeName} {${selection.selection}}`
  );
  const fragment = document.definitions[0];
  if (fragment?.kind !== Kind.FRAGMENT_DEFINITION) return [];
  return fragment.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [s.name.value] : []
  );
}

/**
 * Reports, per selected type, the selected fields the tenant lacks — `connector doctor` prints this,
 * since the Call selection is a guess. The selections are the client's current ones (the Call type
 * under the name configured or discovered, `updatedAt` added where the tenant has it), the fields
 * those of the client's one introspection (scope-capabilities.ts).
 */
export async function checkScopeSchema(
  client: Pick<ScopeClient, 'capabilities' | 'currentSelections'>
): Promise<SelectionReport[]> {
  const selections = await client.currentSelections();
  const { types } = await client.capabilities();
  return (Object.entries(selections) as [ResourceKind, NodeSelection][]).map(
    ([kind, selection]) => {
      const available = types.get(selection.typeName);
      return {
        kind,
        typeName: selection.typeName,
        typeMissing: !available,
        missingFields: selectedFields(selection).filter(
          (name) => !available?.has(name)
        )
      };
    }
  );
}

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
 * Introspects each selected type (GraphQL introspection, which the reference says Scope supports) and
 * reports selected fields the tenant lacks — `connector doctor` prints this, since the Call selection
 * is a guess. The selections are the client's current ones: the Call type under the name configured
 * or discovered (call-schema.ts), `updatedAt` added where the tenant has it.
 */
export async function checkScopeSchema(
  client: Pick<ScopeClient, 'execute' | 'currentSelections'>
): Promise<SelectionReport[]> {
  const reports: SelectionReport[] = [];
  const selections = await client.currentSelections();
  for (const [kind, selection] of Object.entries(selections) as [
    ResourceKind,
    NodeSelection
  ][]) {
    const result = await client.execute<{
      type: { fields: { name: string }[] | null } | null;
    }>(
      'introspectType',
      'query WorkLinkIntrospect($name: String!) { type: __type(name: $name) { fields { name } } }',
      { name: selection.typeName }
    );
    const fields = result.data?.type?.fields;
    const available = new Set((fields ?? []).map((f) => f.name));
    reports.push({
      kind,
      typeName: selection.typeName,
      typeMissing: !fields,
      missingFields: fields
        ? selectedFields(selection).filter((name) => !available.has(name))
        : selectedFields(selection)
    });
  }
  return reports;
}

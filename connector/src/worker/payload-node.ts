// Whether the events' own payloads may stand in for a Scope fetch, and which payload node then wins.
import type { ResourceKind } from '../contracts.ts';
import { mapScopeNode } from '../mapping/map-scope-node.ts';
import type {
  MappingOptions,
  NodeFieldPaths
} from '../mapping/map-scope-node.ts';
import { kindOfTypename } from '../scope/look-up-node-types.ts';
import type { KnownResource } from './resources.ts';

export interface PayloadRules {
  requiredFields: readonly string[];
  paths: NodeFieldPaths;
  typeNames: Readonly<Record<ResourceKind, string>>;
  mapping: MappingOptions;
  stamp: Date;
}

/**
 * A payload may replace the fetch only when every coalesced event carries a complete node (otherwise
 * some event promised a state the payloads do not show): then the newest by Scope_Updated_At__c wins.
 */
export function newestPayloadNode(
  resource: KnownResource,
  rules: PayloadRules
): Record<string, unknown> | undefined {
  let best: { node: Record<string, unknown>; at: number } | undefined;
  for (const event of resource.events) {
    const node = event.node;
    if (!node || !rules.requiredFields.every((key) => Object.hasOwn(node, key)))
      return undefined;
    if (node.id !== undefined && node.id !== resource.id) return undefined;
    // only a node that names itself as the kind being processed (README: select id and __typename)
    if (
      typeof node.__typename !== 'string' ||
      kindOfTypename(node.__typename, rules.typeNames) !== resource.kind
    )
      return undefined;
    const withId = { ...node, id: resource.id };
    const mapped = mapScopeNode({
      node: withId,
      kind: resource.kind,
      paths: rules.paths,
      options: rules.mapping,
      now: rules.stamp
    });
    const updated =
      mapped.ok && mapped.fields.Scope_Updated_At__c
        ? Date.parse(mapped.fields.Scope_Updated_At__c)
        : -Infinity;
    if (!best || updated >= best.at) best = { node: withId, at: updated };
  }
  return best?.node;
}

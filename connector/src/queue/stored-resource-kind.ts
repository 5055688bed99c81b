// deliveries.resource_type and dead_letters.resource_type are NOT NULL (migration 1). A delivery that
// does not say what its node is gets this marker instead, and reads back as "ask Scope".
import type { ResourceKind } from '../contracts.ts';

export const UNRESOLVED_KIND = 'unresolved';

export type StoredResourceKind = ResourceKind | typeof UNRESOLVED_KIND;

export function toStoredKind(
  kind: ResourceKind | undefined
): StoredResourceKind {
  return kind ?? UNRESOLVED_KIND;
}

export function fromStoredKind(value: string): ResourceKind | undefined {
  return value === 'ScenarioSession' || value === 'Call' ? value : undefined;
}

// What "updated" means for a Scope node, in one place: Scope's own `updatedAt` when the tenant's schema
// has it (its existence is Unknown, so the client selects it only after introspection finds it), else
// the latest of the start, end and event times. The mapping (Scope_Updated_At__c, written by the worker)
// and the sync (analytics scope_updated_at, and reconciliation's "which copy is newer") both call this,
// over the same selection, so the two paths never judge the same node differently.
import { firstValue, valuesAt } from '../mapping/node-paths.ts';
import type { NodePath } from '../mapping/node-paths.ts';

export interface UpdatedAtPaths {
  updatedAt: readonly NodePath[];
  startedAt: readonly NodePath[];
  endedAt: readonly NodePath[];
  eventTimes: readonly NodePath[];
}

function toIso(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** ISO time of the node's last change as Scope reports it (or as its timestamps imply); null if none. */
export function scopeUpdatedAt(
  node: Record<string, unknown>,
  paths: UpdatedAtPaths
): string | null {
  const reported = toIso(firstValue(node, paths.updatedAt));
  if (reported !== null) return reported;
  let latest: string | null = null;
  const candidates = [
    firstValue(node, paths.startedAt),
    firstValue(node, paths.endedAt),
    ...paths.eventTimes.flatMap((path) => valuesAt(node, path))
  ];
  for (const candidate of candidates) {
    const iso = toIso(candidate);
    if (
      iso !== null &&
      (latest === null || Date.parse(iso) > Date.parse(latest))
    )
      latest = iso;
  }
  return latest;
}

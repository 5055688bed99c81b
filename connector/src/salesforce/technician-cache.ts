// Technicians' users change as rarely as work orders do, and a stream names the same few technicians
// all day: a match (or "no unique user") is remembered between batches, for ttlMs; a value without any
// user is asked again after at most a minute, so a user created for a new technician is found soon.
import { createExpiringMemory } from './expiring-memory.ts';
import type { TechnicianMatch } from './session-lookups.ts';

export type FindTechnicianUsers = (
  match: TechnicianMatch,
  values: readonly string[]
) => Promise<Map<string, string | null>>;

export interface TechnicianCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

const MISS_TTL_MS = 60_000;

export function createTechnicianCache(
  find: FindTechnicianUsers,
  options: TechnicianCacheOptions
): FindTechnicianUsers {
  if (options.ttlMs <= 0) return find;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  // `${match}:${value}` → user Id, or null for no unique user
  const known = createExpiringMemory<string | null>(maxEntries, now);
  return async (match, values) => {
    const result = new Map<string, string | null>();
    const missing: string[] = [];
    for (const value of values) {
      const id = known.get(`${match}:${value}`);
      if (id === undefined) missing.push(value);
      else if (id !== null) result.set(value, id);
    }
    if (missing.length === 0) return result;
    const found = await find(match, missing);
    for (const value of missing) {
      const id = found.get(value);
      if (id === undefined)
        known.set(`${match}:${value}`, null, now() + MISS_TTL_MS);
      else {
        known.set(`${match}:${value}`, id, now() + options.ttlMs);
        result.set(value, id);
      }
    }
    return result;
  };
}

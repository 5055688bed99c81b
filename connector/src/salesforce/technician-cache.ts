// Technicians' users change as rarely as work orders do, and a stream names the same few technicians
// all day: a match (or "no unique user") is remembered between batches, for ttlMs; a value without any
// user is asked again after at most a minute, so a user created for a new technician is found soon.
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
  // `${match}:${value}` → user Id (or null) and expiry; Map order is age, the oldest go first
  const known = new Map<string, { id: string | null; expiresAt: number }>();
  const remember = (key: string, id: string | null, ttlMs: number) => {
    known.delete(key);
    known.set(key, { id, expiresAt: now() + ttlMs });
    while (known.size > maxEntries)
      known.delete(known.keys().next().value as string);
  };
  return async (match, values) => {
    const result = new Map<string, string | null>();
    const missing: string[] = [];
    for (const value of values) {
      const entry = known.get(`${match}:${value}`);
      if (entry && entry.expiresAt > now()) {
        if (entry.id !== null) result.set(value, entry.id);
      } else missing.push(value);
    }
    if (missing.length === 0) return result;
    const found = await find(match, missing);
    for (const value of missing) {
      const id = found.get(value);
      if (id === undefined) remember(`${match}:${value}`, null, MISS_TTL_MS);
      else {
        remember(`${match}:${value}`, id, options.ttlMs);
        result.set(value, id);
      }
    }
    return result;
  };
}

// A bounded map whose entries each expire at their own time: a value read after its expiry is gone,
// and when the map is full the entry written longest ago is forgotten first. The work-order cache's
// misses and the technician cache remember lookups with it.
export interface ExpiringMemory<V> {
  /** The value, or undefined when absent or expired (an expired entry is dropped). */
  get(key: string): V | undefined;
  set(key: string, value: V, expiresAt: number): void;
  delete(key: string): void;
}

export function createExpiringMemory<V>(
  maxEntries: number,
  now: () => number
): ExpiringMemory<V> {
  // Map order is write order: a write moves its key to the end, eviction takes the first
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    delete(key) {
      entries.delete(key);
    },
    set(key, value, expiresAt) {
      entries.delete(key);
      entries.set(key, { value, expiresAt });
      while (entries.size > maxEntries)
        entries.delete(entries.keys().next().value as string);
    }
  };
}

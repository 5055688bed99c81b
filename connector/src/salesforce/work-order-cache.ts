// Work orders rarely change their case or asset while their sessions arrive, and a busy stream names
// the same few work orders over and over: remembering what one SOQL query found saves a Salesforce API
// call per worker batch. A key that matched nothing is remembered for a shorter time (`missTtlMs`):
// deeplinks are built on the work order's own page, so an unknown key is a typo or a deleted record,
// not one about to appear — and a later event after the miss expires links the session anyway.
import type { WorkOrderRow } from '../mapping/resolve-link.ts';

export type ResolveWorkOrders = (keys: {
  ids: readonly string[];
  numbers: readonly string[];
}) => Promise<WorkOrderRow[]>;

export interface WorkOrderCacheOptions {
  ttlMs: number;
  /** How long a key that matched no work order is remembered (default: the lesser of ttlMs and 60 s). */
  missTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  row: WorkOrderRow;
  expiresAt: number;
}

/** Wraps a resolver so that keys seen within `ttlMs` are answered from memory. */
export function createWorkOrderCache(
  resolve: ResolveWorkOrders,
  options: WorkOrderCacheOptions
): ResolveWorkOrders {
  if (options.ttlMs <= 0) return resolve;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const missTtlMs = options.missTtlMs ?? Math.min(options.ttlMs, 60_000);
  const byId = new Map<string, Entry>();
  const byNumber = new Map<string, Entry>();
  const misses = new Map<string, number>();
  const missKey = (kind: 'id' | 'number', key: string) => `${kind}:${key}`;
  const knownMiss = (key: string): boolean => {
    const expiresAt = misses.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > now()) return true;
    misses.delete(key);
    return false;
  };

  const lookup = (
    map: Map<string, Entry>,
    key: string
  ): WorkOrderRow | undefined => {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now()) return entry.row;
    map.delete(key);
    return undefined;
  };
  const remember = (row: WorkOrderRow): void => {
    if (byId.size >= maxEntries) {
      byId.clear();
      byNumber.clear();
    }
    const entry = { row, expiresAt: now() + options.ttlMs };
    byId.set(row.Id, entry);
    // 15-char keys resolve to the same record as the 18-char Id Salesforce returns.
    byId.set(row.Id.slice(0, 15), entry);
    byNumber.set(row.WorkOrderNumber, entry);
  };

  return async ({ ids, numbers }) => {
    const found = new Map<string, WorkOrderRow>();
    const missingIds = ids.filter((id) => {
      const row = lookup(byId, id);
      if (row) found.set(row.Id, row);
      return !row && !knownMiss(missKey('id', id));
    });
    const missingNumbers = numbers.filter((n) => {
      const row = lookup(byNumber, n);
      if (row) found.set(row.Id, row);
      return !row && !knownMiss(missKey('number', n));
    });
    if (missingIds.length > 0 || missingNumbers.length > 0) {
      const rows = await resolve({ ids: missingIds, numbers: missingNumbers });
      for (const row of rows) {
        remember(row);
        found.set(row.Id, row);
      }
      if (missTtlMs > 0) {
        if (misses.size >= maxEntries) misses.clear();
        const expiresAt = now() + missTtlMs;
        for (const id of missingIds)
          if (!lookup(byId, id)) misses.set(missKey('id', id), expiresAt);
        for (const n of missingNumbers)
          if (!lookup(byNumber, n)) misses.set(missKey('number', n), expiresAt);
      }
    }
    return [...found.values()];
  };
}

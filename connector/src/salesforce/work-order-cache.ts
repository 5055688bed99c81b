// Work orders rarely change their case or asset while their sessions arrive, and a busy stream names
// the same few work orders over and over: remembering what one SOQL query found saves a Salesforce API
// call per worker batch. Only hits are cached, so a work order created later is still found.
import type { WorkOrderRow } from '../mapping/resolve-link.ts';

export type ResolveWorkOrders = (keys: {
  ids: readonly string[];
  numbers: readonly string[];
}) => Promise<WorkOrderRow[]>;

export interface WorkOrderCacheOptions {
  ttlMs: number;
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
  const byId = new Map<string, Entry>();
  const byNumber = new Map<string, Entry>();

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
      return !row;
    });
    const missingNumbers = numbers.filter((n) => {
      const row = lookup(byNumber, n);
      if (row) found.set(row.Id, row);
      return !row;
    });
    if (missingIds.length > 0 || missingNumbers.length > 0) {
      for (const row of await resolve({
        ids: missingIds,
        numbers: missingNumbers
      })) {
        remember(row);
        found.set(row.Id, row);
      }
    }
    return [...found.values()];
  };
}

// Work orders rarely change their case or asset while their sessions arrive, and a busy stream names
// the same few work orders over and over: remembering what one SOQL query found saves a Salesforce API
// call per worker batch. A key that matched nothing is remembered for a shorter time (`missTtlMs`):
// deeplinks are built on the work order's own page, so an unknown key is a typo or a deleted record,
// not one about to appear — and a later event after the miss expires links the session anyway.
import type { WorkOrderRow } from '../mapping/resolve-link.ts';
import { createExpiringMemory } from './expiring-memory.ts';

export type ResolveWorkOrders = (keys: {
  ids: readonly string[];
  numbers: readonly string[];
}) => Promise<WorkOrderRow[]>;

export interface WorkOrderCacheOptions {
  ttlMs: number;
  /** How long a key that matched no work order is remembered (default: the lesser of ttlMs and 60 s). */
  missTtlMs?: number;
  /** Work orders remembered (default 10,000), and as many misses; the least recently used go first. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  row: WorkOrderRow;
  expiresAt: number;
}

/**
 * Least recently used first out, by work order: a full cache forgets its oldest entries one by one
 * rather than all at once, so that the work orders a stream keeps naming stay known however many
 * others pass through (a work order's sessions are often hours apart, with thousands of others between).
 */
function createRowMemory(maxEntries: number, ttlMs: number, now: () => number) {
  // Map order is recency order: a hit moves its entry to the end, eviction takes the first
  const rows = new Map<string, Entry>();
  // 15-char Id, 18-char Id and WorkOrderNumber → the 18-char Id
  const aliases = new Map<string, string>();
  const aliasesOf = (row: WorkOrderRow) => [
    `id:${row.Id}`,
    `id:${row.Id.slice(0, 15)}`,
    `number:${row.WorkOrderNumber}`
  ];
  const forget = (id: string) => {
    const entry = rows.get(id);
    if (!entry) return;
    rows.delete(id);
    for (const alias of aliasesOf(entry.row))
      if (aliases.get(alias) === id) aliases.delete(alias);
  };
  return {
    find(alias: string): WorkOrderRow | undefined {
      const id = aliases.get(alias);
      const entry = id === undefined ? undefined : rows.get(id);
      if (!entry || id === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        forget(id);
        return undefined;
      }
      rows.delete(id);
      rows.set(id, entry);
      return entry.row;
    },
    remember(row: WorkOrderRow): void {
      forget(row.Id);
      rows.set(row.Id, { row, expiresAt: now() + ttlMs });
      for (const alias of aliasesOf(row)) aliases.set(alias, row.Id);
      while (rows.size > maxEntries) {
        const oldest = rows.keys().next().value as string;
        forget(oldest);
      }
    }
  };
}

/** Wraps a resolver so that keys seen within `ttlMs` are answered from memory. */
export function createWorkOrderCache(
  resolve: ResolveWorkOrders,
  options: WorkOrderCacheOptions
): ResolveWorkOrders {
  if (options.ttlMs <= 0) return resolve;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const missTtlMs = options.missTtlMs ?? Math.min(options.ttlMs, 60_000);
  const memory = createRowMemory(maxEntries, options.ttlMs, now);
  // keys that matched nothing, each until its own expiry
  const misses = createExpiringMemory<true>(maxEntries, now);

  return async ({ ids, numbers }) => {
    const found = new Map<string, WorkOrderRow>();
    const unknown = (kind: 'id' | 'number') => (key: string) => {
      const row = memory.find(`${kind}:${key}`);
      if (row) found.set(row.Id, row);
      return !row && !misses.get(`${kind}:${key}`);
    };
    const missingIds = ids.filter(unknown('id'));
    const missingNumbers = numbers.filter(unknown('number'));
    if (missingIds.length === 0 && missingNumbers.length === 0)
      return [...found.values()];
    const rows = await resolve({ ids: missingIds, numbers: missingNumbers });
    for (const row of rows) {
      memory.remember(row);
      found.set(row.Id, row);
    }
    if (missTtlMs > 0) {
      const expiresAt = now() + missTtlMs;
      for (const id of missingIds)
        if (!memory.find(`id:${id}`)) misses.set(`id:${id}`, true, expiresAt);
      for (const n of missingNumbers)
        if (!memory.find(`number:${n}`))
          misses.set(`number:${n}`, true, expiresAt);
    }
    return [...found.values()];
  };
}

import type { SandboxConfig } from '../options.ts';
import {
  FIRST_CALL_ID,
  FIRST_SESSION_ID,
  historicalCall,
  historicalSession
} from '../seed/historical.ts';
import type { CallRecord, SessionRecord } from './records.ts';

// Rows by database id. Historical rows are generated on demand; only rows that changed (simulated,
// touched) live in memory, so the footprint grows with activity, not with the seed size.

export interface Table<T> {
  get(databaseId: number): T | undefined;
  put(record: T): void;
  nextId(): number;
  /** Ascending ids strictly after `afterId` (or from the start). */
  ascending(afterId?: number): Generator<T>;
  /** Descending ids strictly before `beforeId` (or from the end). */
  descending(beforeId?: number): Generator<T>;
  /** Increments on every write: caches of counts key on it. */
  readonly version: number;
  readonly changedCount: number;
  /** Back to the seed: forgets every change and every row created since. */
  reset(): void;
}

function createTable<T extends { databaseId: number }>(
  firstId: number,
  historicalCount: number,
  generate: (index: number) => T
): Table<T> {
  const changed = new Map<number, T>();
  let lastId = firstId + historicalCount - 1;
  let version = 0;
  const get = (databaseId: number): T | undefined => {
    const override = changed.get(databaseId);
    if (override) return structuredClone(override);
    const index = databaseId - firstId;
    return index >= 0 && index < historicalCount ? generate(index) : undefined;
  };
  return {
    get,
    put(record) {
      changed.set(record.databaseId, structuredClone(record));
      if (record.databaseId > lastId) lastId = record.databaseId;
      version += 1;
    },
    nextId() {
      lastId += 1;
      version += 1;
      return lastId;
    },
    *ascending(afterId) {
      for (
        let id = Math.max(firstId, (afterId ?? firstId - 1) + 1);
        id <= lastId;
        id += 1
      ) {
        const record = get(id);
        if (record) yield record;
      }
    },
    *descending(beforeId) {
      for (
        let id = Math.min(lastId, (beforeId ?? lastId + 1) - 1);
        id >= firstId;
        id -= 1
      ) {
        const record = get(id);
        if (record) yield record;
      }
    },
    get version() {
      return version;
    },
    get changedCount() {
      return changed.size;
    },
    reset() {
      changed.clear();
      lastId = firstId + historicalCount - 1;
      version += 1;
    }
  };
}

export interface Store {
  sessions: Table<SessionRecord>;
  calls: Table<CallRecord>;
}

export function createStore(seed: SandboxConfig['seed']): Store {
  return {
    sessions: createTable(FIRST_SESSION_ID, seed.historicalSessions, (index) =>
      historicalSession(seed, seed.historicalSessions, index)
    ),
    calls: createTable(FIRST_CALL_ID, seed.historicalCalls, (index) =>
      historicalCall(seed, seed.historicalCalls, index)
    )
  };
}

import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';
import type { IdGenerator } from './ids.ts';

export type SRecord = Record<string, unknown>;

/**
 * In-memory records per sObject, keyed by 18-character Id, with indexes on unique fields so that
 * upserts by external id stay O(1) at 100,000 records.
 */
export function createRecordStore(schema: Schema, ids: IdGenerator) {
  const tables = new Map<string, Map<string, SRecord>>();
  /** The Recycle Bin: deleted records per sObject, still readable by queryAll, with IsDeleted = true. */
  const recycleBin = new Map<string, Map<string, SRecord>>();
  /** `${object}.${field}` → normalized value → Id, for unique and external-id fields. */
  const indexes = new Map<string, Map<string, string>>();
  const autoNumbers = new Map<string, number>();

  const table = (object: string): Map<string, SRecord> => {
    let t = tables.get(object);
    if (!t) {
      t = new Map();
      tables.set(object, t);
    }
    return t;
  };

  const indexedFieldCache = new WeakMap<SObjectDef, FieldDef[]>();
  const indexedFields = (def: SObjectDef): FieldDef[] => {
    let fields = indexedFieldCache.get(def);
    if (!fields) {
      fields = [...def.fields.values()].filter((f) => f.unique || f.externalId);
      indexedFieldCache.set(def, fields);
    }
    return fields;
  };

  const indexKey = (caseSensitive: boolean, value: unknown): string | null =>
    value === null || value === undefined || value === ''
      ? null
      : caseSensitive
        ? String(value)
        : String(value).toLowerCase();

  function index(def: SObjectDef, field: string): Map<string, string> {
    const key = `${def.name}.${field}`;
    let idx = indexes.get(key);
    if (!idx) {
      idx = new Map();
      indexes.set(key, idx);
    }
    return idx;
  }

  function updateIndexes(
    def: SObjectDef,
    before: SRecord | undefined,
    after: SRecord | undefined
  ): void {
    for (const f of indexedFields(def)) {
      const idx = index(def, f.name);
      const oldKey = before ? indexKey(f.caseSensitive, before[f.name]) : null;
      const newKey = after ? indexKey(f.caseSensitive, after[f.name]) : null;
      if (oldKey !== null && idx.get(oldKey) === before?.Id) idx.delete(oldKey);
      if (newKey !== null && after && !idx.has(newKey))
        idx.set(newKey, String(after.Id));
    }
  }

  return {
    newId: (def: SObjectDef): string => ids.next(def.keyPrefix),
    nextAutoNumber(
      def: SObjectDef,
      field: string,
      displayFormat: string
    ): string {
      const key = `${def.name}.${field}`;
      const n = (autoNumbers.get(key) ?? 0) + 1;
      autoNumbers.set(key, n);
      return displayFormat.replace(/\{(0+)\}/, (_m, zeros: string) =>
        String(n).padStart(zeros.length, '0')
      );
    },
    /** Keeps generated numbers above one that a fixture set explicitly. */
    noteAutoNumber(def: SObjectDef, field: string, value: string): void {
      const digits = /(\d+)\D*$/.exec(value);
      const key = `${def.name}.${field}`;
      if (digits?.[1])
        autoNumbers.set(
          key,
          Math.max(autoNumbers.get(key) ?? 0, Number(digits[1]))
        );
    },
    get(object: string, id: string): SRecord | undefined {
      return tables.get(object)?.get(id);
    },
    /** Finds a record of any type by Id. */
    find(id: string): { def: SObjectDef; record: SRecord } | undefined {
      const def = schema.objectForId(id);
      const record = def ? tables.get(def.name)?.get(id) : undefined;
      return def && record ? { def, record } : undefined;
    },
    all(object: string): IterableIterator<SRecord> {
      return table(object).values();
    },
    count(object: string): number {
      return tables.get(object)?.size ?? 0;
    },
    /** Id of the record holding a unique value, using the index when the field has one. */
    findUnique(
      def: SObjectDef,
      field: string,
      value: unknown,
      caseSensitive: boolean
    ): string[] {
      const f = def.fields.get(field);
      const key = indexKey(caseSensitive, value);
      if (key === null) return [];
      if (f && f.unique) {
        const id = index(def, field).get(key);
        return id ? [id] : [];
      }
      const matches: string[] = [];
      for (const r of table(def.name).values()) {
        if (indexKey(caseSensitive, r[field]) === key)
          matches.push(String(r.Id));
      }
      return matches;
    },
    put(def: SObjectDef, record: SRecord): void {
      const t = table(def.name);
      const before = t.get(String(record.Id));
      t.set(String(record.Id), record);
      updateIndexes(def, before, record);
    },
    /** Deletes a record the way Salesforce does: into the Recycle Bin. */
    recycle(def: SObjectDef, id: string): SRecord | undefined {
      const t = table(def.name);
      const before = t.get(id);
      if (!before) return undefined;
      t.delete(id);
      updateIndexes(def, before, undefined);
      let bin = recycleBin.get(def.name);
      if (!bin) {
        bin = new Map();
        recycleBin.set(def.name, bin);
      }
      bin.set(id, { ...before, IsDeleted: true });
      return before;
    },
    /** Takes a record out of the Recycle Bin (the undo of a delete in a rolled-back batch). */
    restore(def: SObjectDef, record: SRecord): void {
      recycleBin.get(def.name)?.delete(String(record.Id));
      this.put(def, record);
    },
    /** A record in the Recycle Bin, by type and Id. */
    getDeleted(object: string, id: string): SRecord | undefined {
      return recycleBin.get(object)?.get(id);
    },
    /** The Recycle Bin rows of a type (queryAll). */
    allDeleted(object: string): IterableIterator<SRecord> {
      return (recycleBin.get(object) ?? new Map<string, SRecord>()).values();
    },
    /** Removes for good (undoing a create), without passing through the Recycle Bin. */
    remove(def: SObjectDef, id: string): SRecord | undefined {
      const t = table(def.name);
      const before = t.get(id);
      if (before) {
        t.delete(id);
        updateIndexes(def, before, undefined);
      }
      return before;
    },
    clear(): void {
      tables.clear();
      recycleBin.clear();
      indexes.clear();
      autoNumbers.clear();
      ids.reset();
    },
    counts(): Record<string, number> {
      return Object.fromEntries(
        [...schema.objects.keys()].map((name) => [
          name,
          tables.get(name)?.size ?? 0
        ])
      );
    }
  };
}

export type RecordStore = ReturnType<typeof createRecordStore>;

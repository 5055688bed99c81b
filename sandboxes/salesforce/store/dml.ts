import { normalizeId } from './ids.ts';
import { deriveFields } from './derive-fields.ts';
import { applyFormulaFields } from '../schema/formula-fields.ts';
import { recordError } from '../errors.ts';
import { formatDateTime } from './values.ts';
import {
  normalizeReferences,
  readRecordBody,
  roundNumbers,
  validateWrite
} from './validate-record.ts';
import type { RecordError } from '../errors.ts';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';
import type { RecordStore, SRecord } from './record-store.ts';
import type { OwnerCheck } from './ownership.ts';

export type SaveOutcome =
  | { success: true; id: string; created: boolean; undo: () => void }
  | { success: false; errors: RecordError[] };

export interface LockFaults {
  /** Record Ids or external id values whose writes fail with UNABLE_TO_LOCK_ROW. */
  lockRowIds: Set<string>;
  /** Probability (0–1) that any record write fails with UNABLE_TO_LOCK_ROW. */
  lockRowRate: number;
}

export interface DmlDeps {
  store: RecordStore;
  faults: () => LockFaults;
  /** The running user (owner and audit fields). */
  userId: () => string;
  /** Who may own the record a write sets OwnerId on (ownership.ts). */
  checkOwner?: OwnerCheck;
  random?: () => number;
  /** Object-specific platform behaviour (Files: content-files.ts). */
  hooks?: DmlHooks;
}

/** What a standard object does beyond the generic validation: extra checks, records it creates or deletes with it. */
export interface DmlHooks {
  validate(
    def: SObjectDef,
    record: SRecord,
    existing: SRecord | undefined
  ): RecordError | null;
  /** Runs after the Id is set and before the record is stored; returns the undo. */
  afterCreate(schema: Schema, def: SObjectDef, record: SRecord): () => void;
  /** A delete the platform refuses for this record (e.g. a file its user does not own). */
  validateRemove(def: SObjectDef, record: SRecord): RecordError | null;
  afterRemove(schema: Schema, def: SObjectDef, id: string): void;
}

const ROLLED_BACK = recordError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header'
);

/** The outcome of a write the running user's object permissions do not allow. */
function insufficientAccess(): SaveOutcome {
  return {
    success: false,
    errors: [
      recordError(
        'INSUFFICIENT_ACCESS_OR_READONLY',
        'insufficient access rights on object id'
      )
    ]
  };
}

/** Create, update, upsert and delete with Salesforce's per-record results and allOrNone rollback. */
export function createDml(deps: DmlDeps) {
  const { store } = deps;
  const random = deps.random ?? Math.random;
  /** While a composite request with allOrNone runs: the undo of every write, in order. */
  let journal: Array<() => void> | null = null;

  function journaled(outcome: SaveOutcome): SaveOutcome {
    if (!outcome.success) return outcome;
    let undone = false;
    const undoOnce = () => {
      if (undone) return;
      undone = true;
      outcome.undo();
    };
    journal?.push(undoOnce);
    return { ...outcome, undo: undoOnce };
  }

  function lockFault(keys: unknown[]): RecordError | null {
    const faults = deps.faults();
    const hit = keys.find(
      (k) => typeof k === 'string' && faults.lockRowIds.has(k)
    );
    if (
      hit !== undefined ||
      (faults.lockRowRate > 0 && random() < faults.lockRowRate)
    ) {
      const id = typeof keys[0] === 'string' ? keys[0] : String(hit ?? '');
      return recordError(
        'UNABLE_TO_LOCK_ROW',
        `unable to obtain exclusive access to this record or 1 records: ${id}`
      );
    }
    return null;
  }

  function save(
    schema: Schema,
    def: SObjectDef,
    input: Map<FieldDef, unknown>,
    existing: SRecord | undefined,
    bypass = false
  ): SaveOutcome {
    const mode = existing ? 'update' : 'create';
    // Fixtures inserted through /sandbox/records skip object permissions and may set system fields.
    const access = schema.access.objectAccess(def.name);
    if (!bypass && !(existing ? access.edit : access.create)) {
      return insufficientAccess();
    }
    if (
      !bypass &&
      existing &&
      schema.access.recordEditable?.(def.name, existing) === false
    )
      return insufficientAccess();
    const result = validateWrite(
      schema,
      store,
      def,
      input,
      mode,
      existing,
      bypass
    );
    if ('errors' in result) return { success: false, errors: result.errors };
    const ownerFault = bypass
      ? null
      : (deps.checkOwner?.(schema, def, result.record, existing) ?? null);
    if (ownerFault) return { success: false, errors: [ownerFault] };
    const hookFault = deps.hooks?.validate(def, result.record, existing);
    if (hookFault) return { success: false, errors: [hookFault] };
    const extValues = [...def.fields.values()]
      .filter((f) => f.externalId)
      .map((f) => result.record[f.name]);
    const fault = bypass ? null : lockFault([existing?.Id, ...extValues]);
    if (fault) return { success: false, errors: [fault] };

    const record = result.record;
    const now = formatDateTime(Date.now());
    if (!existing) {
      record.Id = store.newId(def);
      for (const field of def.fields.values()) {
        if (field.autoNumber && typeof record[field.name] === 'string') {
          store.noteAutoNumber(def, field.name, String(record[field.name]));
        } else if (field.autoNumber && record[field.name] === undefined) {
          record[field.name] = store.nextAutoNumber(
            def,
            field.name,
            field.autoNumber.displayFormat
          );
        }
        if (field.type === 'picklist' && record[field.name] === undefined) {
          const fallback = field.picklistValues.find((p) => p.defaultValue);
          if (fallback) record[field.name] = fallback.value;
        }
        if (field.type === 'boolean' && record[field.name] === undefined)
          record[field.name] = false;
      }
      if (def.fields.has('OwnerId') && !record.OwnerId)
        record.OwnerId = deps.userId();
      record.IsDeleted = false;
      record.CreatedDate ??= now;
      record.CreatedById = deps.userId();
    }
    record.LastModifiedDate = now;
    record.LastModifiedById = deps.userId();
    record.SystemModstamp = now;
    normalizeReferences(def, record);
    roundNumbers(def, record);
    deriveFields(def.name, record, existing, now);
    applyFormulaFields(def, record);
    const created = !existing;
    const follow =
      created && deps.hooks
        ? deps.hooks.afterCreate(schema, def, record)
        : () => undefined;
    store.put(def, record);
    return journaled({
      success: true,
      id: String(record.Id),
      created,
      undo: () => {
        follow();
        if (existing) store.put(def, existing);
        else store.remove(def, String(record.Id));
      }
    });
  }

  /** Runs writes in order; with allOrNone, one failure undoes the rest and marks them rolled back. */
  function batch(
    steps: Array<() => SaveOutcome>,
    allOrNone: boolean
  ): SaveOutcome[] {
    const outcomes: SaveOutcome[] = [];
    for (const step of steps) outcomes.push(step());
    if (allOrNone && outcomes.some((o) => !o.success)) {
      for (const o of [...outcomes].reverse()) if (o.success) o.undo();
      return outcomes.map((o) =>
        o.success ? { success: false, errors: [ROLLED_BACK] } : o
      );
    }
    return outcomes;
  }

  return {
    create(
      schema: Schema,
      def: SObjectDef,
      body: SRecord,
      bypass = false
    ): SaveOutcome {
      return save(
        schema,
        def,
        readRecordBody(schema, def, body),
        undefined,
        bypass
      );
    },
    /** Reads the body first so that deserialization errors fail the whole request. */
    prepare(
      schema: Schema,
      def: SObjectDef,
      body: SRecord
    ): Map<FieldDef, unknown> {
      return readRecordBody(schema, def, body);
    },
    save,
    batch,
    /** Record by Id (15 or 18 chars) of the given type, or undefined. */
    findById(def: SObjectDef, id: string): SRecord | undefined {
      const full = normalizeId(id);
      return full ? store.get(def.name, full) : undefined;
    },
    remove(schema: Schema, def: SObjectDef, id: string): SaveOutcome {
      const full = normalizeId(id);
      const existing = full ? store.get(def.name, full) : undefined;
      if (!full)
        return {
          success: false,
          errors: [recordError('MALFORMED_ID', `malformed id ${id}`)]
        };
      if (!existing)
        return {
          success: false,
          errors: [recordError('ENTITY_IS_DELETED', 'entity is deleted')]
        };
      if (!schema.access.objectAccess(def.name).delete) {
        return insufficientAccess();
      }
      const refused = deps.hooks?.validateRemove(def, existing);
      if (refused) return { success: false, errors: [refused] };
      const fault = lockFault([full]);
      if (fault) return { success: false, errors: [fault] };
      store.recycle(def, full);
      deps.hooks?.afterRemove(schema, def, full);
      return journaled({
        success: true,
        id: full,
        created: false,
        undo: () => store.restore(def, existing)
      });
    },
    /** Starts recording the undo of every write (a composite request with allOrNone). */
    beginJournal(): void {
      journal = [];
    },
    /** Stops recording; with `rollBack`, undoes every recorded write, newest first. */
    endJournal(rollBack: boolean): void {
      const undos = journal ?? [];
      journal = null;
      if (rollBack) for (const undo of undos.reverse()) undo();
    }
  };
}

export type Dml = ReturnType<typeof createDml>;

import { Router } from 'express';
import { z } from 'zod';
import { normalizeId } from '../store/ids.ts';
import { ApiError, recordError } from '../errors.ts';
import { serializeRecord } from './serialize.ts';
import {
  collectionResult,
  externalIdField,
  objectFromUrl,
  requestedFields,
  setRecordCount
} from './route-helpers.ts';
import type { SaveOutcome } from '../store/dml.ts';
import type { FieldDef, SObjectDef } from '../schema/types.ts';
import type { SandboxState } from '../state.ts';
import type { SRecord } from '../store/record-store.ts';

const MAX_RECORDS = 200;
const MAX_RETRIEVE = 2000;

const collectionBody = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.record(z.unknown()))
});

function parseCollection(body: unknown) {
  const parsed = collectionBody.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be {"allOrNone": boolean, "records": [...]}'
    );
  }
  if (parsed.data.records.length > MAX_RECORDS) {
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`
    );
  }
  return {
    allOrNone: parsed.data.allOrNone ?? false,
    records: parsed.data.records as SRecord[]
  };
}

const typeOf = (record: SRecord): string | undefined => {
  const attributes = record.attributes;
  return attributes &&
    typeof attributes === 'object' &&
    typeof (attributes as SRecord).type === 'string'
    ? ((attributes as SRecord).type as string)
    : undefined;
};

const str = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : '';

/** sObject Collections: create, update, upsert by external id, retrieve and delete, ≤ 200 records. */
export function createCollectionsRoutes(state: SandboxState): Router {
  const router = Router({ mergeParams: true });

  function recordType(record: SRecord, expected?: SObjectDef): SObjectDef {
    const type = typeOf(record);
    if (!type)
      throw new ApiError(
        400,
        'INVALID_TYPE',
        'Each record in an sObject Collections request must specify its type in attributes'
      );
    const def = state.userSchema.getObject(type);
    if (!def || !state.userSchema.access.objectAccess(def.name).read) {
      throw new ApiError(
        400,
        'INVALID_TYPE',
        `sObject type '${type}' is not supported.`
      );
    }
    if (expected && def !== expected) {
      throw new ApiError(
        400,
        'INVALID_TYPE',
        `Records must be of type ${expected.name}, found ${def.name}`
      );
    }
    return def;
  }

  router.post('/', (req, res) => {
    const { allOrNone, records } = parseCollection(req.body);
    setRecordCount(res, records.length);
    // Deserialize everything first: a bad field or value fails the whole request.
    const prepared = records.map((r) => {
      const def = recordType(r);
      return { def, input: state.dml.prepare(state.userSchema, def, r) };
    });
    const outcomes = state.dml.batch(
      prepared.map(
        ({ def, input }) =>
          () =>
            state.dml.save(state.userSchema, def, input, undefined)
      ),
      allOrNone
    );
    res.json(outcomes.map((o) => collectionResult(o, false)));
  });

  router.patch('/', (req, res) => {
    const { allOrNone, records } = parseCollection(req.body);
    setRecordCount(res, records.length);
    const prepared = records.map((r) => {
      const def = recordType(r);
      const { id: lowerId, Id: upperId, ...rest } = r;
      return {
        def,
        rawId: lowerId ?? upperId,
        input: state.dml.prepare(state.userSchema, def, rest)
      };
    });
    const steps = prepared.map(({ def, rawId, input }) => (): SaveOutcome => {
      if (rawId === undefined || rawId === null) {
        return {
          success: false,
          errors: [
            recordError(
              'MISSING_ARGUMENT',
              'Id not specified in an update call'
            )
          ]
        };
      }
      const id = normalizeId(String(rawId));
      if (!id)
        return {
          success: false,
          errors: [recordError('MALFORMED_ID', `malformed id ${String(rawId)}`)]
        };
      const existing = state.store.get(def.name, id);
      if (!existing)
        return {
          success: false,
          errors: [recordError('ENTITY_IS_DELETED', 'entity is deleted')]
        };
      return state.dml.save(state.userSchema, def, input, existing);
    });
    res.json(
      state.dml.batch(steps, allOrNone).map((o) => collectionResult(o, false))
    );
  });

  router.delete('/', (req, res) => {
    const ids = str(req.query.ids).split(',').filter(Boolean);
    if (ids.length > MAX_RECORDS) {
      throw new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`
      );
    }
    setRecordCount(res, ids.length);
    const allOrNone = str(req.query.allOrNone) === 'true';
    const steps = ids.map((raw) => (): SaveOutcome => {
      const id = normalizeId(raw);
      const hit = id ? state.store.find(id) : undefined;
      if (!id)
        return {
          success: false,
          errors: [recordError('MALFORMED_ID', `malformed id ${raw}`)]
        };
      if (!hit)
        return {
          success: false,
          errors: [recordError('ENTITY_IS_DELETED', 'entity is deleted')]
        };
      return state.dml.remove(state.userSchema, hit.def, id);
    });
    res.json(
      state.dml.batch(steps, allOrNone).map((o) => collectionResult(o, false))
    );
  });

  const retrieve = (type: string, rawIds: unknown, rawFields: unknown) => {
    const def = objectFromUrl(state.userSchema, type);
    const ids = Array.isArray(rawIds)
      ? rawIds.map(String)
      : str(rawIds).split(',').filter(Boolean);
    if (ids.length === 0)
      throw new ApiError(400, 'MISSING_ARGUMENT', 'ids is required');
    if (rawFields === undefined)
      throw new ApiError(400, 'MISSING_ARGUMENT', 'fields is required');
    if (ids.length > MAX_RETRIEVE)
      throw new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        `Cannot retrieve more than ${MAX_RETRIEVE} records`
      );
    const fields = requestedFields(state.userSchema, def, rawFields);
    return ids.map((raw) => {
      const id = normalizeId(raw);
      const record = id ? state.store.get(def.name, id) : undefined;
      return record
        ? serializeRecord(
            state.userSchema,
            def,
            record,
            state.apiVersion(),
            fields
          )
        : null;
    });
  };
  router.get('/:type', (req, res) => {
    const rows = retrieve(
      str(req.params.type),
      req.query.ids,
      req.query.fields
    );
    setRecordCount(res, rows.length);
    res.json(rows);
  });
  router.post('/:type', (req, res) => {
    const body = (req.body ?? {}) as SRecord;
    const rows = retrieve(str(req.params.type), body.ids, body.fields);
    setRecordCount(res, rows.length);
    res.json(rows);
  });

  router.patch('/:type/:field', (req, res) => {
    const def = objectFromUrl(state.userSchema, str(req.params.type));
    const field = externalIdField(state.userSchema, def, str(req.params.field));
    if (field.name === 'Id')
      throw new ApiError(
        400,
        'INVALID_FIELD',
        'Only external ids are supported for sObject Collections upsert; use an update for record ids'
      );
    const { allOrNone, records } = parseCollection(req.body);
    setRecordCount(res, records.length);
    const keyOf = (value: unknown) =>
      field.caseSensitive ? String(value) : String(value).toLowerCase();
    const counts = new Map<string, number>();
    const prepared = records.map((r) => {
      recordType(r, def);
      const extValue = fieldValue(r, field);
      if (extValue !== undefined && extValue !== null && extValue !== '') {
        counts.set(keyOf(extValue), (counts.get(keyOf(extValue)) ?? 0) + 1);
      }
      return { extValue, input: state.dml.prepare(state.userSchema, def, r) };
    });
    const steps = prepared.map(({ extValue, input }) => (): SaveOutcome => {
      if (extValue === undefined || extValue === null || extValue === '') {
        return {
          success: false,
          errors: [
            recordError('MISSING_ARGUMENT', `${field.name} not specified`, [
              field.name
            ])
          ]
        };
      }
      if ((counts.get(keyOf(extValue)) ?? 0) > 1) {
        return {
          success: false,
          errors: [
            recordError(
              'DUPLICATE_VALUE',
              `Duplicate external id specified: ${String(extValue)}`,
              [field.name]
            )
          ]
        };
      }
      const matches = state.store.findUnique(
        def,
        field.name,
        extValue,
        field.caseSensitive
      );
      if (matches.length > 1) {
        return {
          success: false,
          errors: [
            recordError(
              'DUPLICATE_EXTERNAL_ID',
              `${field.label}: more than one record found for external id field: [${matches.join(', ')}]`,
              [field.name]
            )
          ]
        };
      }
      const existing = matches[0]
        ? state.store.get(def.name, matches[0])
        : undefined;
      if (existing) input.delete(field);
      return state.dml.save(state.userSchema, def, input, existing);
    });
    res.json(
      state.dml.batch(steps, allOrNone).map((o) => collectionResult(o, true))
    );
  });

  return router;
}

function fieldValue(record: SRecord, field: FieldDef): unknown {
  const key = Object.keys(record).find(
    (k) => k.toLowerCase() === field.name.toLowerCase()
  );
  return key ? record[key] : undefined;
}

import { Router } from 'express';
import { normalizeId } from '../store/ids.ts';
import { ApiError, notFound } from '../errors.ts';
import { describeGlobal, describeSObject } from '../schema/describe.ts';
import { serializeRecord, recordUrl } from './serialize.ts';
import {
  assertSaved,
  externalIdField,
  objectFromUrl,
  requestedFields,
  requireBody,
  setRecordCount
} from './route-helpers.ts';
import type { Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import type { SRecord } from '../store/record-store.ts';
import type { SObjectDef } from '../schema/types.ts';

const str = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : '';

/** Query page size from `Sforce-Query-Options: batchSize=N`. */
function batchSize(req: Request): number | undefined {
  const match = /batchSize=(\d+)/i.exec(req.get('sforce-query-options') ?? '');
  return match?.[1] ? Number(match[1]) : undefined;
}

/** Limits the sandbox does not meter, reported with the defaults of an Enterprise Edition org. */
const STATIC_LIMITS = {
  DataStorageMB: { Max: 1024, Remaining: 1024 },
  DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
  DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 }
};

/** File storage of an Enterprise Edition org; copied files use it up. */
const FILE_STORAGE_MB = 2048;

const RECENT_ITEMS = 10;

/** sObject rows, describe, and SOQL under /services/data/vXX.X. */
export function createRestRoutes(
  state: SandboxState,
  identityUrl: (userId: string) => string
): Router {
  const router = Router({ mergeParams: true });
  const v = () => state.apiVersion();

  /**
   * `recentItems` of `GET /sobjects/{Type}`. The sandbox has no UI to view records in, so the most
   * recently modified records stand in for the recently viewed ones.
   */
  function recentItems(def: SObjectDef): SRecord[] {
    const hasName = def.fields.has('Name');
    return [...state.store.all(def.name)]
      .sort((a, b) =>
        String(b.LastModifiedDate ?? '').localeCompare(
          String(a.LastModifiedDate ?? '')
        )
      )
      .slice(0, RECENT_ITEMS)
      .map((r) => ({
        attributes: { type: def.name, url: recordUrl(v(), def.name, r.Id) },
        Id: r.Id,
        ...(hasName ? { Name: r.Name ?? null } : {})
      }));
  }

  // Only the resources the sandbox serves are listed, so a client never follows a link to a 404.
  router.get('/', (_req, res) => {
    const base = `/services/data/v${v()}`;
    res.json({
      identity: identityUrl(String(res.locals.userId)),
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      limits: `${base}/limits`
    });
  });

  // Remaining counts this call, so it agrees with the Sforce-Limit-Info header of the same response.
  router.get('/limits', (_req, res) => {
    res.json({
      DailyApiRequests: {
        Max: state.limits.max,
        Remaining: Math.max(0, state.limits.max - state.limits.used)
      },
      FileStorageMB: {
        Max: FILE_STORAGE_MB,
        Remaining: Math.max(
          0,
          FILE_STORAGE_MB - Math.ceil(state.files.usedBytes() / 1024 / 1024)
        )
      },
      ...STATIC_LIMITS
    });
  });

  router.get('/sobjects', (_req, res) => {
    res.json(describeGlobal(state.userSchema, v()));
  });

  router.get('/sobjects/:type/describe', (req, res) => {
    res.json(
      describeSObject(
        state.userSchema,
        objectFromUrl(state.userSchema, str(req.params.type)),
        v()
      )
    );
  });

  router.get('/sobjects/:type', (req, res) => {
    const def = objectFromUrl(state.userSchema, str(req.params.type));
    const {
      fields: _fields,
      childRelationships: _children,
      ...objectDescribe
    } = describeSObject(state.userSchema, def, v());
    res.json({ objectDescribe, recentItems: recentItems(def) });
  });

  router.post('/sobjects/:type', (req, res) => {
    const def = objectFromUrl(state.userSchema, str(req.params.type));
    setRecordCount(res, 1);
    const outcome = assertSaved(
      state.dml.create(state.userSchema, def, requireBody(req.body))
    );
    res.status(201).json({ id: outcome.id, success: true, errors: [] });
  });

  /** A record by Id; a malformed Id is MALFORMED_ID, a missing or foreign one NOT_FOUND. */
  function recordById(type: string, rawId: string) {
    const def = objectFromUrl(state.userSchema, type);
    const id = normalizeId(rawId);
    if (!id) throw new ApiError(400, 'MALFORMED_ID', `malformed id ${rawId}`);
    const record = state.store.get(def.name, id);
    if (!record) throw notFound();
    return { def, id, record };
  }

  /** One record as JSON, limited to the `fields` query parameter when given. */
  function sendRecord(
    res: Response,
    def: SObjectDef,
    record: SRecord,
    fields: unknown
  ) {
    res.json(
      serializeRecord(
        state.userSchema,
        def,
        record,
        v(),
        requestedFields(state.userSchema, def, fields)
      )
    );
  }

  router.get('/sobjects/:type/:id', (req, res) => {
    const { def, record } = recordById(
      str(req.params.type),
      str(req.params.id)
    );
    setRecordCount(res, 1);
    sendRecord(res, def, record, req.query.fields);
  });

  router.patch('/sobjects/:type/:id', (req, res) => {
    const { def, record } = recordById(
      str(req.params.type),
      str(req.params.id)
    );
    setRecordCount(res, 1);
    const input = state.dml.prepare(
      state.userSchema,
      def,
      requireBody(req.body)
    );
    assertSaved(state.dml.save(state.userSchema, def, input, record));
    res.status(204).end();
  });

  router.delete('/sobjects/:type/:id', (req, res) => {
    const { def, id } = recordById(str(req.params.type), str(req.params.id));
    setRecordCount(res, 1);
    assertSaved(state.dml.remove(state.userSchema, def, id));
    res.status(204).end();
  });

  /** Records whose external id field holds `value` (case rules from the field). */
  function byExternalId(type: string, fieldName: string, value: string) {
    const def = objectFromUrl(state.userSchema, type);
    const field = externalIdField(state.userSchema, def, fieldName);
    const ids =
      field.name === 'Id'
        ? [normalizeId(value)].filter(
            (id): id is string => !!id && !!state.store.get(def.name, id)
          )
        : state.store.findUnique(def, field.name, value, field.caseSensitive);
    return { def, field, ids };
  }

  function multipleChoices(type: string, ids: string[]): ApiError {
    return new ApiError(
      300,
      'MULTIPLE_CHOICES',
      'Multiple records found',
      undefined,
      ids.map((id) => recordUrl(v(), type, id))
    );
  }

  /** The one record an external id value names: NOT_FOUND for none, 300 for several. */
  function singleByExternalId(type: string, fieldName: string, value: string) {
    const { def, ids } = byExternalId(type, fieldName, value);
    if (ids.length === 0) throw notFound();
    if (ids.length > 1) throw multipleChoices(def.name, ids);
    return { def, id: ids[0] as string };
  }

  router.get('/sobjects/:type/:field/:value', (req, res) => {
    const { def, id } = singleByExternalId(
      str(req.params.type),
      str(req.params.field),
      str(req.params.value)
    );
    setRecordCount(res, 1);
    const record = state.store.get(def.name, id) as SRecord;
    sendRecord(res, def, record, req.query.fields);
  });

  // Upsert by external id: 201 with created:true, or 200 with created:false (API 46.0+).
  router.patch('/sobjects/:type/:field/:value', (req, res) => {
    const value = str(req.params.value);
    const { def, field, ids } = byExternalId(
      str(req.params.type),
      str(req.params.field),
      value
    );
    if (ids.length > 1) throw multipleChoices(def.name, ids);
    setRecordCount(res, 1);
    const body = { ...requireBody(req.body) };
    for (const key of Object.keys(body))
      if (key.toLowerCase() === field.name.toLowerCase()) delete body[key];
    const existing = ids[0] ? state.store.get(def.name, ids[0]) : undefined;
    if (!existing && field.name !== 'Id') body[field.name] = value;
    const input = state.dml.prepare(state.userSchema, def, body);
    const outcome = assertSaved(
      state.dml.save(state.userSchema, def, input, existing)
    );
    res.status(outcome.created ? 201 : 200).json({
      id: outcome.id,
      success: true,
      errors: [],
      created: outcome.created
    });
  });

  router.delete('/sobjects/:type/:field/:value', (req, res) => {
    const { def, id } = singleByExternalId(
      str(req.params.type),
      str(req.params.field),
      str(req.params.value)
    );
    setRecordCount(res, 1);
    assertSaved(state.dml.remove(state.userSchema, def, id));
    res.status(204).end();
  });

  const runQuery = (req: Request, includeDeleted = false) => {
    const q = str(req.query.q);
    if (!q)
      throw new ApiError(
        400,
        'MALFORMED_QUERY',
        'A query string (q) is required'
      );
    return state.query.query(q, batchSize(req), includeDeleted);
  };
  router.get('/query', (req, res) => {
    if (str(req.query.columns) === 'true') {
      res.json(state.query.columns(str(req.query.q)));
      return;
    }
    const page = runQuery(req);
    setRecordCount(res, page.records.length);
    res.json(page);
  });
  // queryAll also returns the Recycle Bin's records (IsDeleted = true).
  router.get('/queryAll', (req, res) => {
    const page = runQuery(req, true);
    setRecordCount(res, page.records.length);
    res.json(page);
  });
  router.get('/query/:locator', (req, res) => {
    const page = state.query.queryMore(str(req.params.locator));
    setRecordCount(res, page.records.length);
    res.json(page);
  });
  router.get('/queryAll/:locator', (req, res) => {
    const page = state.query.queryMore(str(req.params.locator));
    setRecordCount(res, page.records.length);
    res.json(page);
  });

  return router;
}

import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { ApiError } from '../errors.ts';
import {
  queryError,
  readPath,
  resolveFieldPath,
  followPath
} from './field-path.ts';
import { comparable, compileWhere } from './where.ts';
import { columnMetadata } from './column-metadata.ts';
import { checkContentLinkFilter } from './content-link-filter.ts';
import type { OrderByClause, Query } from '@jetstreamapp/soql-parser-js';
import type { Schema, SObjectDef } from '../schema/types.ts';
import type { RecordStore, SRecord } from '../store/record-store.ts';
import type { FieldPath } from './field-path.ts';
import type { Predicate } from './where.ts';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SRecord[];
}

interface Compiled {
  def: SObjectDef;
  countOnly: boolean;
  select: FieldPath[];
  where?: Predicate;
  order: { path: FieldPath; desc: boolean; nullsFirst: boolean }[];
  limit?: number;
  offset: number;
}

interface Cursor {
  compiled: Compiled;
  rows: SRecord[];
  pageSize: number;
}

const unsupported = (soql: string, token: string, what: string) =>
  queryError(
    soql,
    token,
    'MALFORMED_QUERY',
    `The Salesforce sandbox does not support ${what} in SOQL`
  );

/** `ALL ROWS` is Apex syntax; over the API a query of deleted rows goes to queryAll instead. */
const ALL_ROWS = /\bALL\s+ROWS\s*$/i;

function parse(soql: string): Query {
  if (ALL_ROWS.test(soql))
    throw queryError(
      soql,
      'ALL',
      'MALFORMED_QUERY',
      'ALL ROWS not allowed in this context'
    );
  try {
    return parseQuery(soql);
  } catch (error) {
    const message =
      error instanceof Error
        ? error.message.split('\n')[0]
        : 'unexpected token';
    throw new ApiError(
      400,
      'MALFORMED_QUERY',
      `\n${soql}\n^\nERROR at Row:1:Column:1\n${message}`
    );
  }
}

function compile(
  schema: Schema,
  store: RecordStore,
  soql: string,
  now: number
): Compiled {
  const q = parse(soql);
  if (!q.sObject) throw unsupported(soql, 'FROM', 'a query without FROM');
  if (q.groupBy || q.having)
    throw unsupported(soql, 'GROUP BY', 'GROUP BY / HAVING');
  if (
    q.usingScope ||
    q.withDataCategory ||
    q.for ||
    q.withAccessLevel ||
    q.withSecurityEnforced ||
    q.update
  ) {
    throw unsupported(
      soql,
      q.sObject,
      'USING SCOPE, WITH, FOR and UPDATE clauses'
    );
  }
  const def = schema.getObject(q.sObject);
  if (!def || !schema.access.objectAccess(def.name).read) {
    throw queryError(
      soql,
      q.sObject,
      'INVALID_TYPE',
      `sObject type '${q.sObject}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
    );
  }
  checkContentLinkFilter(soql, q);
  const alias = q.sObjectAlias;
  const fields = q.fields ?? [];
  const countOnly =
    fields.length === 1 &&
    fields[0]?.type === 'FieldFunctionExpression' &&
    fields[0].functionName.toUpperCase() === 'COUNT' &&
    fields[0].parameters?.length === 0;
  const select: FieldPath[] = [];
  const seen = new Set<string>();
  if (!countOnly) {
    for (const f of fields) {
      let raw: string;
      if (f.type === 'Field') raw = f.field;
      else if (f.type === 'FieldRelationship')
        raw = [...f.relationships, f.field].join('.');
      else if (f.type === 'FieldSubquery')
        throw unsupported(soql, '(SELECT', 'relationship subqueries');
      else if (f.type === 'FieldTypeof')
        throw unsupported(soql, 'TYPEOF', 'TYPEOF');
      else
        throw unsupported(
          soql,
          'SELECT',
          'functions and aggregates other than COUNT()'
        );
      const path = resolveFieldPath(schema, def, raw, soql, alias);
      const key = [...path.relationshipNames, path.field.name]
        .join('.')
        .toLowerCase();
      if (seen.has(key))
        throw queryError(
          soql,
          raw,
          'MALFORMED_QUERY',
          `duplicate field selected: ${raw}`
        );
      seen.add(key);
      select.push(path);
    }
  }
  const orderBy = (
    Array.isArray(q.orderBy) ? q.orderBy : q.orderBy ? [q.orderBy] : []
  ) as OrderByClause[];
  const order = orderBy.map((o) => {
    if (!('field' in o) || !o.field)
      throw unsupported(soql, 'ORDER BY', 'functions in ORDER BY');
    const path = resolveFieldPath(schema, def, o.field, soql, alias);
    if (path.field.longText)
      throw queryError(
        soql,
        o.field,
        'INVALID_FIELD',
        `field '${path.field.name}' can not be sorted in a query call`
      );
    const desc = o.order === 'DESC';
    return { path, desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !desc };
  });
  return {
    def,
    countOnly,
    select,
    where: q.where
      ? compileWhere(q.where, { schema, store, root: def, soql, alias, now })
      : undefined,
    order,
    limit: q.limit,
    offset: q.offset ?? 0
  };
}

function sortRows(
  store: RecordStore,
  rows: SRecord[],
  order: Compiled['order']
): void {
  if (order.length === 0) return;
  rows.sort((a, b) => {
    for (const o of order) {
      const va = comparable(o.path.field, readPath(store, a, o.path));
      const vb = comparable(o.path.field, readPath(store, b, o.path));
      if (va === vb) continue;
      if (va === null) return o.nullsFirst ? -1 : 1;
      if (vb === null) return o.nullsFirst ? 1 : -1;
      const cmp = va < vb ? -1 : 1;
      return o.desc ? -cmp : cmp;
    }
    return 0;
  });
}

export interface QueryEngineOptions {
  schema: () => Schema;
  store: RecordStore;
  /** The version of the request being served: every URL in an answer keeps it. */
  apiVersion: () => string;
  /** Open cursors kept for queryMore; the oldest is dropped beyond this. */
  maxCursors?: number;
}

/** SOQL over the in-memory store, with Salesforce's page size, cursors and response shape. */
export function createQueryEngine(options: QueryEngineOptions) {
  const { store } = options;
  const cursors = new Map<string, Cursor>();
  let cursorSeq = 0;

  const recordUrl = (type: string, id: unknown) =>
    `/services/data/v${options.apiVersion()}/sobjects/${type}/${String(id)}`;

  function toRow(compiled: Compiled, record: SRecord): SRecord {
    const row: SRecord = {
      attributes: {
        type: compiled.def.name,
        url: recordUrl(compiled.def.name, record.Id)
      }
    };
    for (const path of compiled.select) {
      let target: SRecord = row;
      let source: SRecord | undefined = record;
      let broken = false;
      for (const [i, lookup] of path.lookups.entries()) {
        const key = path.relationshipNames[i] ?? lookup.name;
        const parentId: unknown = source?.[lookup.name];
        const parentHit =
          typeof parentId === 'string' ? store.find(parentId) : undefined;
        if (!parentHit) {
          if (!(key in target)) target[key] = null;
          broken = true;
          break;
        }
        const existing = target[key];
        if (!existing || typeof existing !== 'object') {
          target[key] = {
            attributes: {
              type: parentHit.def.name,
              url: recordUrl(parentHit.def.name, parentHit.record.Id)
            }
          };
        }
        target = target[key] as SRecord;
        source = parentHit.record;
      }
      if (!broken) {
        const value = followPath(store, record, path)?.[path.field.name];
        target[path.field.name] = value === undefined ? null : value;
      }
    }
    return row;
  }

  function page(cursorId: string, offset: number): QueryPage {
    const cursor = cursors.get(cursorId);
    if (!cursor)
      throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const slice = cursor.rows.slice(offset, offset + cursor.pageSize);
    const end = offset + slice.length;
    const done = end >= cursor.rows.length;
    if (done) cursors.delete(cursorId);
    return {
      totalSize: cursor.rows.length,
      done,
      ...(done
        ? {}
        : {
            nextRecordsUrl: `/services/data/v${options.apiVersion()}/query/${cursorId}-${end}`
          }),
      records: slice.map((r) => toRow(cursor.compiled, r))
    };
  }

  return {
    /** Runs a query; `pageSize` comes from `Sforce-Query-Options: batchSize=N` (200–2000). */
    query(soql: string, pageSize = 2000, includeDeleted = false): QueryPage {
      const schema = options.schema();
      const compiled = compile(schema, store, soql, Date.now());
      const visible = (r: SRecord) =>
        schema.access.recordVisible?.(compiled.def.name, r) ?? true;
      let rows: SRecord[] = [];
      const sources = includeDeleted
        ? [store.all(compiled.def.name), store.allDeleted(compiled.def.name)]
        : [store.all(compiled.def.name)];
      for (const source of sources)
        for (const r of source)
          if (visible(r) && (!compiled.where || compiled.where(r)))
            rows.push(r);
      sortRows(store, rows, compiled.order);
      rows = rows.slice(
        compiled.offset,
        compiled.limit !== undefined
          ? compiled.offset + compiled.limit
          : undefined
      );
      if (compiled.countOnly)
        return { totalSize: rows.length, done: true, records: [] };
      const cursorId = `01g8d${String(++cursorSeq).padStart(10, '0')}AAA`;
      cursors.set(cursorId, {
        compiled,
        rows,
        pageSize: Math.min(2000, Math.max(200, pageSize))
      });
      if (cursors.size > (options.maxCursors ?? 1000)) {
        const oldest = cursors.keys().next().value;
        if (oldest) cursors.delete(oldest);
      }
      return page(cursorId, 0);
    },
    /** `?columns=true`: what the query selects, without running it. */
    columns(soql: string) {
      const schema = options.schema();
      const compiled = compile(schema, store, soql, Date.now());
      return columnMetadata(
        compiled.def,
        compiled.countOnly,
        compiled.select,
        (sobject, field) => schema.access.fieldAccess(sobject, field).editable
      );
    },
    /** The page behind a `nextRecordsUrl` locator (`<cursor>-<offset>`). */
    queryMore(locator: string): QueryPage {
      const match = /^(.+)-(\d+)$/.exec(locator);
      if (!match?.[1] || !match[2])
        throw new ApiError(
          400,
          'INVALID_QUERY_LOCATOR',
          'invalid query locator'
        );
      return page(match[1], Number(match[2]));
    },
    reset(): void {
      cursors.clear();
    }
  };
}

export type QueryEngine = ReturnType<typeof createQueryEngine>;

// SOQL text for REST GET queries: literals that no value can break out of, and IN-list queries cut so
// that the URL actually sent stays within Salesforce's request limit.
import { SalesforceApiError } from './salesforce-error.ts';

// Backslash-escape \ and ' and the control characters SOQL defines escapes for ("Quoted String Escape
// Sequences", SOQL and SOSL Reference), so no value can end the literal early.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f'
};

export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => ESCAPES[ch] ?? ch)}'`;
}

/**
 * The `q` parameter exactly as it goes on the wire. `encodeURIComponent` leaves `' ( ) * !` alone, and
 * the HTTP client then sends `'` as `%27`: encoding all five here makes the measured URL the sent one.
 */
export function encodeQueryParameter(soql: string): string {
  return encodeURIComponent(soql).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`
  );
}

/** The relative URL of a query (jsforce prefixes `/services/data/vXX.X`). */
export const queryPath = (soql: string): string =>
  `/query?q=${encodeQueryParameter(soql)}`;

/**
 * Salesforce refuses a request whose URI plus headers exceed 16,384 bytes (414/431). The headers of an
 * API call (Authorization with a ~112-character token, Host, User-Agent, Accept, …) stay well under
 * 4 KiB, so a query URL may use the rest.
 */
export const MAX_QUERY_URL_BYTES = 12_288;
/** `/services/data/v68.0` and longer version prefixes. */
const VERSION_PREFIX_BYTES = '/services/data/v100.0'.length;

/** The port of code that only reads: every record of every page of one SOQL query. */
export interface SoqlReader {
  query<T>(operation: string, soql: string): Promise<T[]>;
}

export interface InListQuery {
  /** e.g. `SELECT Id, WorkOrderNumber FROM WorkOrder` */
  select: string;
  /** IN-lists joined with OR; values are deduplicated and escaped here. */
  lists: readonly { field: string; values: readonly string[] }[];
  /** A condition every row must also meet, ANDed to the lists (e.g. `CreatedDate >= 2026-01-01T00:00:00Z`). */
  and?: string;
}

interface Item {
  field: string;
  literal: string;
}

function render(query: InListQuery, items: readonly Item[]): string {
  const clauses: string[] = [];
  for (const { field } of query.lists) {
    const literals = items
      .filter((item) => item.field === field)
      .map((item) => item.literal);
    if (literals.length > 0)
      clauses.push(`${field} IN (${literals.join(', ')})`);
  }
  const lists =
    clauses.length > 1 && query.and
      ? `(${clauses.join(' OR ')})`
      : clauses.join(' OR ');
  return `${query.select} WHERE ${lists}${query.and ? ` AND ${query.and}` : ''}`;
}

const urlBytes = (soql: string) =>
  VERSION_PREFIX_BYTES + queryPath(soql).length;

/**
 * Groups of IN-list values, each rendering to a query whose URL fits `maxUrlBytes`. The encoding is
 * per character, so a group's length is its frame plus the sum of its literals: exact, not estimated.
 */
export function chunkInListQuery(
  query: InListQuery,
  maxUrlBytes = MAX_QUERY_URL_BYTES
): Item[][] {
  const items: Item[] = query.lists.flatMap(({ field, values }) =>
    [...new Set(values)].map((value) => ({
      field,
      literal: soqlString(value)
    }))
  );
  // The frame with every list present is an upper bound for any group's frame.
  const frame = urlBytes(
    render(
      query,
      query.lists.map(({ field }) => ({ field, literal: '' }))
    )
  );
  const separator = encodeQueryParameter(', ').length;
  const groups: Item[][] = [];
  let current: Item[] = [];
  let length = frame;
  for (const item of items) {
    const added = encodeQueryParameter(item.literal).length + separator;
    if (current.length > 0 && length + added > maxUrlBytes) {
      groups.push(current);
      current = [];
      length = frame;
    }
    current.push(item);
    length += added;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The SOQL statements of `chunkInListQuery`, for callers and tests that want the text. */
export function buildInListQueries(
  query: InListQuery,
  maxUrlBytes = MAX_QUERY_URL_BYTES
): string[] {
  return chunkInListQuery(query, maxUrlBytes).map((items) =>
    render(query, items)
  );
}

/** Salesforce refused the request as too long (URI plus headers over its limit). */
export const isUriTooLong = (error: unknown): boolean =>
  error instanceof SalesforceApiError &&
  (error.status === 414 || error.status === 431);

/**
 * Runs an IN-list query in as few requests as the URL limit allows. A group that Salesforce still
 * refuses as too long (414/431: headers larger than assumed) is split in half and retried; a single
 * value that cannot fit is an error of its own, never the whole list's.
 */
export async function queryInLists<T>(
  reader: SoqlReader,
  operation: string,
  query: InListQuery,
  maxUrlBytes = MAX_QUERY_URL_BYTES
): Promise<T[]> {
  const rows: T[] = [];
  const run = async (items: Item[]): Promise<void> => {
    const soql = render(query, items);
    if (items.length === 1 && urlBytes(soql) > maxUrlBytes)
      throw new SalesforceApiError(
        `Salesforce ${operation}: one value makes the query URL ${urlBytes(soql)} bytes, over the ${maxUrlBytes}-byte limit`,
        { errorCode: 'URI_TOO_LONG', status: 414 }
      );
    try {
      rows.push(...(await reader.query<T>(operation, soql)));
    } catch (error) {
      if (!isUriTooLong(error) || items.length === 1) throw error;
      const half = Math.ceil(items.length / 2);
      await run(items.slice(0, half));
      await run(items.slice(half));
    }
  };
  for (const items of chunkInListQuery(query, maxUrlBytes)) await run(items);
  return rows;
}

export const WORK_ORDER_SELECT =
  'SELECT Id, WorkOrderNumber, CaseId, AssetId FROM WorkOrder';

/** Work orders by Id or WorkOrderNumber: `WHERE Id IN (...) OR WorkOrderNumber IN (...)`. */
export function workOrderQuery(
  ids: readonly string[],
  numbers: readonly string[]
): InListQuery {
  return {
    select: WORK_ORDER_SELECT,
    lists: [
      { field: 'Id', values: ids },
      { field: 'WorkOrderNumber', values: numbers }
    ]
  };
}

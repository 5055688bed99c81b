import { decodeStringLiteral, likePattern } from './string-literal.ts';
import { normalizeId } from '../store/ids.ts';
import { dateTimeMillis } from '../store/values.ts';
import { queryError, readPath, resolveFieldPath } from './field-path.ts';
import type { WhereClause } from '@jetstreamapp/soql-parser-js';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';
import type { RecordStore, SRecord } from '../store/record-store.ts';
import type { FieldPath } from './field-path.ts';

export type Predicate = (record: SRecord) => boolean;

type Token =
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'op'; op: 'AND' | 'OR' | 'NOT' }
  | { kind: 'cond'; cond: ConditionNode };

interface ConditionNode {
  field?: string;
  operator?: string;
  value?: string | string[];
  literalType?: string | string[];
  valueQuery?: unknown;
  fn?: unknown;
  dateLiteralVariable?: number | number[];
  openParen?: number;
  closeParen?: number;
}

interface Context {
  schema: Schema;
  store: RecordStore;
  root: SObjectDef;
  soql: string;
  alias?: string;
  now: number;
}

/**
 * The parser returns WHERE as a right-leaning chain with parenthesis counts on the conditions, so the
 * chain is flattened to tokens and parsed again with SOQL's rules (NOT binds tightest; AND and OR may
 * not be mixed without parentheses).
 */
function flatten(where: WhereClause | undefined, out: Token[]): void {
  if (!where) return;
  const left = (where as { left?: ConditionNode | null }).left;
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push({ kind: 'open' });
    if (left.field !== undefined || left.fn !== undefined)
      out.push({ kind: 'cond', cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i++)
      out.push({ kind: 'close' });
  }
  const op = (where as { operator?: string }).operator;
  if (op === 'AND' || op === 'OR' || op === 'NOT') out.push({ kind: 'op', op });
  flatten((where as { right?: WhereClause }).right, out);
}

export function compileWhere(where: WhereClause, ctx: Context): Predicate {
  const tokens: Token[] = [];
  flatten(where, tokens);
  let pos = 0;
  const malformed = (what: string) =>
    queryError(
      ctx.soql,
      'WHERE',
      'MALFORMED_QUERY',
      `unexpected token in WHERE: ${what}`
    );

  const parseExpr = (): Predicate => {
    const terms = [parseTerm()];
    let joiner: 'AND' | 'OR' | undefined;
    while (pos < tokens.length) {
      const t = tokens[pos];
      if (!t || t.kind !== 'op' || t.op === 'NOT') break;
      if (joiner && joiner !== t.op)
        throw malformed(`${t.op} (use parentheses when mixing AND and OR)`);
      joiner = t.op;
      pos++;
      terms.push(parseTerm());
    }
    if (terms.length === 1) return terms[0] as Predicate;
    return joiner === 'OR'
      ? (r) => terms.some((p) => p(r))
      : (r) => terms.every((p) => p(r));
  };
  const parseTerm = (): Predicate => {
    const t = tokens[pos++];
    if (!t) throw malformed('end of condition');
    if (t.kind === 'op' && t.op === 'NOT') {
      const inner = parseTerm();
      return (r) => !inner(r);
    }
    if (t.kind === 'open') {
      const inner = parseExpr();
      if (tokens[pos++]?.kind !== 'close') throw malformed('missing )');
      return inner;
    }
    if (t.kind === 'cond') return compileCondition(t.cond, ctx);
    throw malformed(t.kind === 'op' ? t.op : ')');
  };
  const predicate = parseExpr();
  if (pos !== tokens.length) throw malformed('trailing tokens');
  return predicate;
}

const STRINGISH = new Set([
  'string',
  'textarea',
  'picklist',
  'email',
  'phone',
  'url'
]);
const NUMERIC = new Set(['double', 'percent', 'currency', 'int']);

/** The error a real org gives for an escape sequence SOQL does not define. */
const illegalEscape = (ctx: Context, raw: string) => (sequence: string) =>
  queryError(
    ctx.soql,
    raw,
    'MALFORMED_QUERY',
    `Invalid string literal ${raw}. Illegal character sequence '${sequence}' in string literal.`
  );

type Literal =
  | { kind: 'null' }
  | { kind: 'value'; value: string | number | boolean }
  | { kind: 'range'; from: number; to: number };

function dayStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

const DAY = 86_400_000;

/** Date literals the sandbox evaluates (in UTC); others are refused rather than guessed. */
function dateLiteral(
  name: string,
  n: number | undefined,
  ctx: Context
): Literal {
  const today = dayStart(ctx.now);
  switch (name.toUpperCase()) {
    case 'TODAY':
      return { kind: 'range', from: today, to: today + DAY - 1 };
    case 'YESTERDAY':
      return { kind: 'range', from: today - DAY, to: today - 1 };
    case 'TOMORROW':
      return { kind: 'range', from: today + DAY, to: today + 2 * DAY - 1 };
    case 'LAST_N_DAYS':
      return {
        kind: 'range',
        from: today - (n ?? 0) * DAY,
        to: today + DAY - 1
      };
    case 'NEXT_N_DAYS':
      return {
        kind: 'range',
        from: today,
        to: today + ((n ?? 0) + 1) * DAY - 1
      };
    default:
      throw queryError(
        ctx.soql,
        name,
        'MALFORMED_QUERY',
        `The Salesforce sandbox does not support the date literal ${name}`
      );
  }
}

function literalFor(
  field: FieldDef,
  raw: string,
  type: string,
  dateN: number | undefined,
  ctx: Context,
  token: string
): Literal {
  const wrongType = (expected: string) =>
    queryError(
      ctx.soql,
      token,
      'INVALID_QUERY_FILTER_OPERATOR',
      `value of filter criterion for field '${field.name}' must be of type ${expected} and should not be enclosed in quotes`
    );
  if (type === 'NULL') return { kind: 'null' };
  switch (field.type) {
    case 'id':
    case 'reference': {
      if (type !== 'STRING') throw wrongType('id');
      const text = decodeStringLiteral(raw, illegalEscape(ctx, raw));
      const id = normalizeId(text);
      if (!id)
        throw queryError(
          ctx.soql,
          raw,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid ID field: ${text}`
        );
      return { kind: 'value', value: id };
    }
    case 'boolean':
      if (type !== 'BOOLEAN') throw wrongType('boolean');
      return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
    case 'datetime':
      if (type === 'DATETIME')
        return { kind: 'value', value: dateTimeMillis(raw) };
      if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL')
        return dateLiteral(raw.split(':')[0] ?? raw, dateN, ctx);
      throw wrongType('dateTime');
    case 'date':
      if (type === 'DATE')
        return { kind: 'value', value: Date.parse(`${raw}T00:00:00Z`) };
      if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL')
        return dateLiteral(raw.split(':')[0] ?? raw, dateN, ctx);
      throw wrongType('date');
    default:
      if (NUMERIC.has(field.type)) {
        if (type !== 'INTEGER' && type !== 'DECIMAL') throw wrongType('double');
        return { kind: 'value', value: Number(raw) };
      }
      if (type !== 'STRING') throw wrongType('string');
      return {
        kind: 'value',
        value: decodeStringLiteral(raw, illegalEscape(ctx, raw)).toLowerCase()
      };
  }
}

/** A record value in the comparable form its literal was converted to. */
function comparable(
  field: FieldDef,
  value: unknown
): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime') return dateTimeMillis(String(value));
  if (field.type === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
  if (field.type === 'id' || field.type === 'reference') return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value).toLowerCase();
}

function compileCondition(cond: ConditionNode, ctx: Context): Predicate {
  if (cond.fn !== undefined || cond.field === undefined) {
    throw queryError(
      ctx.soql,
      'WHERE',
      'MALFORMED_QUERY',
      'The Salesforce sandbox does not support functions in WHERE'
    );
  }
  if (cond.valueQuery !== undefined) {
    throw queryError(
      ctx.soql,
      'SELECT',
      'MALFORMED_QUERY',
      'The Salesforce sandbox does not support semi-join subqueries in WHERE'
    );
  }
  const path: FieldPath = resolveFieldPath(
    ctx.schema,
    ctx.root,
    cond.field,
    ctx.soql,
    ctx.alias
  );
  const field = path.field;
  if (field.longText || field.type === 'base64') {
    throw queryError(
      ctx.soql,
      cond.field,
      'INVALID_FIELD',
      `field '${field.name}' can not be filtered in a query call`
    );
  }
  const operator = (cond.operator ?? '').toUpperCase();
  const raws = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
  const types = Array.isArray(cond.literalType)
    ? cond.literalType
    : raws.map(() => (cond.literalType as string | undefined) ?? 'STRING');
  const dateNs = Array.isArray(cond.dateLiteralVariable)
    ? cond.dateLiteralVariable
    : raws.map(() => cond.dateLiteralVariable as number | undefined);
  // A LIKE pattern has escapes of its own (\_ and \%), so it is read from the raw literal below.
  const literals = (operator === 'LIKE' ? [] : raws).map((raw, i) =>
    literalFor(
      field,
      raw,
      types[i] ?? 'STRING',
      dateNs[i],
      ctx,
      cond.field ?? ''
    )
  );
  const get = (r: SRecord) => comparable(field, readPath(ctx.store, r, path));
  const first = literals[0] as Literal;

  const equals = (v: ReturnType<typeof get>, lit: Literal): boolean => {
    if (lit.kind === 'null') return v === null;
    if (v === null) return false;
    if (lit.kind === 'range')
      return typeof v === 'number' && v >= lit.from && v <= lit.to;
    return v === lit.value;
  };
  const compare = (
    v: ReturnType<typeof get>,
    lit: Literal,
    test: (a: number) => boolean
  ): boolean => {
    if (v === null || lit.kind === 'null') return false;
    if (lit.kind === 'range') {
      if (typeof v !== 'number') return false;
      // > TODAY means after the whole day; < TODAY before it starts.
      if (test(1) && !test(0)) return v > lit.to;
      if (test(-1) && !test(0)) return v < lit.from;
      return test(1) ? v >= lit.from : v <= lit.to;
    }
    const a = v;
    const b = lit.value;
    const order =
      typeof a === 'number' && typeof b === 'number'
        ? a - b
        : String(a) < String(b)
          ? -1
          : String(a) > String(b)
            ? 1
            : 0;
    return test(Math.sign(order));
  };

  switch (operator) {
    case '=':
      return (r) => equals(get(r), first);
    case '!=':
    case '<>':
      return (r) => !equals(get(r), first);
    case '<':
      return (r) => compare(get(r), first, (o) => o < 0);
    case '<=':
      return (r) => compare(get(r), first, (o) => o <= 0);
    case '>':
      return (r) => compare(get(r), first, (o) => o > 0);
    case '>=':
      return (r) => compare(get(r), first, (o) => o >= 0);
    case 'IN':
      return (r) => {
        const v = get(r);
        return literals.some((lit) => equals(v, lit));
      };
    case 'NOT IN':
      return (r) => {
        const v = get(r);
        return !literals.some((lit) => equals(v, lit));
      };
    case 'LIKE': {
      if (
        !STRINGISH.has(field.type) &&
        field.type !== 'id' &&
        field.type !== 'reference'
      ) {
        throw queryError(
          ctx.soql,
          cond.field,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid operator on ${field.type} field: LIKE`
        );
      }
      const raw = raws[0] ?? '';
      if ((types[0] ?? 'STRING') !== 'STRING')
        throw queryError(
          ctx.soql,
          cond.field,
          'INVALID_QUERY_FILTER_OPERATOR',
          `value of filter criterion for field '${field.name}' must be of type string and should be enclosed in quotes`
        );
      const pattern = likePattern(raw, illegalEscape(ctx, raw));
      return (r) => {
        const v = get(r);
        return v !== null && pattern.test(String(v));
      };
    }
    default:
      throw queryError(
        ctx.soql,
        operator,
        'MALFORMED_QUERY',
        `The Salesforce sandbox does not support the operator ${operator}`
      );
  }
}

export { comparable };
export type { Context as WhereContext };

// A small subset of the Salesforce formula language, enough for the validation rules and formula fields
// a package ships: AND, OR, NOT, ISBLANK, ISNULL, ISPICKVAL, LEN, IF, BLANKVALUE, && || !,
// = == != <> < <= > >=, + - * /, field references on the record's own object, and number, string,
// TRUE/FALSE and NULL literals. Anything else is refused when the formula is compiled, never evaluated
// as a guess. Dates and date/times are numbers of days (as in formulas: DateTime - DateTime is days),
// and arithmetic on a blank is blank (formulaTreatBlanksAs BlankAsBlank).
import { dateTimeMillis } from '../store/values.ts';
import type { FieldDef, SObjectDef } from './types.ts';

export type FormulaValue = string | number | boolean | null;
export type CompiledFormula = (record: Record<string, unknown>) => FormulaValue;

export class FormulaError extends Error {}

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string };

const OPERATORS = [
  '+',
  '-',
  '*',
  '/',
  '&&',
  '||',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  '!',
  '(',
  ')',
  ','
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new FormulaError('unterminated comment');
      i = end + 2;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\') j++;
        value += source[j] ?? '';
      }
      if (j >= source.length) throw new FormulaError('unterminated string');
      tokens.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    const ident = /^[A-Za-z][A-Za-z0-9_.$]*/.exec(source.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new FormulaError(`unsupported character '${c}'`);
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  return tokens;
}

const isBlank = (v: FormulaValue) => v === null || v === '';

/** Compares like a formula: numbers and dates by value, text exactly; a blank operand compares false. */
function compare(op: string, a: FormulaValue, b: FormulaValue): boolean {
  if (op === '=' || op === '==') return isBlank(a) ? isBlank(b) : a === b;
  if (op === '!=' || op === '<>') return isBlank(a) ? !isBlank(b) : a !== b;
  if (a === null || b === null) return false;
  const order = a < b ? -1 : a > b ? 1 : 0;
  if (op === '<') return order < 0;
  if (op === '<=') return order <= 0;
  if (op === '>') return order > 0;
  return order >= 0;
}

const FUNCTIONS = [
  'AND',
  'OR',
  'NOT',
  'ISBLANK',
  'ISNULL',
  'ISPICKVAL',
  'LEN',
  'IF',
  'BLANKVALUE'
];

export const DAY_MS = 86_400_000;

/** + - * / on numbers (days for dates); blank when either side is blank, as BlankAsBlank formulas do. */
function arithmetic(
  op: string,
  a: FormulaValue,
  b: FormulaValue
): FormulaValue {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  return b === 0 ? null : a / b;
}

/** Compiles `source` against `def`; throws FormulaError naming what is outside the subset. */
export function compileFormula(
  source: string,
  def: SObjectDef
): CompiledFormula {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];
  const expect = (value: string) => {
    const t = take();
    if (t?.kind !== 'op' || t.value !== value)
      throw new FormulaError(`expected '${value}'`);
  };
  const fieldOf = (name: string): FieldDef => {
    const field = [...def.fields.values()].find(
      (f) => f.name.toLowerCase() === name.toLowerCase()
    );
    if (!field)
      throw new FormulaError(
        name.includes('.') || name.startsWith('$')
          ? `cross-object and global references (${name}) are not supported`
          : `unknown field ${name} on ${def.name}`
      );
    return field;
  };
  const readField =
    (field: FieldDef) =>
    (r: Record<string, unknown>): FormulaValue => {
      const v = r[field.name];
      if (v === undefined || v === null) return null;
      if (field.type === 'datetime') return dateTimeMillis(String(v)) / DAY_MS;
      if (field.type === 'date')
        return Date.parse(`${String(v)}T00:00:00Z`) / DAY_MS;
      return typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    };

  function call(name: string): CompiledFormula {
    const upper = name.toUpperCase();
    if (!FUNCTIONS.includes(upper))
      throw new FormulaError(
        `function ${name} is not supported (supported: ${FUNCTIONS.join(', ')})`
      );
    expect('(');
    if (upper === 'ISPICKVAL') {
      const ref = take();
      if (ref?.kind !== 'ident')
        throw new FormulaError('ISPICKVAL needs a picklist field');
      const field = fieldOf(ref.value);
      if (field.type !== 'picklist')
        throw new FormulaError(
          `ISPICKVAL needs a picklist field, ${field.name} is not one`
        );
      expect(',');
      const literal = take();
      if (literal?.kind !== 'string')
        throw new FormulaError('ISPICKVAL needs a text literal');
      expect(')');
      const read = readField(field);
      return (r) => read(r) === literal.value;
    }
    const args: CompiledFormula[] = [];
    if (!(peek()?.kind === 'op' && peek()?.value === ')')) {
      args.push(expression(true));
      while (peek()?.kind === 'op' && peek()?.value === ',') {
        take();
        args.push(expression(true));
      }
    }
    expect(')');
    const arity = (n: number) => {
      if (args.length !== n)
        throw new FormulaError(`${upper} takes ${n} argument(s)`);
    };
    switch (upper) {
      case 'AND':
        return (r) => args.every((a) => a(r) === true);
      case 'OR':
        return (r) => args.some((a) => a(r) === true);
      case 'NOT': {
        arity(1);
        const [a] = args as [CompiledFormula];
        return (r) => a(r) !== true;
      }
      case 'IF': {
        arity(3);
        const [test, then, otherwise] = args as [
          CompiledFormula,
          CompiledFormula,
          CompiledFormula
        ];
        return (r) => (test(r) === true ? then(r) : otherwise(r));
      }
      case 'BLANKVALUE': {
        arity(2);
        const [value, fallback] = args as [CompiledFormula, CompiledFormula];
        return (r) => {
          const v = value(r);
          return isBlank(v) ? fallback(r) : v;
        };
      }
      case 'ISBLANK':
      case 'ISNULL': {
        arity(1);
        const [a] = args as [CompiledFormula];
        return (r) => isBlank(a(r));
      }
      default: {
        arity(1);
        const [a] = args as [CompiledFormula];
        return (r) => {
          const v = a(r);
          return v === null ? 0 : String(v).length;
        };
      }
    }
  }

  function primary(allowPicklist: boolean): CompiledFormula {
    const t = take();
    if (!t) throw new FormulaError('unexpected end of formula');
    if (t.kind === 'number' || t.kind === 'string') return () => t.value;
    if (t.kind === 'op' && t.value === '(') {
      const inner = expression(false);
      expect(')');
      return inner;
    }
    if (t.kind === 'op' && t.value === '!') {
      const inner = primary(false);
      return (r) => inner(r) !== true;
    }
    if (t.kind === 'op' && t.value === '-') {
      const inner = primary(false);
      return (r) => arithmetic('-', 0, inner(r));
    }
    if (t.kind !== 'ident') throw new FormulaError(`unexpected '${t.value}'`);
    const upper = t.value.toUpperCase();
    if (upper === 'TRUE') return () => true;
    if (upper === 'FALSE') return () => false;
    if (upper === 'NULL') return () => null;
    if (peek()?.kind === 'op' && peek()?.value === '(') return call(t.value);
    const field = fieldOf(t.value);
    if (field.type === 'picklist' && !allowPicklist)
      throw new FormulaError(
        `${field.name} is a picklist field; picklist fields are only supported in ISPICKVAL and ISBLANK`
      );
    return readField(field);
  }

  /** Left-associative binary operators of one precedence level over `operand`. */
  function binary(
    ops: readonly string[],
    operand: (allowPicklist: boolean) => CompiledFormula,
    allowPicklist: boolean
  ): CompiledFormula {
    let left = operand(allowPicklist);
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || !ops.includes(t.value)) return left;
      take();
      const right = operand(false);
      const l = left;
      left = (r) => arithmetic(t.value, l(r), right(r));
    }
  }
  const term = (allowPicklist: boolean) =>
    binary(['*', '/'], primary, allowPicklist);
  const sum = (allowPicklist: boolean) =>
    binary(['+', '-'], term, allowPicklist);

  function comparison(allowPicklist: boolean): CompiledFormula {
    const left = sum(allowPicklist);
    const t = peek();
    if (
      t?.kind === 'op' &&
      ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(t.value)
    ) {
      take();
      const right = sum(false);
      return (r) => compare(t.value, left(r), right(r));
    }
    return left;
  }

  function expression(allowPicklist: boolean): CompiledFormula {
    let left = comparison(allowPicklist);
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || (t.value !== '&&' && t.value !== '||'))
        return left;
      take();
      const right = comparison(false);
      const l = left;
      left =
        t.value === '&&'
          ? (r) => l(r) === true && right(r) === true
          : (r) => l(r) === true || right(r) === true;
    }
  }

  const compiled = expression(false);
  if (pos < tokens.length)
    throw new FormulaError(`unexpected '${String(tokens[pos]?.value)}'`);
  return compiled;
}

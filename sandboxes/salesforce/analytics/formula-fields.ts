// Formula fields of the package (a <formula> in objects/<Object>/fields/*.field-meta.xml) evaluated on
// the rows a report reads: the store keeps no value for them, a real org computes them when read. The
// evaluator knows the arithmetic and functions the package's formulas use (IF, BLANKVALUE, ISBLANK,
// NULL, + - * /, date-time differences in days); any other formula is refused when it is loaded.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readMetadataXml, text } from '../metadata/xml.ts';

type Value = number | boolean | string | Date | null;
type Node =
  | { kind: 'number'; value: number }
  | { kind: 'null' }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'binary'; op: string; left: Node; right: Node };

export interface FormulaField {
  field: string;
  type: string;
  scale: number;
  evaluate(row: Record<string, unknown>): unknown;
}

const TOKEN = /\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),])/y;

function tokenize(formula: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < formula.trimEnd().length) {
    const match = TOKEN.exec(formula);
    if (!match?.[1]) throw new Error(`cannot read formula ${formula}`);
    tokens.push(match[1]);
  }
  return tokens;
}

function parse(tokens: string[]): Node {
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected && token !== expected))
      throw new Error(`formula: expected ${expected ?? 'more'}`);
    return token;
  };
  const factor = (): Node => {
    const token = take();
    if (token === '(') {
      const inner = sum();
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (token.toUpperCase() === 'NULL') return { kind: 'null' };
    if (peek() !== '(') return { kind: 'field', name: token };
    take('(');
    const args: Node[] = [];
    while (peek() !== ')') {
      args.push(sum());
      if (peek() === ',') take(',');
    }
    take(')');
    return { kind: 'call', name: token.toUpperCase(), args };
  };
  const chain = (next: () => Node, ops: string[]) => (): Node => {
    let left = next();
    while (ops.includes(peek() ?? '')) {
      const op = take();
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };
  const product = chain(factor, ['*', '/']);
  const sum = chain(product, ['+', '-']);
  const tree = sum();
  if (at !== tokens.length) throw new Error('formula: unexpected tokens');
  return tree;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;
const blank = (v: Value) => v === null || v === '';

function read(row: Record<string, unknown>, name: string): Value {
  const raw = row[name];
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' && DATE_TIME.test(raw)) return new Date(raw);
  return raw as Value;
}

function arithmetic(op: string, a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  // A date-time minus a date-time is a number of days, as in Salesforce formulas.
  const x = a instanceof Date ? a.getTime() / 86_400_000 : Number(a);
  const y = b instanceof Date ? b.getTime() / 86_400_000 : Number(b);
  if (op === '+') return x + y;
  if (op === '-') return x - y;
  if (op === '*') return x * y;
  return y === 0 ? null : x / y;
}

function evaluate(node: Node, row: Record<string, unknown>): Value {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'null':
      return null;
    case 'field':
      return read(row, node.name);
    case 'binary':
      return arithmetic(
        node.op,
        evaluate(node.left, row),
        evaluate(node.right, row)
      );
    case 'call': {
      const [a, b, c] = node.args;
      if (node.name === 'IF' && a && b && c)
        return evaluate(a, row) === true ? evaluate(b, row) : evaluate(c, row);
      if (node.name === 'BLANKVALUE' && a && b) {
        const value = evaluate(a, row);
        return blank(value) ? evaluate(b, row) : value;
      }
      if (node.name === 'ISBLANK' && a) return blank(evaluate(a, row));
      throw new Error(`formula function ${node.name} is not emulated`);
    }
  }
}

/** The fields a formula reads (to select them alongside it). */
function fieldsOf(node: Node): string[] {
  if (node.kind === 'field') return [node.name];
  if (node.kind === 'binary')
    return [...fieldsOf(node.left), ...fieldsOf(node.right)];
  if (node.kind === 'call') return node.args.flatMap(fieldsOf);
  return [];
}

function compile(field: string, type: string, scale: number, formula: string) {
  const tree = parse(tokenize(formula));
  return {
    field,
    type,
    scale,
    inputs: [...new Set(fieldsOf(tree))],
    evaluate(row: Record<string, unknown>): unknown {
      const value = evaluate(tree, row);
      if (value instanceof Date)
        return value.toISOString().replace('Z', '+0000');
      if (typeof value === 'number')
        return Math.round(value * 10 ** scale) / 10 ** scale;
      return value;
    }
  };
}

export type CompiledFormulaField = FormulaField & { inputs: string[] };

/** Formula fields by object (lower-case name) and field (lower-case name). */
export function loadFormulaFields(
  metadataDir: string
): Map<string, Map<string, CompiledFormulaField>> {
  const byObject = new Map<string, Map<string, CompiledFormulaField>>();
  const objectsDir = join(metadataDir, 'objects');
  if (!existsSync(objectsDir)) return byObject;
  for (const object of readdirSync(objectsDir)) {
    const fieldsDir = join(objectsDir, object, 'fields');
    if (!existsSync(fieldsDir)) continue;
    for (const file of readdirSync(fieldsDir)) {
      if (!file.endsWith('.field-meta.xml')) continue;
      const node = readMetadataXml(join(fieldsDir, file), 'CustomField');
      const formula = text(node, 'formula');
      if (!formula) continue;
      const name = file.replace('.field-meta.xml', '');
      const fields = byObject.get(object.toLowerCase()) ?? new Map();
      fields.set(
        name.toLowerCase(),
        compile(
          name,
          text(node, 'type'),
          Number(text(node, 'scale') || 0),
          formula
        )
      );
      byObject.set(object.toLowerCase(), fields);
    }
  }
  return byObject;
}

// The fields the connector reads, taken from the SOQL it issues (connector/src, `report ttr`
// included), so WorkLink_Integration cannot fall behind a new query. A query is a string or template
// literal starting with SELECT; `${…}` parts are replaced by the constants below or dropped (they are
// values, such as id lists, or field lists covered by the written fields).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../../connector/src/mapping/session-record.ts';

const CONSTANTS: Readonly<Record<string, string>> = {
  SESSION_OBJECT,
  SESSION_EXTERNAL_ID_FIELD
};

const LITERAL = /`(SELECT\s[^`]*)`|'(SELECT\s[^'\n]*)'/g;
const QUERY = /^SELECT\s+([\s\S]+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+([\s\S]*))?$/i;
const CONDITION =
  /\b([A-Za-z_][\w.]*)\s*(?:=|!=|<>|<=|>=|<|>|\s(?:NOT\s+)?IN\b|\sLIKE\b|\sINCLUDES\b|\sEXCLUDES\b)/gi;
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'NULL', 'TRUE', 'FALSE']);

export interface ConnectorQuery {
  /** Where the query is written, relative to the project root. */
  readonly file: string;
  readonly object: string;
  /** Fields selected or filtered on, as paths from the object (`AssetId`, `Asset.Name`). */
  readonly fields: readonly string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const isField = (token: string): boolean =>
  /^[A-Za-z_][\w.]*$/.test(token) && !KEYWORDS.has(token.toUpperCase());

/** Parses one SOQL text; undefined when it is not a plain `SELECT … FROM Object` query. */
export function parseQuery(
  text: string,
  file = ''
): ConnectorQuery | undefined {
  const soql = text
    .replace(/\$\{\s*(\w+)\s*\}/g, (_, name: string) => CONSTANTS[name] ?? '')
    .replace(/\$\{[^}]*\}/g, '')
    .trim();
  const match = QUERY.exec(soql);
  if (!match?.[1] || !match[2]) return undefined;
  const selected = match[1].split(',').map((f) => f.trim());
  const filtered = [...(match[3] ?? '').matchAll(CONDITION)].map(
    (m) => m[1] ?? ''
  );
  return {
    file,
    object: match[2],
    fields: [...new Set([...selected, ...filtered].filter(isField))]
  };
}

/** Every SOQL query written in connector/src. */
export function connectorQueries(projectRoot: string): ConnectorQuery[] {
  return tsFiles(join(projectRoot, 'connector', 'src')).flatMap((path) => {
    const source = readFileSync(path, 'utf8');
    const file = relative(projectRoot, path);
    return [...source.matchAll(LITERAL)]
      .map((m) => parseQuery(m[1] ?? m[2] ?? '', file))
      .filter((q): q is ConnectorQuery => q !== undefined);
  });
}

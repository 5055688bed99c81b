// SOQL string literals accept only the documented escape sequences (SOQL and SOSL Reference, "Quoted
// String Escape Sequences"): \n \r \t \b \f (either case), \" \' \\, and in LIKE also \_ and \%.
// Anything else after a backslash is a MALFORMED_QUERY in a real org, so it is here too.

const CONTROL: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f'
};
const QUOTED = new Set(['"', "'", '\\']);
const LIKE_ONLY = new Set(['_', '%']);

/** One character of a decoded literal; `escaped` marks a LIKE wildcard that is meant literally. */
interface Char {
  char: string;
  escaped: boolean;
}

function decode(
  raw: string,
  like: boolean,
  illegal: (sequence: string) => Error
): Char[] {
  const inner = raw.slice(1, -1);
  const out: Char[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i] as string;
    if (c !== '\\') {
      out.push({ char: c, escaped: false });
      continue;
    }
    const next = inner[i + 1];
    i++;
    if (next === undefined) throw illegal('\\');
    const control = CONTROL[next.toLowerCase()];
    if (control !== undefined) out.push({ char: control, escaped: true });
    else if (QUOTED.has(next)) out.push({ char: next, escaped: true });
    else if (like && LIKE_ONLY.has(next))
      out.push({ char: next, escaped: true });
    else throw illegal(`\\${next}`);
  }
  return out;
}

/** The value of a quoted literal (`'…'`) outside LIKE. */
export function decodeStringLiteral(
  raw: string,
  illegal: (sequence: string) => Error
): string {
  return decode(raw, false, illegal)
    .map((c) => c.char)
    .join('');
}

/** A LIKE pattern: `%` and `_` are wildcards unless escaped; matching ignores case, as Salesforce does. */
export function likePattern(
  raw: string,
  illegal: (sequence: string) => Error
): RegExp {
  const source = decode(raw, true, illegal)
    .map(({ char, escaped }) => {
      if (!escaped && char === '%') return '.*';
      if (!escaped && char === '_') return '.';
      return char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 'isu');
}

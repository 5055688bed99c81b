// Global node ids. Scope's are opaque Base64 strings in two alphabets (reference §3.3): standard with
// `+ / =` (`OiSSdfK1…dqY=`) and URL-safe with `- _` (`6_kJ_XUG…`). Ours are Base64 of
// `gid://scope/<Type>/<databaseId>` plus a few marker bytes that put `+`, `/` or `-`, `_` into the id,
// so every client path meets ids that need escaping in URLs, query strings and SOQL. An id is only
// accepted exactly as it was issued: a client that turns `+` into a space, drops the `=` or swaps the
// alphabet gets "not found", as it would from an opaque-id API.

export type NodeIdStyle = 'mixed' | 'standard' | 'urlsafe';

const PREFIX = 'gid://scope/';

/** Byte triples that Base64 turns into `++++`, `////` and `+/+/` (URL-safe: `-_-_`). */
const MARKERS = {
  plus: [0xfb, 0xef, 0xbe],
  slash: [0xff, 0xff, 0xff],
  both: [0xfb, 0xff, 0xbf]
} as const;

type Variant =
  | { alphabet: 'standard'; marker: keyof typeof MARKERS | null }
  | { alphabet: 'urlsafe'; marker: keyof typeof MARKERS };

/** Which alphabet and marker an id gets; `mixed` spreads all four variants over database ids. */
function variantOf(style: NodeIdStyle, databaseId: number): Variant {
  const slot = Math.abs(databaseId) % 4;
  if (style === 'urlsafe') return { alphabet: 'urlsafe', marker: 'both' };
  if (style === 'standard' || slot !== 2) {
    const markers = ['plus', 'slash', null, null] as const;
    return { alphabet: 'standard', marker: markers[slot] ?? null };
  }
  return { alphabet: 'urlsafe', marker: 'both' };
}

export function encodeNodeId(
  type: string,
  databaseId: string | number,
  style: NodeIdStyle = 'mixed'
): string {
  const variant = variantOf(style, Number(databaseId));
  // Pad with '#' to a multiple of 3 bytes so the marker starts a Base64 group, then to 3n+2 bytes so a
  // standard id ends in one '=', like the documented sample.
  let text = `${PREFIX}${type}/${databaseId}`;
  while (text.length % 3 !== 0) text += '#';
  const bytes = [
    ...Buffer.from(text, 'utf8'),
    ...(variant.marker ? MARKERS[variant.marker] : [])
  ];
  bytes.push(0x23, 0x23);
  const standard = Buffer.from(bytes).toString('base64');
  return variant.alphabet === 'standard' ? standard : toUrlSafe(standard);
}

export function toUrlSafe(standard: string): string {
  return standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface DecodedNodeId {
  type: string;
  databaseId: string;
}

/**
 * The type and database id of one of our ids, or null for anything else (the API then answers "not
 * found"). With a style, only the exact id that style issues is accepted.
 */
export function decodeNodeId(
  id: string,
  style?: NodeIdStyle
): DecodedNodeId | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(id)) return null;
  const normalised = id.replace(/-/g, '+').replace(/_/g, '/');
  const text = Buffer.from(normalised, 'base64').toString('latin1');
  if (!text.startsWith(PREFIX)) return null;
  const match = /^([A-Za-z]+)\/(\d+)#*/.exec(text.slice(PREFIX.length));
  if (!match?.[1] || !match[2]) return null;
  const decoded = { type: match[1], databaseId: match[2] };
  if (style !== undefined && encodeNodeId(match[1], match[2], style) !== id)
    return null;
  return decoded;
}

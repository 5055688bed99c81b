// Global node ids. Scope's are opaque Base64 strings, some with `=` padding, some URL-safe
// (reference §3.3). Ours are Base64 of `gid://scope/<Type>/<databaseId>`; node(id:) accepts both alphabets.

export type NodeIdStyle = 'standard' | 'urlsafe';

const PREFIX = 'gid://scope/';

export function encodeNodeId(
  type: string,
  databaseId: string | number,
  style: NodeIdStyle = 'standard'
): string {
  // Pad with '#' to a length of 3n+2 bytes so every standard id ends in one '=', like the documented sample.
  let text = `${PREFIX}${type}/${databaseId}`;
  while (text.length % 3 !== 2) text += '#';
  const standard = Buffer.from(text, 'utf8').toString('base64');
  return style === 'standard' ? standard : toUrlSafe(standard);
}

export function toUrlSafe(standard: string): string {
  return standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface DecodedNodeId {
  type: string;
  databaseId: string;
}

/** Returns null for anything that is not one of our ids (the API then answers "not found"). */
export function decodeNodeId(id: string): DecodedNodeId | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(id)) return null;
  const normalised = id.replace(/-/g, '+').replace(/_/g, '/');
  const text = Buffer.from(normalised, 'base64').toString('utf8');
  if (!text.startsWith(PREFIX)) return null;
  const match = /^([A-Za-z]+)\/(\d+)#*$/.exec(text.slice(PREFIX.length));
  if (!match?.[1] || !match[2]) return null;
  return { type: match[1], databaseId: match[2] };
}

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The 3-character suffix that makes an Id case-insensitive: for each 5-character chunk, a bit per
 * uppercase letter (least significant first), looked up in A–Z0–5.
 */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** Restores the case of the first 15 characters from the suffix; null if a bit marks a digit. */
function caseFromSuffix(id: string): string | null {
  const chars = id.slice(0, 15).toLowerCase().split('');
  const suffix = id.slice(15).toUpperCase();
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix[chunk] ?? '');
    for (let i = 0; i < 5; i++) {
      if (!(bits & (1 << i))) continue;
      const at = chunk * 5 + i;
      const c = chars[at] ?? '';
      if (!/[a-z]/.test(c)) return null;
      chars[at] = c.toUpperCase();
    }
  }
  return chars.join('');
}

/**
 * The 18-character form of a 15- or 18-character Id, or null when it is not a well-formed Id. An
 * 18-character Id whose letters lost their case (all upper or all lower) is restored from its suffix;
 * otherwise the suffix must match.
 */
export function normalizeId(id: string): string | null {
  if (!ID_SHAPE.test(id)) return null;
  if (id.length === 15) return id + idChecksum(id);
  const head = id.slice(0, 15);
  const direct = head + idChecksum(head);
  if (direct === id) return id;
  const caseLost = head === head.toLowerCase() || head === head.toUpperCase();
  const id15 = caseLost ? caseFromSuffix(id) : head;
  if (!id15) return null;
  const expected = id15 + idChecksum(id15);
  return expected.toUpperCase() === id.toUpperCase() ? expected : null;
}

/** Ids in a Salesforce-like layout: key prefix, pod "8d", reserved "0", then a base-62 counter. */
export function createIdGenerator() {
  const counters = new Map<string, number>();
  return {
    next(keyPrefix: string): string {
      const n = (counters.get(keyPrefix) ?? 0) + 1;
      counters.set(keyPrefix, n);
      let body = '';
      let rest = n;
      for (let i = 0; i < 9; i++) {
        body = BASE62[rest % 62] + body;
        rest = Math.floor(rest / 62);
      }
      const id15 = `${keyPrefix}8d0${body}`;
      return id15 + idChecksum(id15);
    },
    reset(): void {
      counters.clear();
    }
  };
}

export type IdGenerator = ReturnType<typeof createIdGenerator>;

// Salesforce record ids: 15 case-sensitive characters, or 18 with a 3-character checksum that encodes
// which of the first 15 characters are upper case (documented algorithm; see "What is the 18-character
// record ID" in Salesforce help).
const ID_CHARS = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export const WORK_ORDER_KEY_PREFIX = '0WO';
export const CASE_KEY_PREFIX = '500';
export const WORK_ORDER_LINE_ITEM_KEY_PREFIX = '1WL';
export const SERVICE_APPOINTMENT_KEY_PREFIX = '08p';

function checksum(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(block * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/**
 * The 18-character form of a valid 15- or 18-character id, or undefined when it is not one. An
 * 18-character id must match its checksum exactly; one whose letters were all upper- or lower-cased by
 * some system on the way (what the suffix exists for) is restored from the suffix.
 */
export function toId18(value: string): string | undefined {
  if (!ID_CHARS.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  if (value.length === 15) return id15 + checksum(id15);
  if (value.slice(15) === checksum(id15)) return value;
  const body = id15.replace(/[^a-zA-Z]/g, '');
  if (body !== body.toLowerCase() && body !== body.toUpperCase())
    return undefined;
  return restoreCase(id15, value.slice(15).toUpperCase());
}

function restoreCase(id15: string, suffix: string): string | undefined {
  let restored = '';
  for (let block = 0; block < 3; block++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(block));
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(block * 5 + i);
      const upper = (bits & (1 << i)) !== 0;
      if (upper && !/[a-zA-Z]/.test(ch)) return undefined;
      restored += upper ? ch.toUpperCase() : ch.toLowerCase();
    }
  }
  return restored + suffix;
}

/** A valid record id whose key prefix names the expected object (e.g. `0WO` for WorkOrder). */
export function toRecordId(
  value: string,
  keyPrefix: string
): string | undefined {
  const id = toId18(value);
  return id?.startsWith(keyPrefix) ? id : undefined;
}

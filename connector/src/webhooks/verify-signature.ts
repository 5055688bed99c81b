// X-Scope-Hmac-Sha256 verification on the raw request bytes. The docs show a Base64 value of a 32-byte
// digest (reference §2.3) but do not state key/message: we assume HMAC-SHA256(key = shared secret,
// message = raw body) like Shopify's identical header set, with the encoding configurable.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureEncoding = 'base64' | 'hex';

export function signBody(
  rawBody: Buffer | string,
  secret: string,
  encoding: SignatureEncoding = 'base64'
): string {
  return createHmac('sha256', secret).update(rawBody).digest(encoding);
}

/**
 * True when `header` is the HMAC of rawBody under any of `secrets` (two during a rotation).
 * Pure; lengths are compared first because timingSafeEqual requires equal lengths.
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  encoding: SignatureEncoding = 'base64'
): boolean {
  if (!header || secrets.length === 0) return false;
  const given = Buffer.from(
    encoding === 'hex' ? header.trim().toLowerCase() : header.trim(),
    'utf8'
  );
  let valid = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signBody(rawBody, secret, encoding), 'utf8');
    // every secret is checked, so the time taken does not reveal which one matched
    if (expected.length === given.length && timingSafeEqual(expected, given))
      valid = true;
  }
  return valid;
}

/** Constant-time comparison of the secret path segment used by unsigned generation-1 deliveries. */
export function verifyPathToken(
  given: string | undefined,
  expected: string | undefined
): boolean {
  if (!given || !expected) return false;
  const a = createHmac('sha256', 'path-token').update(given).digest();
  const b = createHmac('sha256', 'path-token').update(expected).digest();
  return timingSafeEqual(a, b);
}

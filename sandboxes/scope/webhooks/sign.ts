import { createHmac } from 'node:crypto';
import { SIGNATURE_ENCODING } from '../schema/undocumented.ts';

/** X-Scope-Hmac-Sha256: HMAC-SHA256 of the exact body bytes with the subscription's shared secret. */
export function signBody(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest(SIGNATURE_ENCODING);
}

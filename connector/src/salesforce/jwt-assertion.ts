// The signed JWT of the OAuth 2.0 JWT bearer flow (the connector and the demo preview share it).
import { createPrivateKey, sign } from 'node:crypto';

const base64url = (data: Buffer | string): string =>
  Buffer.from(data).toString('base64url');

/**
 * The OAuth 2.0 JWT bearer assertion Salesforce expects: RS256 over `header.claims`, with
 * iss = consumer key, sub = username, aud = login host, exp within 3 minutes.
 */
export function createJwtAssertion(options: {
  clientId: string;
  username: string;
  audience: string;
  privateKeyPem: string;
  now?: Date;
}): string {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({
      iss: options.clientId,
      sub: options.username,
      aud: options.audience,
      exp: issuedAt + 180
    })
  );
  const signature = sign(
    'RSA-SHA256',
    Buffer.from(`${header}.${claims}`),
    createPrivateKey(options.privateKeyPem)
  );
  return `${header}.${claims}.${base64url(signature)}`;
}

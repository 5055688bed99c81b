import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Sign-in tokens look like the JWTs Scope hands out (reference §3.2) and are verified statelessly with a
// per-process key, so issuing many costs no memory. They expire after tokenTtlSeconds.

export interface SessionTokenClaims {
  sub: number;
  company: string;
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: SessionTokenClaims }
  | { ok: false; reason: 'invalid' | 'expired' };

export interface SessionTokens {
  issue(userId: number, company: string): string;
  verify(token: string): TokenCheck;
}

const encode = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

export function createSessionTokens(
  ttlSeconds: () => number,
  now: () => number = Date.now
): SessionTokens {
  const key = randomBytes(32);
  const sign = (input: string): string =>
    createHmac('sha256', key).update(input).digest('base64url');
  return {
    issue(userId, company) {
      const header = encode({ alg: 'HS256', typ: 'JWT' });
      const payload = encode({
        sub: userId,
        company,
        exp: Math.floor(now() / 1000) + ttlSeconds(),
        jti: randomBytes(8).toString('hex')
      });
      return `${header}.${payload}.${sign(`${header}.${payload}`)}`;
    },
    verify(token) {
      const [header, payload, signature] = token.split('.');
      if (!header || !payload || !signature)
        return { ok: false, reason: 'invalid' };
      const expected = Buffer.from(sign(`${header}.${payload}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given))
        return { ok: false, reason: 'invalid' };
      const claims = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8')
      ) as SessionTokenClaims;
      if (claims.exp * 1000 <= now()) return { ok: false, reason: 'expired' };
      return { ok: true, claims };
    }
  };
}

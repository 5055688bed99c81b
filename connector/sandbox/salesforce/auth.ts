import {
  createHmac,
  createPublicKey,
  randomBytes,
  verify,
  X509Certificate
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface OAuthError {
  status: number;
  body: { error: string; error_description: string };
}

export interface Session {
  userId: string;
  username: string;
  issuedAt: number;
  expiresAt: number;
}

export interface AuthOptions {
  clientId: string;
  clientSecret: string;
  /** Certificate (or public key) PEM the JWT bearer assertions are verified against. */
  jwtCertificatePem: string;
  tokenTtlSeconds: number;
  orgId: string;
  /** The sandbox's own URL: `instance_url`, identity URLs and an accepted JWT audience. */
  baseUrl: () => string;
  /** Username → user Id, for JWT `sub` and the client credentials run-as user. */
  findUser: (username: string) => string | undefined;
  runAsUsername: string;
}

const ACCEPTED_AUDIENCES = [
  'https://login.salesforce.com',
  'https://test.salesforce.com'
];

function oauthError(
  error: string,
  description: string,
  status = 400
): OAuthError {
  return { status, body: { error, error_description: description } };
}

function publicKeyOf(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE')
    ? new X509Certificate(pem).publicKey
    : createPublicKey(pem);
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(
      Buffer.from(segment, 'base64url').toString('utf8')
    );
    return value && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** OAuth 2.0 token endpoint (JWT bearer and client credentials flows) and the access tokens it issues. */
export function createAuth(options: AuthOptions) {
  const sessions = new Map<string, Session>();
  const publicKey = publicKeyOf(options.jwtCertificatePem);
  let issued = 0;

  function issue(username: string, userId: string) {
    const now = Date.now();
    const token = `${options.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    sessions.set(token, {
      userId,
      username,
      issuedAt: now,
      expiresAt: now + options.tokenTtlSeconds * 1000
    });
    issued++;
    const base = options.baseUrl();
    const id = `${base}/id/${options.orgId}/${userId}`;
    const issuedAt = String(now);
    return {
      access_token: token,
      scope: 'api',
      instance_url: base,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      signature: createHmac('sha256', options.clientSecret)
        .update(id + issuedAt)
        .digest('base64')
    };
  }

  function jwtBearer(assertion: string | undefined) {
    const parts = (assertion ?? '').split('.');
    if (parts.length !== 3)
      return oauthError('invalid_grant', 'invalid assertion');
    const [h = '', p = '', s = ''] = parts;
    const header = decodeSegment(h);
    const claims = decodeSegment(p);
    if (!header || !claims || header.alg !== 'RS256')
      return oauthError('invalid_grant', 'invalid assertion');
    const signatureOk = verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${p}`),
      publicKey,
      Buffer.from(s, 'base64url')
    );
    if (!signatureOk) return oauthError('invalid_grant', 'invalid assertion');
    if (claims.iss !== options.clientId)
      return oauthError('invalid_client_id', 'client identifier invalid');
    const audiences = [...ACCEPTED_AUDIENCES, options.baseUrl()];
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (
      !aud.some(
        (a) => typeof a === 'string' && audiences.includes(a.replace(/\/$/, ''))
      )
    ) {
      return oauthError('invalid_grant', 'audience is invalid');
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
      return oauthError('invalid_grant', 'expired authorization code');
    }
    const username = typeof claims.sub === 'string' ? claims.sub : '';
    const userId = options.findUser(username);
    if (!userId)
      return oauthError('invalid_grant', "user hasn't approved this consumer");
    return issue(username, userId);
  }

  function clientCredentials(
    clientId: string | undefined,
    clientSecret: string | undefined
  ) {
    if (clientId !== options.clientId)
      return oauthError('invalid_client_id', 'client identifier invalid');
    if (clientSecret !== options.clientSecret)
      return oauthError('invalid_client', 'invalid client credentials');
    const userId = options.findUser(options.runAsUsername);
    if (!userId)
      return oauthError('invalid_grant', 'no client credentials user enabled');
    return issue(options.runAsUsername, userId);
  }

  return {
    /** Handles a POST to /services/oauth2/token with form parameters. */
    token(
      params: Record<string, string | undefined>,
      basicAuth?: { id: string; secret: string }
    ) {
      switch (params.grant_type) {
        case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
          return jwtBearer(params.assertion);
        case 'client_credentials':
          return clientCredentials(
            params.client_id ?? basicAuth?.id,
            params.client_secret ?? basicAuth?.secret
          );
        default:
          return oauthError(
            'unsupported_grant_type',
            'grant type not supported'
          );
      }
    },
    /** The session behind a Bearer token, or null when it is unknown or expired. */
    session(token: string): Session | null {
      const session = sessions.get(token);
      if (!session) return null;
      if (session.expiresAt <= Date.now()) {
        sessions.delete(token);
        return null;
      }
      return session;
    },
    revoke(token: string): void {
      sessions.delete(token);
    },
    expireAll(): void {
      sessions.clear();
    },
    stats: () => ({ tokensIssued: issued, activeSessions: sessions.size })
  };
}

export type Auth = ReturnType<typeof createAuth>;

export function isOAuthError(value: unknown): value is OAuthError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    'body' in value
  );
}

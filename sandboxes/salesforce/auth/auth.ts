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
  /** The org's My Domain URL: `instance_url` and identity URLs. Never a valid JWT audience. */
  baseUrl: () => string;
  /** JWT `aud` values the org accepts: its login service (login. or test.salesforce.com) and sites. */
  jwtAudiences: readonly string[];
  /** Orgs created since Summer '23 block the OAuth username-password flow unless an admin allows it. */
  usernamePasswordFlow: boolean;
  /** Username → user Id, for JWT `sub` and the client credentials run-as user. */
  findUser: (username: string) => string | undefined;
  /** Username + password (optionally followed by the security token) → user Id. */
  checkPassword: (username: string, password: string) => string | undefined;
  runAsUsername: string;
}

/** Which listener received a token request: the generic login host or the org's My Domain. */
export type TokenHost = 'login' | 'myDomain';

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

const AUTH_CODE_TTL_MS = 15 * 60_000;

/**
 * OAuth 2.0 token endpoint (JWT bearer, client credentials, username-password, authorization code and
 * refresh token flows), the SOAP login, and the access tokens they issue.
 */
export function createAuth(options: AuthOptions) {
  const sessions = new Map<string, Session>();
  /** Refresh token → user, and the access tokens issued from it (revoking it revokes them). */
  const refreshTokens = new Map<
    string,
    { userId: string; username: string; accessTokens: Set<string> }
  >();
  const authCodes = new Map<
    string,
    { userId: string; username: string; redirectUri: string; expiresAt: number }
  >();
  const publicKey = publicKeyOf(options.jwtCertificatePem);
  let issued = 0;

  function issue(username: string, userId: string, refreshToken?: string) {
    const now = Date.now();
    const token = `${options.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    sessions.set(token, {
      userId,
      username,
      issuedAt: now,
      expiresAt: now + options.tokenTtlSeconds * 1000
    });
    issued++;
    if (refreshToken) refreshTokens.get(refreshToken)?.accessTokens.add(token);
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
    const audiences = options.jwtAudiences.map((a) => a.replace(/\/$/, ''));
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
    clientSecret: string | undefined,
    host: TokenHost
  ) {
    if (host === 'login')
      return oauthError(
        'invalid_grant',
        'request not supported on this domain'
      );
    if (clientId !== options.clientId)
      return oauthError('invalid_client_id', 'client identifier invalid');
    if (clientSecret !== options.clientSecret)
      return oauthError('invalid_client', 'invalid client credentials');
    const userId = options.findUser(options.runAsUsername);
    if (!userId)
      return oauthError('invalid_grant', 'no client credentials user enabled');
    return issue(options.runAsUsername, userId);
  }

  function checkClient(
    clientId: string | undefined,
    clientSecret: string | undefined
  ): OAuthError | null {
    if (clientId !== options.clientId)
      return oauthError('invalid_client_id', 'client identifier invalid');
    if (clientSecret !== undefined && clientSecret !== options.clientSecret)
      return oauthError('invalid_client', 'invalid client credentials');
    return null;
  }

  /** Username-password flow: Salesforce answers every bad credential with the same error. */
  function passwordGrant(params: Record<string, string | undefined>) {
    const clientError = checkClient(
      params.client_id,
      params.client_secret ?? ''
    );
    if (clientError) return clientError;
    // A blocked flow answers like a bad password; only the org's Login History tells them apart.
    if (!options.usernamePasswordFlow)
      return oauthError('invalid_grant', 'authentication failure');
    const username = params.username ?? '';
    const userId = options.checkPassword(username, params.password ?? '');
    if (!userId) return oauthError('invalid_grant', 'authentication failure');
    return issue(username, userId);
  }

  function newRefreshToken(userId: string, username: string): string {
    const token = `5Aep861${randomBytes(60).toString('base64url')}`;
    refreshTokens.set(token, { userId, username, accessTokens: new Set() });
    return token;
  }

  /** Web server flow, step 2: the code from /services/oauth2/authorize for tokens and a refresh token. */
  function authorizationCode(params: Record<string, string | undefined>) {
    const clientError = checkClient(params.client_id, params.client_secret);
    if (clientError) return clientError;
    const code = authCodes.get(params.code ?? '');
    authCodes.delete(params.code ?? '');
    if (!code || code.expiresAt <= Date.now())
      return oauthError('invalid_grant', 'invalid authorization code');
    if ((params.redirect_uri ?? '') !== code.redirectUri)
      return oauthError(
        'redirect_uri_mismatch',
        'redirect_uri must match configuration'
      );
    const refreshToken = newRefreshToken(code.userId, code.username);
    return {
      ...issue(code.username, code.userId, refreshToken),
      refresh_token: refreshToken,
      scope: 'refresh_token api'
    };
  }

  function refreshTokenGrant(params: Record<string, string | undefined>) {
    const clientError = checkClient(params.client_id, params.client_secret);
    if (clientError) return clientError;
    const grant = refreshTokens.get(params.refresh_token ?? '');
    if (!grant)
      return oauthError('invalid_grant', 'expired access/refresh token');
    return {
      ...issue(grant.username, grant.userId, params.refresh_token),
      scope: 'refresh_token api'
    };
  }

  return {
    /** Handles a POST to /services/oauth2/token with form parameters, on the login host or My Domain. */
    token(
      params: Record<string, string | undefined>,
      basicAuth: { id: string; secret: string } | undefined,
      host: TokenHost
    ) {
      switch (params.grant_type) {
        case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
          return jwtBearer(params.assertion);
        case 'client_credentials':
          return clientCredentials(
            params.client_id ?? basicAuth?.id,
            params.client_secret ?? basicAuth?.secret,
            host
          );
        case 'password':
          return passwordGrant({
            ...params,
            client_id: params.client_id ?? basicAuth?.id,
            client_secret: params.client_secret ?? basicAuth?.secret
          });
        case 'authorization_code':
          return authorizationCode({
            ...params,
            client_id: params.client_id ?? basicAuth?.id,
            client_secret: params.client_secret ?? basicAuth?.secret
          });
        case 'refresh_token':
          return refreshTokenGrant({
            ...params,
            client_id: params.client_id ?? basicAuth?.id,
            client_secret: params.client_secret ?? basicAuth?.secret
          });
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
    /**
     * Web server flow, step 1. The sandbox has no login page: it approves at once for the user named
     * by `login_hint` (default: the run-as user) and answers the redirect with `code` and `state`.
     */
    authorize(params: Record<string, string | undefined>) {
      if (params.client_id !== options.clientId)
        return oauthError('invalid_client_id', 'client identifier invalid');
      if (params.response_type !== 'code')
        return oauthError(
          'unsupported_response_type',
          'response type not supported'
        );
      if (!params.redirect_uri)
        return oauthError(
          'redirect_uri_mismatch',
          'redirect_uri must match configuration'
        );
      const username = params.login_hint ?? options.runAsUsername;
      const userId = options.findUser(username);
      if (!userId) return oauthError('invalid_grant', 'user not found');
      const code = `aPrx${randomBytes(40).toString('base64url')}`;
      authCodes.set(code, {
        userId,
        username,
        redirectUri: params.redirect_uri,
        expiresAt: Date.now() + AUTH_CODE_TTL_MS
      });
      const target = new URL(params.redirect_uri);
      target.searchParams.set('code', code);
      if (params.state !== undefined)
        target.searchParams.set('state', params.state);
      return { redirect: target.toString() };
    },
    /** SOAP `login()`: a session for the username and password, or null for INVALID_LOGIN. */
    soapLogin(username: string, password: string) {
      const userId = options.checkPassword(username, password);
      if (!userId) return null;
      const { access_token: sessionId } = issue(username, userId);
      return {
        sessionId,
        userId,
        orgId: options.orgId,
        ttlSeconds: options.tokenTtlSeconds
      };
    },
    /** Revokes an access or refresh token (a refresh token takes its access tokens along); false if unknown. */
    revoke(token: string): boolean {
      const grant = refreshTokens.get(token);
      if (grant) {
        for (const accessToken of grant.accessTokens)
          sessions.delete(accessToken);
        refreshTokens.delete(token);
        return true;
      }
      return sessions.delete(token);
    },
    expireAll(): void {
      sessions.clear();
    },
    orgId: options.orgId,
    baseUrl: () => options.baseUrl(),
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

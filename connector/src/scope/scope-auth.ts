// Scope authentication (reference §3.2): a fixed API token, or email and password signed in once and
// again after a 401, formatted as the Authorization header the tenant expects.
import { z } from 'zod';
import { ScopeApiError } from './scope-error.ts';

/** Header forms seen in the reference (§3.2): `Token token=…`, `Bearer token=…`, `Bearer …`. */
export type ScopeAuthScheme = 'token' | 'bearer-token' | 'bearer';

export type ScopeAuthOptions =
  | { kind: 'token'; token: string; scheme: ScopeAuthScheme }
  | {
      kind: 'sign-in';
      baseUrl: string;
      email: string;
      password: string;
      /** The demo sends sign-in tokens as `Bearer token=…`. */
      scheme?: ScopeAuthScheme;
      timeoutMs?: number;
      onSignIn?(status: number | 'network'): void;
    };

export interface ScopeAuth {
  /** The Authorization header value (signs in first if needed). */
  authorization(): Promise<string>;
  /** After a 401: true when a fresh sign-in may help (sign-in auth), false for a fixed token. */
  invalidate(rejected: string): boolean;
}

const SignInResponse = z
  .object({ auth_token: z.string().min(1) })
  .passthrough();

export function formatAuthorization(
  scheme: ScopeAuthScheme,
  token: string
): string {
  switch (scheme) {
    case 'token':
      return `Token token=${token}`;
    case 'bearer-token':
      return `Bearer token=${token}`;
    case 'bearer':
      return `Bearer ${token}`;
  }
}

type SignInOptions = Extract<ScopeAuthOptions, { kind: 'sign-in' }>;

/** POST /api/v2/users/sign_in.json: the session token as an Authorization header, or a ScopeApiError. */
async function signIn(options: SignInOptions): Promise<string> {
  const url = new URL('/api/v2/users/sign_in.json', options.baseUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json'
      },
      body: JSON.stringify({
        user: { username: options.email, password: options.password }
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000)
    });
  } catch (cause) {
    options.onSignIn?.('network');
    throw new ScopeApiError('Scope sign-in failed: no response', {
      kind: 'network',
      cause
    });
  }
  options.onSignIn?.(response.status);
  return readSignIn(response, options.scheme ?? 'bearer-token');
}

async function readSignIn(
  response: Response,
  scheme: ScopeAuthScheme
): Promise<string> {
  const text = await response.text();
  if (!response.ok) {
    throw new ScopeApiError(
      `Scope sign-in failed with HTTP ${response.status}`,
      {
        kind:
          response.status === 401 || response.status === 403 ? 'auth' : 'http',
        status: response.status
      }
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = SignInResponse.safeParse(json);
  if (!parsed.success) {
    throw new ScopeApiError('Scope sign-in answered without an auth_token', {
      kind: 'auth',
      status: response.status
    });
  }
  return formatAuthorization(scheme, parsed.data.auth_token);
}

export function createScopeAuth(options: ScopeAuthOptions): ScopeAuth {
  if (options.kind === 'token') {
    const header = formatAuthorization(options.scheme, options.token);
    return {
      authorization: () => Promise.resolve(header),
      invalidate: () => false
    };
  }
  let header: string | undefined;
  let pending: Promise<string> | undefined;
  return {
    authorization() {
      if (header !== undefined) return Promise.resolve(header);
      // One shared sign-in for all concurrent callers; a failed one is not cached.
      pending ??= signIn(options)
        .then((value) => {
          header = value;
          return value;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    invalidate(rejected) {
      // Only drop the token that was rejected: a concurrent caller may already have signed in again.
      if (header === rejected) header = undefined;
      return true;
    }
  };
}

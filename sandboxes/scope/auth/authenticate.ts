import { API_TOKENS, findUser } from '../seed/fixtures.ts';
import type { SessionTokens } from './session-tokens.ts';

// Resolves the caller from the headers, in every form the reference has seen (§3.2):
// `Token token=<t>`, `Bearer token=<t>` and `Bearer <t>`, for company API tokens and sign-in tokens alike.

export interface Caller {
  company: string;
  /** null = all groups (company admin); otherwise only rows of these groups are readable. */
  groupIds: number[] | null;
  /** The signed-in user; null for company API tokens. */
  userId: number | null;
  tokenKind: 'api' | 'session';
}

export type AuthResult =
  | { ok: true; caller: Caller }
  | { ok: false; status: 401 | 403; message: string };

export function extractToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^\s*(Token|Bearer)\s+(?:token=)?"?([^"\s,]+)"?\s*$/i.exec(
    header
  );
  return match?.[2] ?? null;
}

export interface AuthenticateInput {
  authorization: string | undefined;
  privateAccessCode: string | undefined;
  permalink: string | undefined;
}

export function authenticate(
  input: AuthenticateInput,
  tokens: SessionTokens,
  requiredAccessCode: string | undefined
): AuthResult {
  if (
    requiredAccessCode !== undefined &&
    extractToken(input.privateAccessCode) !== requiredAccessCode
  ) {
    return {
      ok: false,
      status: 401,
      message: 'Invalid or missing PrivateAccessCode.'
    };
  }
  const token = extractToken(input.authorization);
  if (!token)
    return {
      ok: false,
      status: 401,
      message: 'You need to sign in or sign up before continuing.'
    };
  let caller: Caller | null = null;
  const apiToken = API_TOKENS.find((item) => item.token === token);
  if (apiToken) {
    caller = {
      company: apiToken.company,
      groupIds: apiToken.groupIds,
      userId: null,
      tokenKind: 'api'
    };
  } else {
    const check = tokens.verify(token);
    if (!check.ok) {
      return {
        ok: false,
        status: 401,
        message:
          check.reason === 'expired'
            ? 'Your session has expired. Please sign in again.'
            : 'Invalid authentication token.'
      };
    }
    const user = findUser(check.claims.sub);
    if (!user)
      return {
        ok: false,
        status: 401,
        message: 'Invalid authentication token.'
      };
    caller = {
      company: user.company,
      groupIds: null,
      userId: user.databaseId,
      tokenKind: 'session'
    };
  }
  if (input.permalink && input.permalink !== caller.company) {
    return {
      ok: false,
      status: 403,
      message: `Not authorized to access company "${input.permalink}".`
    };
  }
  return { ok: true, caller };
}

export function canRead(
  caller: Caller,
  row: { company: string; groupId: number }
): boolean {
  return (
    row.company === caller.company &&
    (caller.groupIds === null || caller.groupIds.includes(row.groupId))
  );
}

import { Router, urlencoded } from 'express';
import { isOAuthError } from '../auth/auth.ts';
import { identityResponse, userInfoResponse } from '../auth/identity.ts';
import { normalizeId } from '../store/ids.ts';
import type { Request, Response } from 'express';
import type { Auth, Session, TokenHost } from '../auth/auth.ts';
import type { SandboxState } from '../state.ts';

function basicCredentials(
  header: string | undefined
): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const [id = '', secret = ''] = Buffer.from(match[1], 'base64')
    .toString('utf8')
    .split(':');
  return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
}

/** String parameters from the query string and a form body. */
function formParams(req: Request): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  const sources = [req.query, req.body ?? {}] as Record<string, unknown>[];
  for (const source of sources) {
    for (const [k, v] of Object.entries(source)) {
      if (typeof v === 'string') params[k] = v;
    }
  }
  return params;
}

/** The Bearer (or `OAuth`) header token, or the `oauth_token` parameter the identity URL accepts. */
function requestToken(req: Request): string | undefined {
  const header = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(
    req.get('authorization') ?? ''
  )?.[1];
  const query = req.query.oauth_token;
  return header ?? (typeof query === 'string' ? query : undefined);
}

/** OAuth 2.0 endpoints (token, authorize, revoke), the identity URL and OpenID Connect userinfo. */
export function createOAuthRoutes(
  state: SandboxState,
  auth: Auth,
  host: TokenHost
): Router {
  const router = Router();
  router.use(urlencoded({ extended: false }));

  router.post('/services/oauth2/token', (req, res) => {
    const result = auth.token(
      formParams(req),
      basicCredentials(req.get('authorization')),
      host
    );
    if (isOAuthError(result)) {
      res.status(result.status).json(result.body);
      return;
    }
    res.json(result);
  });

  router.get('/services/oauth2/authorize', (req, res) => {
    const result = auth.authorize(formParams(req));
    if (isOAuthError(result)) {
      res.status(result.status).json(result.body);
      return;
    }
    res.redirect(302, result.redirect);
  });

  const revoke = (req: Request, res: Response) => {
    const token = formParams(req).token;
    if (!token || !auth.revoke(token)) {
      res
        .status(400)
        .json({ error: 'invalid_token', error_description: 'invalid token' });
      return;
    }
    res.status(200).end();
  };
  router.post('/services/oauth2/revoke', revoke);
  router.get('/services/oauth2/revoke', revoke);

  /** The session behind the request's token, or a 403 `Bad_OAuth_Token` like the identity service. */
  function sessionOr403(req: Request, res: Response): Session | null {
    const token = requestToken(req);
    const session = token ? auth.session(token) : null;
    if (!session) res.status(403).type('text/plain').send('Bad_OAuth_Token');
    return session;
  }

  const context = (userId: string) => ({
    baseUrl: auth.baseUrl(),
    orgId: auth.orgId,
    apiVersion: state.options.apiVersion,
    user: state.store.get('User', userId) ?? { Id: userId },
    isAdmin: state.isAdmin(userId)
  });

  router.get('/id/:orgId/:userId', (req, res) => {
    const session = sessionOr403(req, res);
    if (!session) return;
    const orgId = normalizeId(String(req.params.orgId));
    const userId = normalizeId(String(req.params.userId));
    if (orgId !== auth.orgId || !userId || !state.store.get('User', userId)) {
      res.status(404).type('text/plain').send('Bad_Id');
      return;
    }
    res.json(identityResponse(context(userId)));
  });

  router.get('/services/oauth2/userinfo', (req, res) => {
    const session = sessionOr403(req, res);
    if (!session) return;
    res.json(userInfoResponse(context(session.userId)));
  });

  return router;
}

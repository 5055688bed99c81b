import { Router, urlencoded } from 'express';
import { isOAuthError } from '../auth.ts';
import type { Auth } from '../auth.ts';
import type { SandboxState } from '../sandbox-state.ts';

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

/** /services/oauth2/token (JWT bearer, client credentials), revoke and the identity URL. */
export function createOAuthRoutes(state: SandboxState, auth: Auth): Router {
  const router = Router();
  router.use(urlencoded({ extended: false }));

  router.post('/services/oauth2/token', (req, res) => {
    const params: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(
      (req.body ?? {}) as Record<string, unknown>
    )) {
      if (typeof v === 'string') params[k] = v;
    }
    const result = auth.token(
      params,
      basicCredentials(req.get('authorization'))
    );
    if (isOAuthError(result)) {
      res.status(result.status).json(result.body);
      return;
    }
    res.json(result);
  });

  router.post('/services/oauth2/revoke', (req, res) => {
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string') auth.revoke(token);
    res.status(200).end();
  });

  router.get('/id/:orgId/:userId', (req, res) => {
    const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(
      req.get('authorization') ?? ''
    )?.[1];
    const session = token ? auth.session(token) : null;
    if (!session) {
      res.status(403).send('Bad_OAuth_Token');
      return;
    }
    const user = state.store.get('User', session.userId) ?? {};
    res.json({
      id: `${req.protocol}://${req.get('host')}${req.originalUrl}`,
      user_id: session.userId,
      organization_id: req.params.orgId,
      username: session.username,
      display_name: user.Name ?? session.username,
      email: user.Email ?? null,
      active: true,
      user_type: 'STANDARD'
    });
  });

  return router;
}

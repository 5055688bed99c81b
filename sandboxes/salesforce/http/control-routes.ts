import { Router, json } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { normalizeId } from '../store/ids.ts';
import type { Auth } from '../auth/auth.ts';
import type { SandboxState } from '../state.ts';
import type { SRecord } from '../store/record-store.ts';

const faultsBody = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000),
    unavailable: z.boolean(),
    lockRowRate: z.number().min(0).max(1),
    lockRowIds: z.array(z.string()),
    expireTokensNow: z.boolean(),
    apiLimit: z.number().int().min(0),
    apiUsage: z.number().int().min(0)
  })
  .partial()
  .strict();

export interface ControlInfo {
  auth: Auth;
  jwtPrivateKeyPem: string;
  jwtCertificatePem: string;
  clientId: string;
  username: string;
}

/**
 * Test and demo controls under /sandbox/*. Not part of any Salesforce API; they exist so that
 * tests, benchmarks and the demo can steer the emulator over HTTP.
 */
export function createControlRoutes(
  state: SandboxState,
  info: ControlInfo
): Router {
  const router = Router();
  router.use(json({ limit: '50mb' }));

  const faultsView = () => ({
    latencyMs: state.faults.latencyMs,
    unavailable: state.faults.unavailable,
    lockRowRate: state.faults.lockRowRate,
    lockRowIds: [...state.faults.lockRowIds],
    apiLimit: state.limits.max,
    apiUsage: state.limits.used
  });

  router.get('/faults', (_req, res) => {
    res.json(faultsView());
  });

  router.put('/faults', (req, res) => {
    const parsed = faultsBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      res
        .status(400)
        .json({ error: 'invalid_faults', issues: parsed.error.issues });
      return;
    }
    const f = parsed.data;
    if (f.latencyMs !== undefined) state.faults.latencyMs = f.latencyMs;
    if (f.unavailable !== undefined) state.faults.unavailable = f.unavailable;
    if (f.lockRowRate !== undefined) state.faults.lockRowRate = f.lockRowRate;
    // Ids may be given in 15 or 18 characters; external id values are matched as given.
    if (f.lockRowIds !== undefined) {
      state.faults.lockRowIds = new Set(
        f.lockRowIds.flatMap((v) => [v, normalizeId(v) ?? v])
      );
    }
    if (f.apiLimit !== undefined) state.limits.max = f.apiLimit;
    if (f.apiUsage !== undefined) state.limits.used = f.apiUsage;
    if (f.expireTokensNow) info.auth.expireAll();
    res.json(faultsView());
  });

  router.get('/requests', (_req, res) => {
    res.json(state.log);
  });
  router.delete('/requests', (_req, res) => {
    state.clearLog();
    res.status(204).end();
  });

  /** The object named by `:sobject`, or undefined once a 404 has been sent. */
  function objectOr404(req: Request<{ sobject: string }>, res: Response) {
    const def = state.schema.getObject(req.params.sobject);
    if (!def)
      res
        .status(404)
        .json({ error: 'unknown_sobject', sobject: req.params.sobject });
    return def;
  }

  router.get('/records/:sobject', (req, res) => {
    const def = objectOr404(req, res);
    if (!def) return;
    // Every field of the object, null when unset, as a real org's full record would show it.
    const empty = Object.fromEntries(
      [...def.fields.keys()].map((name) => [name, null])
    );
    res.json(
      [...state.store.all(def.name)].map((record) => ({ ...empty, ...record }))
    );
  });

  router.post('/records/:sobject', (req, res) => {
    const def = objectOr404(req, res);
    if (!def) return;
    const rows = (Array.isArray(req.body) ? req.body : [req.body]) as SRecord[];
    const results = rows.map((row) => {
      try {
        const outcome = state.insertFixture(def.name, row);
        return outcome.success
          ? { id: outcome.id, success: true, errors: [] }
          : { success: false, errors: outcome.errors };
      } catch (error) {
        return {
          success: false,
          errors: [
            {
              statusCode: 'INVALID_FIELD',
              message: (error as Error).message,
              fields: []
            }
          ]
        };
      }
    });
    res.status(results.every((r) => r.success) ? 201 : 400).json(results);
  });

  // Shares a record with a user (default: the integration user): what sharing rules or Apex managed
  // sharing give a user on an object whose org-wide default is Private.
  router.post('/shares', (req, res) => {
    const body = (req.body ?? {}) as { recordId?: unknown; userId?: unknown };
    const recordId = normalizeId(String(body.recordId ?? ''));
    const userId =
      body.userId === undefined
        ? undefined
        : (normalizeId(String(body.userId)) ?? undefined);
    if (!recordId || !state.store.find(recordId)) {
      res.status(400).json({ error: 'recordId must name an existing record' });
      return;
    }
    state.share(recordId, userId);
    res.status(204).end();
  });

  router.get('/stats', (_req, res) => {
    res.json({
      apiVersion: state.options.apiVersion,
      permissionSet: state.schema.access.permissionSet,
      metadataDir: state.options.metadataDir,
      apiUsage: state.limits.used,
      apiLimit: state.limits.max,
      requestsLogged: state.log.length,
      records: state.store.counts(),
      faults: faultsView(),
      ...info.auth.stats()
    });
  });

  router.post('/reset', (req, res) => {
    const reload =
      (req.body as { reloadMetadata?: unknown } | undefined)?.reloadMetadata !==
      false;
    state.reset(reload);
    res.json({ ok: true, records: state.store.counts() });
  });

  // THIS IS A SANDBOX: the JWT signing key is handed out so the demo and tests can use the JWT flow.
  router.get('/jwt-key', (_req, res) => {
    res.json({
      warning:
        'Sandbox-only throwaway key. Never use this pattern with a real org.',
      clientId: info.clientId,
      username: info.username,
      privateKeyPem: info.jwtPrivateKeyPem,
      certificatePem: info.jwtCertificatePem
    });
  });

  return router;
}

import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { decodeNodeId } from '../node-id.ts';
import { faultsSchema } from '../options.ts';
import { COMPANIES, SCENARIOS, USERS } from '../seed/fixtures.ts';
import type { Services } from '../state.ts';
import { DeeplinkError } from '../simulator/parse-deeplink.ts';

// /sandbox/*: the controls tests, benchmarks and the demo drive over HTTP. Not part of Scope's API.

function parseBody<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  request: Request,
  response: Response
): T | null {
  const parsed = schema.safeParse(request.body ?? {});
  if (parsed.success) return parsed.data;
  response
    .status(400)
    .json({ error: 'Invalid request body', issues: parsed.error.issues });
  return null;
}

function databaseIdOf(param: string, type: string): number | null {
  if (/^\d+$/.test(param)) return Number(param);
  const decoded = decodeNodeId(param);
  return decoded && decoded.type === type ? Number(decoded.databaseId) : null;
}

export function createControlRoutes(services: Services): Router {
  const router = express.Router();
  const { simulator, dispatcher, notifier, stats, faults, store } = services;

  router.post('/sandbox/open', async (request, response) => {
    const body = parseBody(
      z.object({
        url: z.string().min(1),
        company: z.string().optional(),
        userId: z.coerce.number().int().optional()
      }),
      request,
      response
    );
    if (!body) return;
    try {
      response.status(201).json(
        await simulator.open(body.url, {
          company: body.company,
          userId: body.userId
        })
      );
    } catch (error) {
      if (error instanceof DeeplinkError)
        response.status(error.status).json({ error: error.message });
      else throw error;
    }
  });

  router.post('/sandbox/advance', async (request, response) => {
    const body = parseBody(
      z.object({ steps: z.number().int().min(1).max(1000).default(1) }),
      request,
      response
    );
    if (!body) return;
    let advanced = 0;
    for (let step = 0; step < body.steps; step += 1)
      advanced += await simulator.advance();
    response.json({ advanced, active: simulator.active() });
  });

  // The truth for test oracles: GraphQL as a company admin, outside the fault switches and the statistics,
  // so a test can read Scope's state while it injects faults into the API the connector uses.
  router.post('/sandbox/graphql', async (request, response) => {
    const body = parseBody(
      z.object({
        query: z.string().min(1),
        variables: z.record(z.unknown()).nullish(),
        company: z.string().default('sandbox')
      }),
      request,
      response
    );
    if (!body) return;
    const caller = {
      company: body.company,
      groupIds: null,
      userId: null,
      tokenKind: 'api' as const
    };
    response.json(
      await services.runtime.run(
        caller,
        { query: body.query, variables: body.variables },
        { observed: false }
      )
    );
  });

  router.get('/sandbox/faults', (_request, response) => {
    response.json(faults.get());
  });
  router.put('/sandbox/faults', (request, response) => {
    const body = parseBody(faultsSchema.partial().strict(), request, response);
    if (body) response.json(faults.set(body));
  });

  router.get('/sandbox/deliveries', (request, response) => {
    const withBodies = request.query.bodies !== 'false';
    response.json({
      pending: dispatcher.pending(),
      deliveries: dispatcher
        .log()
        .map((delivery) =>
          withBodies
            ? delivery
            : { ...delivery, body: undefined, headers: undefined }
        )
    });
  });
  router.delete('/sandbox/deliveries', (_request, response) => {
    dispatcher.clear();
    response.status(204).end();
  });

  router.get('/sandbox/webhooks/generation1', (request, response) => {
    const company =
      typeof request.query.company === 'string'
        ? request.query.company
        : 'sandbox';
    response.json({ company, ...notifier.generation1(company) });
  });
  router.put('/sandbox/webhooks/generation1', (request, response) => {
    const body = parseBody(
      z.object({
        url: z.string().url().nullable(),
        enabled: z.boolean().default(true),
        company: z
          .enum(
            COMPANIES.map((company) => company.permalink) as [
              string,
              ...string[]
            ]
          )
          .default('sandbox')
      }),
      request,
      response
    );
    if (!body) return;
    notifier.setGeneration1(body.company, {
      url: body.url,
      enabled: body.enabled
    });
    response.json({
      company: body.company,
      ...notifier.generation1(body.company)
    });
  });
  router.get('/sandbox/webhooks/subscriptions', (_request, response) => {
    response.json(
      COMPANIES.flatMap((company) =>
        services.subscriptions.list(company.permalink)
      ).map((row) => ({
        ...row,
        createdAt: new Date(row.createdAt).toISOString()
      }))
    );
  });

  const touch =
    (kind: 'sessions' | 'calls', type: string) =>
    async (request: Request, response: Response) => {
      const databaseId = databaseIdOf(String(request.params.id), type);
      const body = parseBody(
        z.object({ notify: z.boolean().default(false) }),
        request,
        response
      );
      if (!body) return;
      const result =
        databaseId === null
          ? null
          : await simulator.touch(kind, databaseId, body.notify);
      if (result) response.json(result);
      else
        response
          .status(404)
          .json({ error: `Unknown ${type} ${request.params.id}` });
    };
  router.post(
    '/sandbox/sessions/:id/touch',
    touch('sessions', 'ScenarioSession')
  );
  router.post('/sandbox/calls/:id/touch', touch('calls', 'Call'));
  router.post('/sandbox/mutate', async (request, response) => {
    const body = parseBody(
      z.object({
        kind: z.enum(['sessions', 'calls']).default('sessions'),
        count: z.number().int().min(1).max(100_000),
        notify: z.boolean().default(false),
        company: z.string().default('sandbox')
      }),
      request,
      response
    );
    if (!body) return;
    response.json({
      changed: await simulator.mutate(
        body.kind,
        body.count,
        body.notify,
        body.company
      )
    });
  });

  router.get('/sandbox/users', (_request, response) => {
    response.json(
      USERS.map((user) => ({
        databaseId: String(user.databaseId),
        company: user.company,
        name: user.name,
        email: user.email,
        role: user.role,
        callLink:
          user.role === 'expert'
            ? `worklink://resource?action=fetch_user&${services.config.deeplink.userParam}=${user.databaseId}`
            : null
      }))
    );
  });
  router.get('/sandbox/catalogs', (_request, response) => {
    response.json(
      SCENARIOS.map((scenario) => ({
        assetId: scenario.assetId,
        company: scenario.company,
        catalogDatabaseId: String(scenario.catalogDatabaseId),
        scenario: scenario.name,
        steps: scenario.steps.length,
        launchLink: `worklink://resource?action=fetch_catalog&asset=${encodeURIComponent(scenario.assetId)}`
      }))
    );
  });

  router.get('/sandbox/stats', (_request, response) => {
    response.json({
      ...stats.snapshot(),
      activeSimulations: simulator.active(),
      pendingDeliveries: dispatcher.pending(),
      deliveries: dispatcher.log().length,
      changedRows: store.sessions.changedCount + store.calls.changedCount,
      rssBytes: process.memoryUsage().rss
    });
  });
  router.delete('/sandbox/stats', (_request, response) => {
    stats.reset();
    response.status(204).end();
  });

  router.post('/sandbox/reset', (_request, response) => {
    services.reset();
    response.json({ ok: true });
  });

  router.get('/sandbox/health', (_request, response) => {
    response.json({ ok: true });
  });
  return router;
}

import { setTimeout as sleep } from 'node:timers/promises';
import { getIntrospectionQuery } from 'graphql';
import express, {
  type NextFunction,
  type Request,
  type Response,
  type Router
} from 'express';
import { z } from 'zod';
import { authenticate, type Caller } from '../auth/authenticate.ts';
import { decodeNodeId } from '../node-id.ts';
import { USERS, findCompany } from '../seed/fixtures.ts';
import type { Services } from '../state.ts';
import {
  GUESSED_STATUS,
  SIMULATE_CREATE_STATUS
} from '../schema/undocumented.ts';
import { DeeplinkError } from '../simulator/parse-deeplink.ts';
import { copyExternalData, emptyExternalData } from '../store/external-data.ts';

// The documented Scope surface (reference §3): sign-in, GraphQL, the thin `resource-url` endpoint and
// the REST v2 "simulate create". Fault switches apply here and nowhere else.

const signInSchema = z.object({
  user: z.object({
    username: z.string().optional(),
    email: z.string().optional(),
    password: z.string()
  })
});

const graphqlBodySchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.unknown()).nullish(),
  operationName: z.string().nullish(),
  permalink: z.string().optional()
});

const firstString = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;

function faultMiddleware(services: Services) {
  return async (_request: Request, response: Response, next: NextFunction) => {
    const faults = services.faults.get();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.errorRate > 0 && services.random() < faults.errorRate) {
      const status =
        faults.errorStatuses[
          Math.floor(services.random() * faults.errorStatuses.length)
        ] ?? 500;
      services.stats.fault(`http${status}`);
      if (status === 429) response.setHeader('Retry-After', '1');
      response
        .status(status)
        .json({ errors: [{ message: `Injected fault: HTTP ${status}` }] });
      return;
    }
    next();
  };
}

function requireCaller(
  services: Services,
  request: Request,
  response: Response,
  permalink?: string
): Caller | null {
  const result = authenticate(
    {
      authorization: request.get('authorization'),
      privateAccessCode: request.get('privateaccesscode'),
      permalink: permalink ?? firstString(request.query.permalink)
    },
    services.tokens,
    services.config.privateAccessCode
  );
  if (result.ok) return result.caller;
  services.stats.rejected('auth');
  response
    .status(result.status)
    .json({ error: result.message, errors: [{ message: result.message }] });
  return null;
}

export function createApiRoutes(services: Services): Router {
  const router = express.Router();
  router.use('/api', faultMiddleware(services));

  router.post('/api/v2/users/sign_in.json', (request, response) => {
    const parsed = signInSchema.safeParse(request.body);
    const login = parsed.success
      ? (parsed.data.user.username ?? parsed.data.user.email)
      : undefined;
    const user = USERS.find(
      (item) => item.email.toLowerCase() === login?.toLowerCase()
    );
    if (
      !parsed.success ||
      !user?.password ||
      user.password !== parsed.data.user.password
    ) {
      response
        .status(GUESSED_STATUS.signInRejected)
        .json({ error: 'Invalid username or password.' });
      return;
    }
    services.stats.signIn();
    response.json({
      id: user.databaseId,
      email: user.email,
      name: user.name,
      permalink: findCompany(user.company)?.permalink ?? user.company,
      username: user.email,
      guest: false,
      auth_token: services.tokens.issue(user.databaseId, user.company)
    });
  });

  const graphql = async (request: Request, response: Response) => {
    let body: z.infer<typeof graphqlBodySchema>;
    if (request.method === 'GET') {
      // GET runs introspection (reference §3.1); a `query` parameter is honoured too.
      body = {
        query: firstString(request.query.query) ?? getIntrospectionQuery()
      };
    } else {
      const parsed = graphqlBodySchema.safeParse(request.body);
      if (!parsed.success) {
        response.status(400).json({
          errors: [{ message: 'Expected a JSON body with a "query" string.' }]
        });
        return;
      }
      body = parsed.data;
    }
    const caller = requireCaller(services, request, response, body.permalink);
    if (!caller) return;
    const faults = services.faults.get();
    if (
      faults.graphqlErrorRate > 0 &&
      services.random() < faults.graphqlErrorRate
    ) {
      services.stats.fault('graphqlError');
      const reference = services
        .random()
        .toString(16)
        .slice(2, 10)
        .toUpperCase();
      response.json({
        errors: [
          {
            message: `Internal server error. Please contact support with reference ${reference}.`,
            extensions: { code: 'INTERNAL_SERVER_ERROR', reference }
          }
        ]
      });
      return;
    }
    const result = await services.runtime.run(caller, body);
    response.json(result);
  };
  router.get('/api/v3/graphql', graphql);
  router.post('/api/v3/graphql', graphql);

  router.get('/api/v3/graphql/object/:id', async (request, response) => {
    const caller = requireCaller(services, request, response);
    if (!caller) return;
    services.stats.rest();
    const id = String(request.params.id);
    const decoded = decodeNodeId(id, services.config.schema.nodeIdStyle);
    if (!decoded) {
      response.status(404).json({ error: 'Not found' });
      return;
    }
    const typename =
      decoded.type === 'Call'
        ? services.config.schema.callTypeName
        : decoded.type;
    const result = await services.runtime.attributes(caller, typename, id);
    const node = (result.data as { node?: unknown } | null | undefined)?.node;
    if (node) response.json(node);
    else if (
      result.errors?.some(
        (error) => error.message === 'Not authorized to read object'
      )
    ) {
      response
        .status(GUESSED_STATUS.resourceForbidden)
        .json({ error: 'Not authorized to read object' });
    } else response.status(404).json({ error: 'Not found' });
  });

  router.post(
    '/api/v2/ar_contents/:id/work_instruction_sessions',
    async (request, response) => {
      const caller = requireCaller(services, request, response);
      if (!caller) return;
      services.stats.rest();
      const parsed = z
        .object({ external_data: z.record(z.unknown()).default({}) })
        .safeParse(request.body ?? {});
      if (!parsed.success) {
        response
          .status(GUESSED_STATUS.simulateCreateInvalid)
          .json({ error: 'external_data must be an object' });
        return;
      }
      try {
        // zod's record drops a `__proto__` key: the external data is copied from the raw body instead.
        const raw = (request.body as { external_data?: object } | undefined)
          ?.external_data;
        const result = await services.simulator.startRelease(
          Number(request.params.id),
          raw ? copyExternalData(raw) : emptyExternalData(),
          {
            company: caller.company,
            userId: caller.userId ?? undefined
          }
        );
        response.status(SIMULATE_CREATE_STATUS).json({
          id: Number(result.databaseId),
          node_id: result.id,
          external_data: result.externalData
        });
      } catch (error) {
        if (error instanceof DeeplinkError)
          response.status(error.status).json({ error: error.message });
        else throw error;
      }
    }
  );
  return router;
}

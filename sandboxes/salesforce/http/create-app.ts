import express, { json } from 'express';
import { ApiError, notFound } from '../errors.ts';
import {
  apiVersions,
  isRetiredVersion,
  isServedVersion,
  versionGone
} from './api-versions.ts';
import { createRestRoutes } from './rest-routes.ts';
import { createCollectionsRoutes } from './collections-routes.ts';
import { createCompositeRoutes } from './composite-routes.ts';
import {
  dispatchSubrequest,
  subrequestContext
} from './subrequest-dispatch.ts';
import { createFilesRoutes } from './files-routes.ts';
import { createOAuthRoutes } from './oauth-routes.ts';
import { createSoapRoutes } from './soap-routes.ts';
import { createControlRoutes } from './control-routes.ts';
import { createGraphQLRoutes } from '../graphql/graphql-routes.ts';
import { createAnalyticsRoutes } from '../analytics/analytics-routes.ts';
import { analyticsCatalog } from '../analytics/packaged-analytics.ts';
import { requestSizeLimit } from './request-size-limit.ts';
import { whenBodyRead } from './route-helpers.ts';
import type { NextFunction, Request, Response } from 'express';
import type { Auth, TokenHost } from '../auth/auth.ts';
import type { SandboxState, SubrequestLogEntry } from '../state.ts';
import type { ControlInfo } from './control-routes.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendApiError(res: Response, error: ApiError): void {
  res.status(error.status).json(error.toBody());
}

/**
 * The Express app of one host. My Domain: OAuth, SOAP login, the REST data API with limits and faults,
 * and the /sandbox controls. Login host (login.salesforce.com's stand-in): OAuth and SOAP login only.
 */
export function createApp(
  state: SandboxState,
  auth: Auth,
  control: ControlInfo,
  host: TokenHost = 'myDomain'
) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Clients that keep a trailing slash on the instance URL (the sf CLI does) request `//services/...`;
  // Salesforce serves those paths as if the slashes were single.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.url.startsWith('//')) {
      req.url = req.url.replace(/^\/{2,}/, '/');
      req.originalUrl = req.url;
    }
    next();
  });

  if (host === 'myDomain')
    app.use('/sandbox', createControlRoutes(state, control));

  // Request log and the limit header on every Salesforce response; a composite's subrequests are
  // part of its one entry.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (subrequestContext(req)) {
      next();
      return;
    }
    const started = Date.now();
    res.locals.records = 0;
    const setHeader = () =>
      res.setHeader(
        'Sforce-Limit-Info',
        `api-usage=${state.limits.used}/${state.limits.max}`
      );
    setHeader();
    res.on('finish', () => {
      state.record({
        method: req.method,
        path: req.originalUrl.split('?')[0] ?? req.originalUrl,
        records: Number(res.locals.records ?? 0),
        ...(res.locals.subrequests
          ? { subrequests: res.locals.subrequests as SubrequestLogEntry[] }
          : {}),
        status: res.statusCode,
        time: new Date(started).toISOString(),
        durationMs: Date.now() - started
      });
    });
    res.locals.refreshLimitHeader = setHeader;
    next();
  });

  app.use(requestSizeLimit());

  // Faults: latency first, then an outage.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (subrequestContext(req)) {
      next();
      return;
    }
    if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs);
    if (state.faults.unavailable) {
      whenBodyRead(req, () =>
        res.status(503).json([
          {
            message: 'Server temporarily unavailable. Please try again later.',
            errorCode: 'SERVER_UNAVAILABLE'
          }
        ])
      );
      return;
    }
    next();
  });

  app.use(createOAuthRoutes(state, auth, host));
  app.use(createSoapRoutes(state, auth));
  if (host === 'login') {
    app.use((_req: Request, res: Response) => sendApiError(res, notFound()));
    return app;
  }

  app.get(['/services/data', '/services/data/'], (_req, res) => {
    res.json(apiVersions(state.options.apiVersion));
  });

  // Authentication, then the daily allowance; each authenticated call counts once.
  app.use(
    '/services/data/:version',
    (req: Request, res: Response, next: NextFunction) => {
      const version = String(req.params.version);
      const composite = subrequestContext(req);
      if (composite) {
        // Authenticated and counted once, as the composite request it belongs to.
        res.locals.userId = composite.userId;
        next();
        return;
      }
      if (isRetiredVersion(version)) {
        sendApiError(res, versionGone());
        return;
      }
      if (!isServedVersion(version, state.options.apiVersion)) {
        sendApiError(res, notFound());
        return;
      }
      const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(
        req.get('authorization') ?? ''
      )?.[1];
      const session = token ? auth.session(token) : null;
      if (!session) {
        res.status(401).json([
          {
            message: 'Session expired or invalid',
            errorCode: 'INVALID_SESSION_ID'
          }
        ]);
        return;
      }
      if (state.limits.used >= state.limits.max) {
        res.status(403).json([
          {
            message: 'TotalRequests Limit exceeded.',
            errorCode: 'REQUEST_LIMIT_EXCEEDED'
          }
        ]);
        return;
      }
      state.limits.used++;
      (res.locals.refreshLimitHeader as () => void)();
      res.locals.userId = session.userId;
      next();
    }
  );

  const dataApi = express.Router({ mergeParams: true });
  // Multipart bodies (file uploads) are streamed by their route, never parsed into memory here.
  dataApi.use(
    json({
      limit: '50mb',
      type: (req) => !/^multipart\//i.test(req.headers['content-type'] ?? '')
    })
  );
  // Routing from here to the handler is synchronous, so no other request can interleave.
  dataApi.use((req: Request, res: Response, next: NextFunction) => {
    state.actAs(String(res.locals.userId));
    state.useApiVersion(String(req.params.version).slice(1));
    analyticsCatalog(state).ensureRecords();
    next();
  });
  dataApi.use('/composite/sobjects', createCollectionsRoutes(state));
  dataApi.use(
    '/composite',
    createCompositeRoutes(state, (context, sub) =>
      dispatchSubrequest(app, context, sub)
    )
  );
  dataApi.use('/', createFilesRoutes(state));
  dataApi.use('/', createGraphQLRoutes(state));
  dataApi.use('/analytics', createAnalyticsRoutes(state));
  dataApi.use(
    '/',
    createRestRoutes(
      state,
      (userId) => `${auth.baseUrl()}/id/${auth.orgId}/${userId}`
    )
  );
  app.use('/services/data/:version', dataApi);

  app.use((_req: Request, res: Response) => {
    sendApiError(res, notFound());
  });

  app.use(
    (error: unknown, req: Request, res: Response, _next: NextFunction) => {
      if (error instanceof ApiError) {
        sendApiError(res, error);
        return;
      }
      const parseFailure = error as {
        type?: string;
        message?: string;
        status?: number;
      };
      if (parseFailure.type === 'entity.parse.failed') {
        res.status(400).json([
          {
            message: parseFailure.message ?? 'Malformed JSON',
            errorCode: 'JSON_PARSER_ERROR'
          }
        ]);
        return;
      }
      if (parseFailure.type === 'entity.too.large') {
        whenBodyRead(req, () =>
          res.status(413).json([
            {
              message: 'Request body too large',
              errorCode: 'REQUEST_ENTITY_TOO_LARGE'
            }
          ])
        );
        return;
      }
      res.status(500).json([
        {
          message: (error as Error)?.message ?? 'Unknown error',
          errorCode: 'UNKNOWN_EXCEPTION'
        }
      ]);
    }
  );

  return app;
}

// The express app: webhook routes (raw body), health, readiness, metrics, and one error mapper.
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.ts';
import type { ConnectorMetrics } from '../metrics.ts';
import { rejectOversizedBodies } from './body-limit.ts';
import { sendError } from './error-body.ts';
import type { Readiness } from './readiness.ts';
import { createWebhookHandler } from './webhook-handler.ts';
import type { WebhookHandlerOptions } from './webhook-handler.ts';

export interface AppOptions {
  webhook: WebhookHandlerOptions;
  bodyLimitBytes: number;
  readiness: Readiness;
  metrics: ConnectorMetrics;
  logger?: Logger;
  /** True once shutdown began: new requests get 503 so the sender retries elsewhere or later. */
  isDraining?: () => boolean;
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** One error mapper for what the body parser and the routes throw: a JSON error body, never a stack. */
function errorMapper(options: AppOptions) {
  const count = (outcome: Parameters<ConnectorMetrics['delivery']>[0]) =>
    options.webhook.metrics?.delivery(outcome);
  return (
    error: BodyParserError,
    _req: Request,
    res: Response,
    _next: NextFunction
  ) => {
    if (res.headersSent) return; // e.g. the 413 went out while the body was still arriving
    if (error.type === 'entity.too.large') {
      count('rejected_too_large');
      const message = `the body exceeds ${options.bodyLimitBytes} bytes`;
      sendError(res, 413, 'payload_too_large', message);
    } else if (
      error.type === 'encoding.unsupported' ||
      error.type === 'charset.unsupported'
    ) {
      count('rejected_media_type');
      sendError(res, 415, 'unsupported_encoding', error.message);
    } else if (
      error.type === 'request.aborted' ||
      error.type === 'request.size.invalid'
    ) {
      count('rejected_malformed');
      sendError(res, 400, 'incomplete_body', 'the request body was incomplete');
    } else if (error.status && error.status >= 400 && error.status < 500) {
      sendError(res, error.status, 'bad_request', error.message);
    } else {
      options.logger?.error({ err: error }, 'unhandled request error');
      sendError(res, 500, 'internal_error', 'internal error');
    }
  };
}

function addProbes(app: express.Express, options: AppOptions): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await options.readiness.check();
    res.status(report.ready ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', options.metrics.registry.contentType);
    res.send(await options.metrics.registry.metrics());
  });
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (!options.isDraining?.()) return next();
    res.set('Connection', 'close');
    const message = 'the connector is shutting down; retry later';
    sendError(res, 503, 'shutting_down', message);
  });
  addProbes(app, options);

  const limit = rejectOversizedBodies(options.bodyLimitBytes, () =>
    options.webhook.metrics?.delivery('rejected_too_large')
  );
  const raw = express.raw({ type: () => true, limit: options.bodyLimitBytes });
  const webhook = createWebhookHandler(options.webhook);
  app.post('/webhooks/scope', limit, raw, webhook);
  app.post('/webhooks/scope/:token', limit, raw, webhook);
  app.use((_req: Request, res: Response) => {
    sendError(res, 404, 'not_found', 'no such route');
  });
  app.use(errorMapper(options));
  return app;
}

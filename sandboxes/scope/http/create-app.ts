import express, {
  type NextFunction,
  type Request,
  type Response
} from 'express';
import type { Services } from '../state.ts';
import { createApiRoutes } from './api-routes.ts';
import { createControlRoutes } from './control-routes.ts';
import { createFilesRoutes } from './files-routes.ts';

export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (services.config.log) {
    app.use((request, response, next) => {
      const started = Date.now();
      response.on('finish', () => {
        process.stderr.write(
          `${request.method} ${request.originalUrl} ${response.statusCode} ${Date.now() - started}ms\n`
        );
      });
      next();
    });
  }
  app.use(express.json({ limit: '2mb' }));
  app.use(express.urlencoded({ extended: true, limit: '1mb' }));
  app.use(createApiRoutes(services));
  app.use(createControlRoutes(services));
  app.use(createFilesRoutes(services));
  app.use((_request: Request, response: Response) => {
    response.status(404).json({ error: 'Not found' });
  });
  app.use(
    (
      error: unknown,
      _request: Request,
      response: Response,
      _next: NextFunction
    ) => {
      const status = (error as { status?: number }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        response.status(status).json({ error: (error as Error).message });
        return;
      }
      process.stderr.write(
        `scope sandbox: ${(error as Error).stack ?? String(error)}\n`
      );
      response.status(500).json({ error: 'Internal server error' });
    }
  );
  return app;
}

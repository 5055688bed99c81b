import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { PREVIEW_DIR } from './preview-build/build-preview.ts';
import { SalesforceApiError } from './salesforce-reader.ts';
import type { SalesforceReader } from './salesforce-reader.ts';
import { RECORD_KINDS, createRecordRoutes } from './preview-records.ts';
import { UiApiError, createUiRecordService } from './ui-record.ts';
import { createAdminPreviewRoutes } from './admin-preview-routes.ts';
import { createFilesRoutes } from './preview-files.ts';

export interface PreviewServerOptions {
  salesforce: SalesforceReader;
  /** Base URL of the Scope sandbox, whose simulator stands in for the phone app. */
  scopeBaseUrl: string;
  /** Folder with the compiled page bundle (see buildPreview). */
  buildDir: string;
  /** Objects whose record page the bundle has a component for (default: all the preview knows). */
  recordObjects?: string[];
  host?: string;
  port?: number;
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

const requireFromHere = createRequire(import.meta.url);
const SLDS_ASSETS = join(
  dirname(requireFromHere.resolve('@salesforce-ux/design-system/package.json')),
  'assets'
);
const openRequestSchema = z.object({
  url: z
    .string()
    .max(4096)
    .refine(
      (url) => url.toLowerCase().startsWith('worklink://'),
      'only worklink:// deeplinks are handed to the simulator'
    )
});

const csv = (value: unknown): string[] =>
  typeof value === 'string' && value.length > 0
    ? value.split(',').map((field) => field.trim())
    : [];

/**
 * The local record pages: the compiled page shell and components, SLDS assets, a UI-API stand-in for
 * getRecord, the Scope AR Sessions related lists, and the hand-off of worklink:// links to the simulator.
 */
export async function startPreviewServer(
  options: PreviewServerOptions
): Promise<PreviewServer> {
  const { salesforce } = options;
  const records = createUiRecordService(salesforce);
  const app = express();
  app.disable('x-powered-by');

  const shell = (_req: Request, res: Response) =>
    res.sendFile(join(PREVIEW_DIR, 'index.html'));
  app.get('/', shell);
  for (const kind of RECORD_KINDS) app.get(`/${kind.route}/:number`, shell);
  app.use('/build', express.static(options.buildDir, { index: false }));
  app.use(
    '/assets',
    express.static(SLDS_ASSETS, { index: false, maxAge: '1h' })
  );
  app.get('/preview.css', (_req, res) =>
    res.sendFile(join(PREVIEW_DIR, 'src/preview.css'))
  );

  app.get('/preview-api/ui-api/records/:recordId', async (req, res) => {
    const record = await records.getRecord(
      String(req.params.recordId),
      csv(req.query.fields),
      csv(req.query.optionalFields)
    );
    res.json(record);
  });

  app.use(
    createRecordRoutes(
      salesforce,
      options.recordObjects ?? RECORD_KINDS.map((kind) => kind.objectApiName)
    )
  );

  app.use(createAdminPreviewRoutes({ salesforce, records }));
  app.use(createFilesRoutes(salesforce));

  app.post(
    '/preview-api/open',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const parsed = openRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({
          errorCode: 'INVALID_LINK',
          message: parsed.error.issues[0]?.message ?? 'invalid'
        });
        return;
      }
      let response: globalThis.Response;
      try {
        response = await fetch(new URL('/sandbox/open', options.scopeBaseUrl), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json'
          },
          body: JSON.stringify({ url: parsed.data.url })
        });
      } catch {
        res.status(502).json({
          errorCode: 'SIMULATOR_UNREACHABLE',
          message: `Scope sandbox not reachable at ${options.scopeBaseUrl}`
        });
        return;
      }
      const body: unknown = await response.json().catch(() => ({}));
      if (!response.ok) {
        const reason = z
          .object({ error: z.string() })
          .or(z.object({ message: z.string() }))
          .safeParse(body);
        res.status(502).json({
          errorCode: 'SIMULATOR_REJECTED',
          message: reason.success
            ? 'error' in reason.data
              ? reason.data.error
              : reason.data.message
            : `Scope sandbox answered HTTP ${response.status}`
        });
        return;
      }
      res.status(202).json({ handedOff: true, simulator: body });
    }
  );

  app.use(
    (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      if (error instanceof UiApiError || error instanceof SalesforceApiError) {
        res
          .status(
            error.status >= 400 && error.status < 600 ? error.status : 502
          )
          .json({
            errorCode: error.errorCode,
            message: error.message
          });
        return;
      }
      res.status(500).json({
        errorCode: 'PREVIEW_ERROR',
        message: error instanceof Error ? error.message : String(error)
      });
    }
  );

  const server: Server = await new Promise((resolveServer, reject) => {
    const listening = app.listen(
      options.port ?? 0,
      options.host ?? '127.0.0.1',
      (error?: Error) => (error ? reject(error) : resolveServer(listening))
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      })
  };
}

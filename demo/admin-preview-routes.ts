// The WorkLink app's admin pages in the local preview (/worklink/inbox, /worklink/health) and what their
// components call: UI API GraphQL (the `lightning/uiGraphQLApi` stand-in) and a record update (the
// `updateRecord` stand-in), both forwarded to the Salesforce sandbox as the page's viewer, so the
// sandbox's field-level security, sharing and validation answer exactly as they would in the org.
import { join } from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import { PREVIEW_DIR } from './preview-build/build-preview.ts';
import { UiApiError } from './ui-record.ts';
import type { SalesforceReader } from './salesforce-reader.ts';
import type { UiRecordService } from './ui-record.ts';

export interface AdminPreviewOptions {
  salesforce: Pick<
    SalesforceReader,
    'graphql' | 'objectTypeOf' | 'updateRecord' | 'analytics'
  >;
  records: Pick<UiRecordService, 'getRecord'>;
}

/** The app pages the shell serves, by path. */
export const APP_PAGES = [
  '/worklink/inbox',
  '/worklink/health',
  '/worklink/ar-impact'
];

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const graphqlBody = z.object({
  query: z.string().min(1).max(100_000),
  variables: z.record(z.unknown()).nullable().optional(),
  operationName: z.string().nullable().optional()
});

// A report run may change the filters of that run only (Analytics API `POST /analytics/reports/{id}`).
const reportRunBody = z
  .object({ reportMetadata: z.record(z.unknown()).optional() })
  .strict();

// UI API `updateRecord(recordInput)`: `{fields: {Id, …}}`; the record type comes from the id.
const recordInput = z.object({
  fields: z
    .record(z.unknown())
    .refine(
      (fields) => Object.keys(fields).every((k) => FIELD_NAME.test(k)),
      'invalid field name'
    )
});

function checkedId(raw: unknown): string {
  const id = String(raw);
  if (!RECORD_ID.test(id))
    throw new UiApiError(400, 'INVALID_INPUT', `Invalid id: ${id}`);
  return id;
}

export function createAdminPreviewRoutes(options: AdminPreviewOptions): Router {
  const { salesforce, records } = options;
  const router = Router();
  const shell = (_req: express.Request, res: express.Response) =>
    res.sendFile(join(PREVIEW_DIR, 'app.html'));
  for (const path of APP_PAGES) router.get(path, shell);
  router.get('/worklink', (_req, res) => res.redirect(APP_PAGES[0] as string));

  router.post(
    '/preview-api/graphql',
    express.json({ limit: '256kb' }),
    async (req, res) => {
      const body = graphqlBody.safeParse(req.body);
      if (!body.success)
        throw new UiApiError(
          400,
          'INVALID_INPUT',
          body.error.issues[0]?.message ?? 'invalid'
        );
      res.json(await salesforce.graphql(body.data));
    }
  );

  // The dashboard page: the dashboards, one's components, and each component's report run.
  router.get('/preview-api/analytics/dashboards', async (_req, res) => {
    res.json(await salesforce.analytics('/dashboards'));
  });
  router.get(
    '/preview-api/analytics/dashboards/:id/describe',
    async (req, res) => {
      res.json(
        await salesforce.analytics(
          `/dashboards/${checkedId(req.params.id)}/describe`
        )
      );
    }
  );
  router.post(
    '/preview-api/analytics/reports/:id',
    express.json({ limit: '64kb' }),
    async (req, res) => {
      const body = reportRunBody.safeParse(req.body ?? {});
      if (!body.success)
        throw new UiApiError(
          400,
          'INVALID_INPUT',
          body.error.issues[0]?.message ?? 'invalid'
        );
      res.json(
        await salesforce.analytics(`/reports/${checkedId(req.params.id)}`, {
          method: 'POST',
          body: body.data
        })
      );
    }
  );

  router.patch(
    '/preview-api/ui-api/records/:recordId',
    express.json({ limit: '64kb' }),
    async (req, res) => {
      const recordId = String(req.params.recordId);
      const input = recordInput.safeParse(req.body);
      if (!RECORD_ID.test(recordId) || !input.success)
        throw new UiApiError(
          400,
          'INVALID_INPUT',
          input.error?.issues[0]?.message ?? `Invalid record id: ${recordId}`
        );
      const { Id: _id, ...fields } = input.data.fields;
      const type = await salesforce.objectTypeOf(recordId);
      if (!type)
        throw new UiApiError(
          404,
          'NOT_FOUND',
          `No object has the key prefix of ${recordId}`
        );
      await salesforce.updateRecord(type, recordId, fields);
      // The platform answers the updated record with the fields that were written.
      res.json(
        await records.getRecord(
          recordId,
          [`${type}.Id`, ...Object.keys(fields).map((f) => `${type}.${f}`)],
          []
        )
      );
    }
  );
  return router;
}

// The Files related list of a record page: the files linked to the record (ContentDocumentLink), with
// the latest version's title, date, size and extension, and its bytes (VersionData) streamed through
// the preview server for the thumbnails. It reads as the page's viewer: a file shows only when the
// viewer can see it, as in the org.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Router } from 'express';
import { RECORD_KINDS } from './preview-records.ts';
import { UiApiError } from './ui-record.ts';
import type { SalesforceReader, SoqlRecord } from './salesforce-reader.ts';

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const API_VERSION = '68.0';
/** Lightning's related list shows a handful of files; "View All" lists the rest. */
const SHOWN = 6;

export interface PreviewFile {
  documentId: string;
  versionId: string;
  title: string;
  extension: string;
  size: number;
  createdDate: string;
  thumbnailUrl: string;
}

const text = (row: SoqlRecord, field: string) =>
  typeof row[field] === 'string' ? row[field] : '';
const quoted = (ids: string[]) => ids.map((id) => `'${id}'`).join(', ');

function checkId(id: string): string {
  if (!RECORD_ID.test(id))
    throw new UiApiError(400, 'MALFORMED_ID', `Invalid record id: ${id}`);
  return id;
}

async function listFiles(
  salesforce: Pick<SalesforceReader, 'query'>,
  recordId: string
): Promise<{ total: number; files: PreviewFile[] }> {
  const links = await salesforce.query(
    `SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${recordId}'`
  );
  const documents = [
    ...new Set(links.map((l) => text(l, 'ContentDocumentId')))
  ];
  if (documents.length === 0) return { total: 0, files: [] };
  const versions = await salesforce.query(
    'SELECT Id, ContentDocumentId, Title, FileExtension, ContentSize, CreatedDate FROM ContentVersion ' +
      `WHERE IsLatest = true AND ContentDocumentId IN (${quoted(documents)}) ORDER BY CreatedDate DESC`
  );
  const files = versions.map((row) => ({
    documentId: text(row, 'ContentDocumentId'),
    versionId: text(row, 'Id'),
    title: text(row, 'Title'),
    extension: text(row, 'FileExtension'),
    size: Number(row.ContentSize ?? 0),
    createdDate: text(row, 'CreatedDate'),
    thumbnailUrl: `/preview-api/files/${text(row, 'Id')}/version-data`
  }));
  return { total: files.length, files: files.slice(0, SHOWN) };
}

/** `GET /preview-api/<route>/<id>/files` and `GET /preview-api/files/<versionId>/version-data`. */
export function createFilesRoutes(
  salesforce: Pick<SalesforceReader, 'query' | 'download'>
): Router {
  const router = Router();
  router.get('/preview-api/:route/:recordId/files', async (req, res) => {
    if (!RECORD_KINDS.some((kind) => kind.route === req.params.route))
      throw new UiApiError(
        404,
        'NOT_FOUND',
        `No record pages for ${req.params.route}`
      );
    res.json(await listFiles(salesforce, checkId(String(req.params.recordId))));
  });
  router.get('/preview-api/files/:versionId/version-data', async (req, res) => {
    const id = checkId(String(req.params.versionId));
    const upstream = await salesforce.download(
      `/services/data/v${API_VERSION}/sobjects/ContentVersion/${id}/VersionData`
    );
    res.status(200).set({
      'content-type':
        upstream.headers.get('content-type') ?? 'application/octet-stream',
      'cache-control': 'private, max-age=300'
    });
    const length = upstream.headers.get('content-length');
    if (length) res.set('content-length', length);
    if (!upstream.body) return void res.end();
    Readable.fromWeb(upstream.body as WebReadableStream).pipe(res);
  });
  return router;
}

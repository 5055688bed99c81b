import { Router } from 'express';
import { ApiError, notFound } from '../errors.ts';
import { normalizeId } from '../store/ids.ts';
import { BlobTooLargeError } from '../files/blob-store.ts';
import {
  MULTIPART_BLOB_LIMIT_BYTES,
  mimeType
} from '../files/content-files.ts';
import {
  MalformedMultipartError,
  multipartBoundary,
  multipartEvents
} from '../files/multipart.ts';
import type { MultipartEvent } from '../files/multipart.ts';
import {
  assertSaved,
  requireBody,
  setRecordCount,
  whenBodyRead
} from './route-helpers.ts';
import type { NextFunction, Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import type { StoredBlob } from '../files/blob-store.ts';

/** The non-binary part of a ContentVersion multipart insert is JSON fields, never this large. */
const ENTITY_PART_LIMIT = 1024 * 1024;

const invalidMultipart = (message: string) =>
  new ApiError(400, 'INVALID_MULTIPART_REQUEST', message);

type Events = AsyncGenerator<MultipartEvent>;

async function nextPart(events: Events) {
  const next = await events.next();
  if (next.done) return null;
  if (next.value.type !== 'part')
    throw invalidMultipart('Unexpected data outside a part');
  return next.value;
}

/** The bytes of the part being read, up to its end. */
async function* partBytes(events: Events): AsyncGenerator<Buffer> {
  for (;;) {
    const next = await events.next();
    if (next.done || next.value.type === 'end') return;
    if (next.value.type === 'data') yield next.value.chunk;
  }
}

async function readEntity(events: Events): Promise<Record<string, unknown>> {
  const part = await nextPart(events);
  if (!part || part.name !== 'entity_content')
    throw invalidMultipart(
      `The first part of a ContentVersion multipart request must be named entity_content, not ${part ? part.name : 'missing'}`
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of partBytes(events)) {
    size += chunk.length;
    if (size > ENTITY_PART_LIMIT)
      throw invalidMultipart('The entity_content part is too large');
    chunks.push(chunk);
  }
  try {
    return requireBody(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      `entity_content: ${(error as Error).message}`
    );
  }
}

/** Reads entity_content (JSON fields) then VersionData (the bytes, streamed to disk). */
async function readUpload(req: Request, state: SandboxState, boundary: string) {
  const events = multipartEvents(req, boundary);
  const entity = await readEntity(events);
  const part = await nextPart(events);
  if (!part || part.name !== 'VersionData')
    throw invalidMultipart(
      `The binary part of a ContentVersion multipart request must be named VersionData, not ${part ? part.name : 'missing'}`
    );
  const blob = await state.blobs.saveStream(
    partBytes(events),
    MULTIPART_BLOB_LIMIT_BYTES
  );
  try {
    if (await nextPart(events))
      throw invalidMultipart(
        'A ContentVersion multipart request has exactly two parts'
      );
  } catch (error) {
    state.blobs.remove(blob);
    throw error;
  }
  return { entity, blob };
}

function uploadError(error: unknown): unknown {
  if (error instanceof MalformedMultipartError)
    return invalidMultipart(error.message);
  if (error instanceof BlobTooLargeError)
    return new ApiError(
      413,
      'REQUEST_ENTITY_TOO_LARGE',
      `Maximum size of request reached. Maximum size of a ContentVersion file is ${error.limit} bytes.`
    );
  return error;
}

/** Files: multipart ContentVersion inserts and the bytes of a version (VersionData). */
export function createFilesRoutes(state: SandboxState): Router {
  const router = Router({ mergeParams: true });

  router.post(
    '/sobjects/ContentVersion',
    async (req: Request, res: Response, next: NextFunction) => {
      const contentType = req.get('content-type');
      if (!/^multipart\//i.test(contentType ?? '')) return next();
      const boundary = multipartBoundary(contentType);
      if (!boundary)
        return next(invalidMultipart('multipart/form-data needs a boundary'));
      let upload: { entity: Record<string, unknown>; blob: StoredBlob };
      try {
        upload = await readUpload(req, state, boundary);
      } catch (error) {
        return whenBodyRead(req, () => next(uploadError(error)));
      }
      // Back from awaiting the body: other requests ran meanwhile, so act as this one's user again.
      state.actAs(String(res.locals.userId));
      state.useApiVersion(String(req.params.version).slice(1));
      const token = state.files.stage(upload.blob);
      try {
        const def = state.userSchema.getObject('ContentVersion');
        if (!def) throw notFound();
        setRecordCount(res, 1);
        const outcome = assertSaved(
          state.dml.create(state.userSchema, def, {
            ...upload.entity,
            VersionData: token
          })
        );
        res.status(201).json({ id: outcome.id, success: true, errors: [] });
      } catch (error) {
        state.files.discard(token);
        next(error);
      }
    }
  );

  router.get('/sobjects/ContentVersion/:id/VersionData', (req, res, next) => {
    const id = normalizeId(String(req.params.id));
    if (!id)
      return next(
        new ApiError(
          400,
          'MALFORMED_ID',
          `malformed id ${String(req.params.id)}`
        )
      );
    const record = state.store.get('ContentVersion', id);
    const visible =
      record &&
      (state.userSchema.access.recordVisible?.('ContentVersion', record) ??
        true);
    const blob = visible ? state.files.bytesOf(id) : undefined;
    if (!record || !blob) return next(notFound());
    setRecordCount(res, 1);
    res.status(200).set({
      'Content-Type': mimeType(record.FileExtension),
      'Content-Length': String(blob.size)
    });
    state.blobs.read(blob).on('error', next).pipe(res);
  });

  return router;
}

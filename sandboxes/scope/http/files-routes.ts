import express, { type Router } from 'express';
import { z } from 'zod';
import { photoStream } from '../files/photo-bytes.ts';
import type { Services } from '../state.ts';

// Photo downloads behind signed URLs (no API token: the signature is the credential, as with an
// object store), and the controls that change expiry and photo sizes for tests.

const filesUpdate = z
  .object({
    urlTtlSeconds: z.number().int().min(0),
    photoMinBytes: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
    photoMaxBytes: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
    format: z.enum(['png', 'jpeg', 'mixed']),
    /** Moves the file clock on: URLs issued before expire as if that time had passed. */
    advanceClockSeconds: z.number().int().min(0)
  })
  .partial()
  .strict();

export function createFilesRoutes(services: Services): Router {
  const router = express.Router();
  const { photos } = services;

  router.get('/sandbox/files/:name', (request, response, next) => {
    const answer = photos.check(String(request.params.name), request.query);
    if (!answer.ok) {
      response.status(answer.status).type('application/xml').send(answer.xml);
      return;
    }
    response.status(200).set({
      'Content-Type': answer.spec.contentType,
      'Content-Length': String(answer.spec.size),
      'Cache-Control': 'private, max-age=0'
    });
    photoStream(answer.spec).on('error', next).pipe(response);
  });

  router.get('/sandbox/files', (_request, response) => {
    response.json(photos.settings());
  });

  router.post('/sandbox/files', (request, response) => {
    const parsed = filesUpdate.safeParse(request.body ?? {});
    if (!parsed.success) {
      response
        .status(400)
        .json({ error: 'Invalid request body', issues: parsed.error.issues });
      return;
    }
    const next = { ...photos.settings(), ...parsed.data };
    if (next.photoMaxBytes < next.photoMinBytes) {
      response.status(400).json({
        error: 'Invalid request body',
        issues: [{ message: 'photoMaxBytes must be at least photoMinBytes' }]
      });
      return;
    }
    photos.update(parsed.data);
    response.json(photos.settings());
  });
  return router;
}

// One photo from Scope into Salesforce Files: too large by Scope's own fileSize → skipped unread;
// else the download is streamed straight into the ContentVersion upload (JSON base64 up to
// FILES_BASE64_MAX_BYTES, multipart above it or when the size is unknown), so a worker never holds more
// than the chunks in flight. An expired URL (fileURLExpiresAt passed, or a 403) is refreshed once by
// asking Scope for the event again. Errors other than "too large" and "gone" are the caller's to classify.
import { jsonBody, multipartBody } from '../salesforce/content-version-body.ts';
import type { ContentVersionFields } from '../salesforce/content-version-body.ts';
import type { FilesPort } from '../salesforce/salesforce-client.ts';
import type { StreamedBody } from '../salesforce/streamed-request.ts';
import type { PhotoEvent } from '../scope/photo-events.ts';
import type { FileCopy } from './file-copies.ts';
import {
  FileTooLarge,
  PhotoUrlExpired,
  openDownload
} from './photo-download.ts';
import { photoDescription, photoPath, photoTitle } from './photo-title.ts';

export interface CopySettings {
  maxBytes: number;
  base64MaxBytes: number;
  salesforce: Pick<FilesPort, 'uploadContentVersion'>;
  /** Scope's current state of the event (a fresh URL), undefined when it is gone. */
  refresh(eventId: string): Promise<PhotoEvent | undefined>;
  now?: () => number;
}

export interface PhotoTarget {
  photo: PhotoEvent;
  scopeSessionId: string;
  sessionRecordId: string;
  scenarioName?: string;
}

/** The error itself or one of its causes, when it is a `type`. */
function causeOf<T extends Error>(
  error: unknown,
  type: new (...args: never[]) => T
): T | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function fieldsOf(
  target: PhotoTarget,
  contentType?: string
): ContentVersionFields {
  const { photo, scenarioName } = target;
  return {
    Title: photoTitle(photo, scenarioName),
    Description: photoDescription(photo, scenarioName),
    PathOnClient: photoPath(photo, contentType),
    FirstPublishLocationId: target.sessionRecordId,
    WorkLink_Scope_Event_Id__c: photo.eventId
  };
}

async function upload(
  settings: CopySettings,
  target: PhotoTarget,
  counted: { bytes: number }
): Promise<string> {
  const body = async (): Promise<StreamedBody> => {
    const download = await openDownload(target.photo.url, {
      ...(target.photo.expiresAt === undefined
        ? {}
        : { expiresAt: target.photo.expiresAt }),
      maxBytes: settings.maxBytes,
      now: (settings.now ?? Date.now)()
    });
    counted.bytes = 0;
    const bytes = (async function* () {
      for await (const chunk of download.bytes) {
        counted.bytes += chunk.byteLength;
        yield chunk;
      }
    })();
    const contentType =
      download.contentType ??
      target.photo.contentType ??
      'application/octet-stream';
    const fields = fieldsOf(target, contentType);
    const size = download.length;
    return size !== undefined && size <= settings.base64MaxBytes
      ? jsonBody(fields, bytes, size)
      : multipartBody(fields, bytes, contentType, size);
  };
  const saved = await settings.salesforce.uploadContentVersion(body);
  return saved.id;
}

const skipped = (
  target: PhotoTarget,
  reason: string,
  bytes?: number
): FileCopy => ({
  scopeEventId: target.photo.eventId,
  scopeSessionId: target.scopeSessionId,
  status: 'skipped',
  reason,
  ...(bytes === undefined ? {} : { bytes })
});

export async function copyPhoto(
  settings: CopySettings,
  target: PhotoTarget
): Promise<FileCopy> {
  const { size } = target.photo;
  if (size !== undefined && size > settings.maxBytes)
    return skipped(
      target,
      new FileTooLarge(size, settings.maxBytes).message,
      size
    );
  let current = target;
  for (let refreshed = false; ; refreshed = true) {
    const counted = { bytes: 0 };
    try {
      const id = await upload(settings, current, counted);
      return {
        scopeEventId: target.photo.eventId,
        scopeSessionId: target.scopeSessionId,
        status: 'copied',
        contentVersionId: id,
        bytes: counted.bytes
      };
    } catch (error) {
      const tooLarge = causeOf(error, FileTooLarge);
      if (tooLarge) return skipped(target, tooLarge.message, tooLarge.bytes);
      if (!causeOf(error, PhotoUrlExpired) || refreshed) throw error;
      const fresh = await settings.refresh(target.photo.eventId);
      if (!fresh) return skipped(target, 'Scope no longer has this photo');
      current = { ...current, photo: fresh };
    }
  }
}

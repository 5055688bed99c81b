// The files job's BatchProcessor: a batch of Scope session ids becomes their photos in Salesforce
// Files, through stages each named below. Salesforce calls per batch, besides one upload per new photo:
// the session records, the ContentVersions already copied (before) and just copied (after), the
// existing links, and one Collections insert of the missing links. A retried or replayed session finds
// its photos by WorkLink_Scope_Event_Id__c and uploads nothing twice; a file copied but not linked yet
// is linked on the next attempt.
import type { Pool } from 'pg';
import type {
  BatchProcessor,
  ProcessOutcome,
  ResourceEvent
} from '../contracts.ts';
import type { Logger } from '../logger.ts';
import type { SessionRecordRef } from '../salesforce/content-documents.ts';
import type { FilesPort } from '../salesforce/salesforce-client.ts';
import type { ScopeClient } from '../scope/scope-client.ts';
import {
  attachmentSelection,
  listSessionPhotos,
  refreshPhotoEvent
} from '../scope/photo-events.ts';
import type { PhotoEvent } from '../scope/photo-events.ts';
import { classifyError } from '../worker/classify-error.ts';
import type { Classification } from '../worker/classify-error.ts';
import { copyPhoto } from './copy-photo.ts';
import { recordFileCopies } from './file-copies.ts';
import type { FileCopy } from './file-copies.ts';
import { linkCopiedPhotos } from './link-photos.ts';

/** What copying needs of Salesforce Files (the purge's calls aside). */
export type CopyPort = Omit<
  FilesPort,
  'findCopiedDocuments' | 'deleteDocuments'
>;

export interface FilesProcessorOptions {
  scope: Pick<ScopeClient, 'execute' | 'capabilities'>;
  salesforce: CopyPort;
  pool: Pick<Pool, 'query'>;
  maxBytes: number;
  base64MaxBytes: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
}

/** A session of the batch whose record exists and whose photos Scope listed. */
export interface SessionPhotosInHand {
  scopeId: string;
  record: SessionRecordRef;
  scenarioName?: string;
  photos: PhotoEvent[];
}

export class FilesBatch {
  readonly outcomes = new Map<string, ProcessOutcome>();
  readonly copies: FileCopy[] = [];
  settle(scopeId: string, outcome: Omit<ProcessOutcome, 'resourceId'>): void {
    if (!this.outcomes.has(scopeId))
      this.outcomes.set(scopeId, { resourceId: scopeId, ...outcome });
  }
  settleClassified(scopeId: string, c: Classification): void {
    this.settle(
      scopeId,
      c.kind === 'retry'
        ? {
            status: 'retry',
            reason: c.reason,
            ...(c.retryAfterSeconds
              ? { retryAfterSeconds: c.retryAfterSeconds }
              : {}),
            ...(c.uncounted ? { uncounted: true } : {})
          }
        : { status: 'dead', reason: c.reason }
    );
  }
}

async function attachmentFor(
  scope: FilesProcessorOptions['scope']
): Promise<string | null> {
  const fields = await scope
    .capabilities()
    .then((c) => c.fields['Attachment'])
    .catch(() => undefined);
  return attachmentSelection(fields && fields.size > 0 ? fields : undefined);
}

/** Stage 1: each session's photos from Scope; sessions without photos are done here. */
async function listPhotos(
  options: FilesProcessorOptions,
  batch: FilesBatch,
  attachment: string,
  scopeIds: readonly string[]
): Promise<Map<string, { scenarioName?: string; photos: PhotoEvent[] }>> {
  const listed = new Map<
    string,
    { scenarioName?: string; photos: PhotoEvent[] }
  >();
  for (const scopeId of scopeIds) {
    try {
      const found = await listSessionPhotos(
        options.scope.execute,
        attachment,
        scopeId
      );
      if (found.photos.length === 0)
        batch.settle(scopeId, { status: 'skipped', reason: 'no photos' });
      else listed.set(scopeId, found);
    } catch (error) {
      batch.settleClassified(scopeId, classifyError(error));
    }
  }
  return listed;
}

/** Stage 2: the session records (FirstPublishLocationId, the Work Order and Case to link). */
async function withRecords(
  options: FilesProcessorOptions,
  batch: FilesBatch,
  listed: Map<string, { scenarioName?: string; photos: PhotoEvent[] }>
): Promise<SessionPhotosInHand[]> {
  if (listed.size === 0) return [];
  let records: Map<string, SessionRecordRef>;
  try {
    records = await options.salesforce.findSessionRecords([...listed.keys()]);
  } catch (error) {
    for (const scopeId of listed.keys())
      batch.settleClassified(scopeId, classifyError(error));
    return [];
  }
  const inHand: SessionPhotosInHand[] = [];
  for (const [scopeId, found] of listed) {
    const record = records.get(scopeId);
    if (!record) {
      batch.settle(scopeId, {
        status: 'retry',
        reason: 'the session record is not in Salesforce (yet)',
        retryAfterSeconds: 60
      });
      continue;
    }
    const scenarioName = record.Scenario_Name__c ?? found.scenarioName;
    inHand.push({
      scopeId,
      record,
      photos: found.photos,
      ...(scenarioName ? { scenarioName } : {})
    });
  }
  return inHand;
}

/** Stage 3: upload what Salesforce does not have yet; a session stops at its first failure. */
async function uploadNew(
  options: FilesProcessorOptions,
  batch: FilesBatch,
  attachment: string,
  sessions: readonly SessionPhotosInHand[],
  copied: ReadonlySet<string>
): Promise<void> {
  const settings = {
    maxBytes: options.maxBytes,
    base64MaxBytes: options.base64MaxBytes,
    salesforce: options.salesforce,
    refresh: (eventId: string) =>
      refreshPhotoEvent(options.scope.execute, attachment, eventId),
    ...(options.now ? { now: options.now } : {})
  };
  for (const session of sessions) {
    for (const photo of session.photos) {
      if (copied.has(photo.eventId)) continue;
      try {
        const target = {
          photo,
          scopeSessionId: session.scopeId,
          sessionRecordId: session.record.Id
        };
        const copy = await copyPhoto(
          settings,
          session.scenarioName
            ? { ...target, scenarioName: session.scenarioName }
            : target
        );
        batch.copies.push(copy);
        if (copy.status === 'skipped')
          options.logger?.warn(
            { scopeEventId: photo.eventId, reason: copy.reason },
            'photo not copied'
          );
      } catch (error) {
        batch.settleClassified(session.scopeId, classifyError(error));
        break;
      }
    }
  }
}

async function processFiles(
  options: FilesProcessorOptions,
  events: readonly ResourceEvent[]
): Promise<ProcessOutcome[]> {
  const scopeIds = [...new Set(events.map((e) => e.resourceId))];
  const batch = new FilesBatch();
  const attachment = await attachmentFor(options.scope);
  if (attachment === null)
    for (const id of scopeIds)
      batch.settle(id, {
        status: 'skipped',
        reason: "the tenant's Attachment type has no file URL field"
      });
  else {
    const sessions = await withRecords(
      options,
      batch,
      await listPhotos(options, batch, attachment, scopeIds)
    );
    const eventIds = sessions.flatMap((s) => s.photos.map((p) => p.eventId));
    let before = new Map<string, unknown>();
    try {
      before =
        eventIds.length > 0
          ? await options.salesforce.findCopiedPhotos(eventIds)
          : before;
      await uploadNew(
        options,
        batch,
        attachment,
        sessions,
        new Set(before.keys())
      );
      await linkCopiedPhotos(options.salesforce, batch, sessions);
    } catch (error) {
      for (const s of sessions)
        batch.settleClassified(s.scopeId, classifyError(error));
    }
    for (const s of sessions)
      batch.settle(s.scopeId, { status: 'written', salesforceId: s.record.Id });
  }
  await recordFileCopies(options.pool, batch.copies);
  return scopeIds.map(
    (id) =>
      batch.outcomes.get(id) ?? {
        resourceId: id,
        status: 'retry',
        reason: 'not processed'
      }
  );
}

export function createFilesProcessor(
  options: FilesProcessorOptions
): BatchProcessor {
  return { process: (events) => processFiles(options, events) };
}

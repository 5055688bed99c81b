// Stage 4 of a files batch: every copied photo of the batch's sessions linked to the session's Work
// Order and Case (FirstPublishLocationId already linked it to the session record). The ContentDocument
// ids are read once for the whole batch (photos copied before and just now alike), existing links once,
// and the missing ones inserted in one Collections call; a DUPLICATE_VALUE (linked meanwhile) is fine.
import { toId18 } from '../mapping/salesforce-id.ts';
import { linkKey } from '../salesforce/content-documents.ts';
import type { DocumentLink } from '../salesforce/content-documents.ts';
import type { FilesPort } from '../salesforce/salesforce-client.ts';
import { classifyRecordErrors } from '../worker/classify-error.ts';
import type { FilesBatch, SessionPhotosInHand } from './files-processor.ts';

const ALREADY_LINKED = 'DUPLICATE_VALUE';

function entitiesOf(session: SessionPhotosInHand): string[] {
  const ids = [session.record.Work_Order__c, session.record.Case__c]
    .map((id) => (id ? toId18(id) : undefined))
    .filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}

/** The wanted links, each with the session it belongs to. */
function wantedLinks(
  sessions: readonly SessionPhotosInHand[],
  documents: ReadonlyMap<string, { contentDocumentId: string }>
): Map<string, { link: DocumentLink; scopeId: string }> {
  const wanted = new Map<string, { link: DocumentLink; scopeId: string }>();
  for (const session of sessions) {
    const entities = entitiesOf(session);
    for (const photo of session.photos) {
      const document = documents.get(photo.eventId);
      if (!document) continue;
      for (const entity of entities) {
        const link = {
          ContentDocumentId: document.contentDocumentId,
          LinkedEntityId: entity
        };
        wanted.set(linkKey(link), { link, scopeId: session.scopeId });
      }
    }
  }
  return wanted;
}

export async function linkCopiedPhotos(
  salesforce: Pick<
    FilesPort,
    'findCopiedPhotos' | 'findDocumentLinks' | 'insertDocumentLinks'
  >,
  batch: FilesBatch,
  sessions: readonly SessionPhotosInHand[]
): Promise<void> {
  const eventIds = sessions.flatMap((s) => s.photos.map((p) => p.eventId));
  if (eventIds.length === 0) return;
  const documents = await salesforce.findCopiedPhotos(eventIds);
  for (const copy of batch.copies) {
    const document = documents.get(copy.scopeEventId);
    if (copy.status === 'copied' && document)
      copy.contentDocumentId = document.contentDocumentId;
  }
  const wanted = wantedLinks(sessions, documents);
  if (wanted.size === 0) return;
  const links = [...wanted.values()].map((w) => w.link);
  const existing = await salesforce.findDocumentLinks(
    [...new Set(links.map((l) => l.ContentDocumentId))],
    [...new Set(links.map((l) => l.LinkedEntityId))]
  );
  const missing = links.filter((l) => !existing.has(linkKey(l)));
  if (missing.length === 0) return;
  for (const result of await salesforce.insertDocumentLinks(missing)) {
    if (
      result.success ||
      result.errors.every((e) => e.statusCode === ALREADY_LINKED)
    )
      continue;
    const scopeId = wanted.get(linkKey(result.link))?.scopeId;
    if (scopeId)
      batch.settleClassified(
        scopeId,
        classifyRecordErrors(result.errors.map((e) => ({ ...e, fields: [] })))
      );
  }
}

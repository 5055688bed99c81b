// Salesforce Files as the platform keeps them: inserting a ContentVersion stores its bytes (on disk),
// derives ContentSize, Checksum (MD5), FileExtension and FileType, creates the ContentDocument and,
// for FirstPublishLocationId, the first ContentDocumentLink. A document links to a record at most
// once, and deleting the document (the purge) takes its versions, links and bytes with it.
import { randomBytes } from 'node:crypto';
import { recordError } from '../errors.ts';
import { normalizeId } from '../store/ids.ts';
import { formatDateTime } from '../store/values.ts';
import type { RecordError } from '../errors.ts';
import type { Schema, SObjectDef } from '../schema/types.ts';
import type { RecordStore, SRecord } from '../store/record-store.ts';
import type { BlobStore, StoredBlob } from './blob-store.ts';

/** "limited to 50 MB of text data or 37.5 MB of base64-encoded data" (REST API, Insert or Update Blob Data). */
export const JSON_BLOB_LIMIT_BYTES = 37.5 * 1024 * 1024;
/** Multipart inserts of a ContentVersion: up to 2 GB. */
export const MULTIPART_BLOB_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

const FILE_TYPES: Record<string, string> = {
  png: 'PNG',
  jpg: 'JPG',
  jpeg: 'JPG',
  gif: 'GIF',
  pdf: 'PDF',
  txt: 'TEXT',
  csv: 'CSV',
  mp4: 'MP4'
};
const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  mp4: 'video/mp4'
};

/** `IMG 01.Final.PNG` → `png`; no dot → empty, as Salesforce leaves it. */
export const fileExtension = (path: string): string => {
  const name = path.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};
export const mimeType = (extension: unknown): string =>
  MIME_TYPES[String(extension ?? '').toLowerCase()] ??
  'application/octet-stream';

export interface ContentFilesDeps {
  store: RecordStore;
  blobs: BlobStore;
  userId: () => string;
  apiVersion: () => string;
  /** Whether the acting user has Modify All Data (deletes any file). */
  isAdmin: () => boolean;
}

export function createContentFiles(deps: ContentFilesDeps) {
  const { store, blobs } = deps;
  /** Bytes of each ContentVersion, by its Id. */
  const bytes = new Map<string, StoredBlob>();
  /** Multipart uploads already on disk, waiting for their insert (the token stands in for VersionData). */
  const staged = new Map<string, StoredBlob>();

  const audit = () => {
    const now = formatDateTime(Date.now());
    return {
      CreatedDate: now,
      CreatedById: deps.userId(),
      LastModifiedDate: now,
      LastModifiedById: deps.userId(),
      SystemModstamp: now,
      IsDeleted: false
    };
  };

  /** Salesforce's per-record checks the generic validation cannot make. */
  function validate(
    def: SObjectDef,
    record: SRecord,
    existing: SRecord | undefined
  ): RecordError | null {
    if (def.name === 'ContentVersion' && !existing) {
      const data = record.VersionData;
      if (
        typeof data === 'string' &&
        !staged.has(data) &&
        Math.floor((data.replace(/=+$/, '').length * 3) / 4) >
          JSON_BLOB_LIMIT_BYTES
      )
        return recordError(
          'STRING_TOO_LONG',
          `Version Data: data value too large: (max length=${JSON_BLOB_LIMIT_BYTES})`,
          ['VersionData']
        );
    }
    if (def.name === 'ContentDocumentLink' && !existing) {
      const entity = normalizeId(String(record.LinkedEntityId));
      const duplicate = linksOf(
        normalizeId(String(record.ContentDocumentId)) ?? ''
      ).some((l) => l.LinkedEntityId === entity);
      // Salesforce's own wording for a second link between the same document and record.
      if (duplicate)
        return recordError(
          'DUPLICATE_VALUE',
          'Duplicate value found: <unknown> duplicates value on record with id: <unknown>'
        );
    }
    return null;
  }

  function linksOf(documentId: string): SRecord[] {
    return [...store.all('ContentDocumentLink')].filter(
      (l) => l.ContentDocumentId === documentId
    );
  }

  /** Takes the bytes of a new version: a staged multipart upload, or the JSON body's base64. */
  function takeBytes(record: SRecord): StoredBlob {
    const data = String(record.VersionData ?? '');
    const upload = staged.get(data);
    if (upload) {
      staged.delete(data);
      return upload;
    }
    return blobs.saveBuffer(Buffer.from(data, 'base64'));
  }

  function describeBytes(record: SRecord, blob: StoredBlob): void {
    const extension = fileExtension(String(record.PathOnClient ?? ''));
    record.ContentSize = blob.size;
    record.Checksum = blob.md5;
    record.FileExtension = extension || null;
    record.FileType = FILE_TYPES[extension] ?? 'UNKNOWN';
    record.IsLatest = true;
    record.VersionNumber = '1';
    if (
      record.Title === undefined ||
      record.Title === null ||
      record.Title === ''
    ) {
      const name = String(record.PathOnClient).split(/[\\/]/).pop() ?? '';
      record.Title = extension ? name.slice(0, -(extension.length + 1)) : name;
    }
    record.VersionData = `/services/data/v${deps.apiVersion()}/sobjects/ContentVersion/${String(record.Id)}/VersionData`;
  }

  /** After a ContentVersion insert: bytes, document and first link. Returns the undo. */
  function afterCreate(
    schema: Schema,
    def: SObjectDef,
    record: SRecord
  ): () => void {
    if (def.name !== 'ContentVersion') return () => undefined;
    const docDef = schema.getObject('ContentDocument');
    const linkDef = schema.getObject('ContentDocumentLink');
    if (!docDef || !linkDef) return () => undefined;
    const blob = takeBytes(record);
    bytes.set(String(record.Id), blob);
    describeBytes(record, blob);
    const doc: SRecord = {
      Id: store.newId(docDef),
      Title: record.Title,
      Description: record.Description ?? null,
      ContentSize: record.ContentSize,
      FileExtension: record.FileExtension,
      FileType: record.FileType,
      LatestPublishedVersionId: record.Id,
      OwnerId: record.OwnerId ?? deps.userId(),
      ...audit()
    };
    store.put(docDef, doc);
    record.ContentDocumentId = doc.Id;
    let linkId: string | undefined;
    if (typeof record.FirstPublishLocationId === 'string') {
      linkId = store.newId(linkDef);
      store.put(linkDef, {
        Id: linkId,
        ContentDocumentId: doc.Id,
        LinkedEntityId: record.FirstPublishLocationId,
        ShareType: 'V',
        Visibility: 'AllUsers',
        ...audit()
      });
    }
    return () => {
      store.remove(docDef, String(doc.Id));
      if (linkId) store.remove(linkDef, linkId);
      bytes.delete(String(record.Id));
      blobs.remove(blob);
    };
  }

  /** Only a file's owner (or an admin) deletes it; a link may be removed by whoever sees the file. */
  function validateRemove(
    def: SObjectDef,
    record: SRecord
  ): RecordError | null {
    if (def.name !== 'ContentDocument' || deps.isAdmin()) return null;
    return record.OwnerId === deps.userId()
      ? null
      : recordError(
          'INSUFFICIENT_ACCESS_OR_READONLY',
          'insufficient access rights on object id'
        );
  }

  /** Deleting a ContentDocument deletes its versions (and their bytes) and its links. */
  function afterRemove(schema: Schema, def: SObjectDef, id: string): void {
    if (def.name !== 'ContentDocument') return;
    const versionDef = schema.getObject('ContentVersion');
    const linkDef = schema.getObject('ContentDocumentLink');
    for (const link of linksOf(id))
      if (linkDef) store.remove(linkDef, String(link.Id));
    for (const version of [...store.all('ContentVersion')].filter(
      (v) => v.ContentDocumentId === id
    )) {
      if (versionDef) store.remove(versionDef, String(version.Id));
      const blob = bytes.get(String(version.Id));
      if (blob) blobs.remove(blob);
      bytes.delete(String(version.Id));
    }
  }

  /** Whether the acting user sees a file: owner, or a link to itself or a record it can see. */
  function documentVisible(
    documentId: string,
    userId: string,
    canSee: (recordId: string) => boolean
  ): boolean {
    const doc = store.get('ContentDocument', documentId);
    if (!doc) return false;
    if (doc.OwnerId === userId) return true;
    return linksOf(documentId).some(
      (l) => l.LinkedEntityId === userId || canSee(String(l.LinkedEntityId))
    );
  }

  return {
    validate,
    validateRemove,
    afterCreate,
    afterRemove,
    documentVisible,
    /** Registers a multipart upload already on disk; the token goes in the body as VersionData. */
    stage(blob: StoredBlob): string {
      const token = randomBytes(24).toString('base64');
      staged.set(token, blob);
      return token;
    },
    /** Drops a staged upload whose insert failed. */
    discard(token: string): void {
      const blob = staged.get(token);
      staged.delete(token);
      if (blob) blobs.remove(blob);
    },
    bytesOf: (versionId: string): StoredBlob | undefined =>
      bytes.get(versionId),
    /** Total bytes stored (FileStorageMB in /limits). */
    usedBytes: (): number =>
      [...bytes.values()].reduce((sum, b) => sum + b.size, 0),
    clear(): void {
      for (const blob of [...bytes.values(), ...staged.values()])
        blobs.remove(blob);
      bytes.clear();
      staged.clear();
    }
  };
}

export type ContentFiles = ReturnType<typeof createContentFiles>;

// What this process last wrote of each session, so that a later write of a fetched node needs no read of
// the stored state (one SOQL query a batch, most batches' only query). Such a write is safe without the
// read because it leaves out everything an admin may have changed since: the link fields (the
// computed link is the one written last time, so a difference in Salesforce can only be an admin's
// manual link) and the owner (never changed while remembered). A payload node, a session this process
// has not written, or one whose computed link changed is read as before. A remembered session
// Salesforce no longer holds (deleted) comes back `created` and is written again in full (write-sessions.ts).
import type { LinkFields } from '../mapping/resolve-link.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
import { MANUAL_LINK_FIELDS } from '../mapping/session-record.ts';
import type { StoredSession } from '../salesforce/salesforce-client.ts';
import type { Batch } from './batch.ts';
import { WRITE_MEMORY_MS } from './processor-settings.ts';
import type { Prepared } from './resources.ts';

export interface WrittenSession {
  /** The link the connector computed for it at that write (written, or left out as kept). */
  links: string;
  /** Salesforce's state after that write, as the stored-session read returns it. */
  stored: StoredSession;
}

export const linkDigest = (links: LinkFields): string =>
  JSON.stringify(MANUAL_LINK_FIELDS.map((field) => links[field] ?? null));

/** The remembered state of a session whose node was fetched, else undefined (read it). */
export function recallWritten(
  batch: Batch,
  item: Prepared
): WrittenSession | undefined {
  if (item.fromPayload) return undefined;
  return batch.settings.writtenSessions.get(item.fields.Scope_Id__c);
}

/** After a successful write: what Salesforce now holds of it (the kept link fields as they were). */
export function rememberWritten(
  batch: Batch,
  item: Prepared,
  record: SessionRecord,
  computed: LinkFields
): void {
  const kept = item.keepStoredLinks !== undefined;
  const before = item.storedRollupInputs;
  const linkOf = (field: 'Work_Order__c' | 'Asset__c' | 'Case__c') =>
    (kept ? before?.[field] : record[field]) ?? null;
  batch.settings.writtenSessions.set(
    item.fields.Scope_Id__c,
    {
      links: linkDigest(computed),
      stored: {
        Scope_Updated_At__c: record.Scope_Updated_At__c ?? null,
        Link_Status__c: kept
          ? (item.storedLinkStatus ?? null)
          : (record.Link_Status__c ?? null),
        // the owner is never changed while remembered: no owner to compare
        OwnerId: null,
        CreatedById: null,
        Work_Order__c: linkOf('Work_Order__c'),
        Asset__c: linkOf('Asset__c'),
        Case__c: linkOf('Case__c'),
        Kind__c: record.Kind__c ?? null,
        Started_At__c: record.Started_At__c ?? null,
        Duration_Seconds__c: record.Duration_Seconds__c ?? null
      }
    },
    Date.now() + WRITE_MEMORY_MS
  );
}

export function forgetWritten(batch: Batch, item: Prepared): void {
  batch.settings.writtenSessions.delete(item.fields.Scope_Id__c);
}

// Stage 4 of a batch: what Salesforce already holds of the sessions to write, read in one query (per
// URL-sized IN-list) for the whole batch.
// - Out-of-order protection: a node taken from a payload may be older than what Salesforce already
//   holds (deliveries arrive out of order); a fetched node is Scope's current state and always written.
//   A payload from the same second as the stored state (Salesforce keeps dateTime to the second; two
//   changes in one second, or an idle-time change without an event when Scope exposes no updatedAt)
//   cannot say which is newer: it is fetched instead.
// - Manual links: a session an admin linked by hand (Link_Status__c `Linked manually`, the Unmatched
//   inbox) is written without its link fields, so neither a webhook nor reconciliation undoes the link.
// - Owner: a session still owned by its creator (the connector) may be handed to its technician.
// - A session this process wrote with the same link (written-sessions.ts) needs no read: it is written
//   without its link fields and owner, so whatever an admin changed there stays.
import { resolveLink } from '../mapping/resolve-link.ts';
import type { WorkOrderIndex } from '../mapping/resolve-link.ts';
import { MANUAL_LINK_STATUS } from '../mapping/session-record.ts';
import { salesforceSeconds } from '../salesforce/date-time.ts';
import type { StoredSession } from '../salesforce/salesforce-client.ts';
import type { Batch } from './batch.ts';
import { classifyError } from './classify-error.ts';
import { refetchNodes } from './collect-nodes.ts';
import type { Prepared } from './resources.ts';
import { linkDigest, recallWritten } from './written-sessions.ts';
import type { WrittenSession } from './written-sessions.ts';

export type StoredRead =
  | { ok: true; stored: Map<string, StoredSession> }
  | { ok: false; error: unknown };

/** What Salesforce holds of `items`; never rejects. */
async function readStored(
  batch: Batch,
  items: readonly Prepared[]
): Promise<StoredRead> {
  if (items.length === 0) return { ok: true, stored: new Map() };
  try {
    const stored = await batch.settings.salesforce.readStoredSessions(
      items.map((p) => p.fields.Scope_Id__c)
    );
    return { ok: true, stored };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Starts reading what Salesforce holds of the sessions this process does not remember writing
 * (written-sessions.ts), before the work orders are resolved, so both can share one call.
 */
export function readStoredSessions(
  batch: Batch,
  items: readonly Prepared[]
): Promise<StoredRead> {
  return readStored(
    batch,
    items.filter((p) => !recallWritten(batch, p))
  );
}

/**
 * The sessions still to write (older payloads skipped, manual links marked); those whose stored state
 * could not be read are retried. `read`: what readStoredSessions started for the batch. A remembered
 * session whose computed link is the one written last time takes its state from memory; one whose
 * link changed is read now.
 */
export async function checkStoredSessions(
  batch: Batch,
  items: readonly Prepared[],
  index: WorkOrderIndex,
  read: Promise<StoredRead> = readStoredSessions(batch, items)
): Promise<Prepared[]> {
  const remembered = new Map<Prepared, WrittenSession>();
  const unremembered: Prepared[] = [];
  const changed: Prepared[] = [];
  for (const p of items) {
    const written = recallWritten(batch, p);
    if (!written) unremembered.push(p);
    else if (written.links === linkDigest(resolveLink(p.reference, index)))
      remembered.set(p, written);
    else changed.push(p);
  }
  const stored = new Map<string, StoredSession>();
  const failures = new Map<Prepared, unknown>();
  const take = (answer: StoredRead, group: readonly Prepared[]) => {
    if (answer.ok) for (const [id, s] of answer.stored) stored.set(id, s);
    else for (const p of group) failures.set(p, answer.error);
  };
  take(await read, unremembered);
  take(await readStored(batch, changed), changed);
  const writable: Prepared[] = [];
  const ties: Prepared[] = [];
  for (const p of items) {
    const memory = remembered.get(p);
    if (memory) {
      writable.push(fromMemory(p, memory.stored));
      continue;
    }
    if (failures.has(p)) {
      // Without the stored state a write could undo an admin's manual link: not written now.
      batch.outcomes.settleClassified(
        p.resource,
        classifyError(failures.get(p))
      );
      continue;
    }
    const existing = stored.get(p.fields.Scope_Id__c);
    const order = payloadOrder(p, existing);
    if (order === 'older') {
      batch.outcomes.settle(p.resource, {
        status: 'skipped',
        reason: `Salesforce already holds a newer state (${existing?.Scope_Updated_At__c} > ${p.fields.Scope_Updated_At__c})`
      });
    } else if (order === 'same') ties.push(p);
    else writable.push(withStoredState(p, existing));
  }
  const refetched = await refetchNodes(
    batch,
    ties.map((p) => p.resource)
  );
  return [
    ...writable,
    ...refetched.map((p) =>
      withStoredState(p, stored.get(p.fields.Scope_Id__c))
    )
  ];
}

/** A remembered session: written without its link fields and owner, whatever an admin did since. */
function fromMemory(p: Prepared, state: StoredSession): Prepared {
  const withState = withStoredState(p, state);
  return {
    ...withState,
    keepStoredLinks: withState.keepStoredLinks ?? 'remembered',
    ownerTransferable: false
  };
}

/** How a payload node stands against the stored state; a fetched node is always 'newer'. */
function payloadOrder(
  p: Prepared,
  existing: StoredSession | undefined
): 'older' | 'same' | 'newer' {
  const theirs = existing?.Scope_Updated_At__c;
  const ours = p.fields.Scope_Updated_At__c;
  if (!p.fromPayload || !theirs || !ours) return 'newer';
  const difference = salesforceSeconds(ours) - salesforceSeconds(theirs);
  if (difference < 0) return 'older';
  return difference === 0 ? 'same' : 'newer';
}

function withStoredState(
  p: Prepared,
  existing: StoredSession | undefined
): Prepared {
  return {
    ...p,
    ...(existing?.Link_Status__c === MANUAL_LINK_STATUS
      ? { keepStoredLinks: 'manual' as const }
      : {}),
    storedLinkStatus: existing?.Link_Status__c ?? null,
    ownerTransferable:
      !existing ||
      (existing.OwnerId !== null && existing.OwnerId === existing.CreatedById),
    ...(existing
      ? {
          storedRollupInputs: {
            Work_Order__c: existing.Work_Order__c ?? null,
            Asset__c: existing.Asset__c ?? null,
            Case__c: existing.Case__c ?? null,
            Kind__c: existing.Kind__c ?? null,
            Started_At__c: existing.Started_At__c ?? null,
            Duration_Seconds__c: existing.Duration_Seconds__c ?? null
          }
        }
      : {})
  };
}

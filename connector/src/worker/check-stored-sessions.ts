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
import { MANUAL_LINK_STATUS } from '../mapping/session-record.ts';
import { salesforceSeconds } from '../salesforce/date-time.ts';
import type { StoredSession } from '../salesforce/salesforce-client.ts';
import type { Batch } from './batch.ts';
import { classifyError } from './classify-error.ts';
import { refetchNodes } from './collect-nodes.ts';
import type { Prepared } from './resources.ts';

export type StoredRead =
  | { ok: true; stored: Map<string, StoredSession> }
  | { ok: false; error: unknown };

/** What Salesforce holds of `items` (a superset of those checked is fine); never rejects. */
export async function readStoredSessions(
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
 * The sessions still to write (older payloads skipped, manual links marked); all retried if the read
 * fails. `read`: the stored state, when the batch started reading it already.
 */
export async function checkStoredSessions(
  batch: Batch,
  items: readonly Prepared[],
  read: Promise<StoredRead> = readStoredSessions(batch, items)
): Promise<Prepared[]> {
  const answer = await read;
  if (items.length === 0) return [];
  if (!answer.ok) {
    // Without the stored state a write could undo an admin's manual link: nothing is written.
    const c = classifyError(answer.error);
    for (const p of items) batch.outcomes.settleClassified(p.resource, c);
    return [];
  }
  const { stored } = answer;
  const writable: Prepared[] = [];
  const ties: Prepared[] = [];
  for (const p of items) {
    const order = payloadOrder(p, stored.get(p.fields.Scope_Id__c));
    if (order === 'older') {
      batch.outcomes.settle(p.resource, {
        status: 'skipped',
        reason: `Salesforce already holds a newer state (${stored.get(p.fields.Scope_Id__c)?.Scope_Updated_At__c} > ${p.fields.Scope_Updated_At__c})`
      });
    } else if (order === 'same') ties.push(p);
    else writable.push(p);
  }
  const refetched = await refetchNodes(
    batch,
    ties.map((p) => p.resource)
  );
  return [...writable, ...refetched].map((p) =>
    withStoredState(p, stored.get(p.fields.Scope_Id__c))
  );
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
      ? { linkedManually: true }
      : {}),
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

// Stage 5 of a batch: build each Scope_AR_Session__c record (the mapped fields plus its links) and
// upsert them in Collections calls. A record whose externalData Case, Line Item or Service Appointment
// id Salesforce rejects is written once more with the work order's links only. A session an admin
// linked by hand is written without its link fields (check-stored-sessions.ts). The technician's user
// (resolve-technicians.ts) is set as the lookup and, where allowed, the owner; a record Salesforce refuses
// for its owner is written again with the connector as its owner, and that user is not offered as an owner
// again for a while (REFUSED_OWNER_MEMORY_MS). With SF_COMPOSITE the upsert carries
// the sessions' steps in the same call (write-sessions-with-steps.ts); the session results are the same.
import { buildSessionRecord } from '../mapping/map-scope-node.ts';
import { resolveLink } from '../mapping/resolve-link.ts';
import type { WorkOrderIndex } from '../mapping/resolve-link.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
import type { UpsertResult } from '../salesforce/salesforce-client.ts';
import type { Batch } from './batch.ts';
import { classifyError, classifyRecordErrors } from './classify-error.ts';
import { REFUSED_OWNER_MEMORY_MS } from './processor-settings.ts';
import { forgetWritten, rememberWritten } from './written-sessions.ts';
import type { Prepared } from './resources.ts';
import { technicianFields } from './resolve-technicians.ts';
import {
  compositeUpsert,
  upsertSessionsAndSteps
} from './write-sessions-with-steps.ts';
import type { TechnicianUsers } from './resolve-technicians.ts';

/** Per-record errors that mean "an id from externalData is not a usable record". */
const CASE_REJECTED_CODES = new Set([
  'INVALID_CROSS_REFERENCE_KEY',
  'FIELD_INTEGRITY_EXCEPTION',
  'INVALID_ID_FIELD',
  // a Case in the Recycle Bin
  'ENTITY_IS_DELETED',
  // a Case the integration user cannot see (private sharing)
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
]);

/**
 * One record's write: whether it still carries its externalData ids and its new owner. A record
 * Salesforce refuses for one of those is written again without it (each retry drops one, so at most
 * three writes).
 */
interface Attempt {
  item: Prepared;
  externalIds: boolean;
  owner: boolean;
}

/** Settles every item: written, retried or dead-lettered. */
export async function writeSessions(
  batch: Batch,
  items: readonly Prepared[],
  index: WorkOrderIndex,
  technicians?: TechnicianUsers
): Promise<void> {
  let attempts: Attempt[] = items.map((item) => ({
    item,
    externalIds: true,
    owner: true
  }));
  while (attempts.length > 0)
    attempts = await upsertOnce(batch, attempts, index, technicians);
}

function recordOf(
  batch: Batch,
  a: Attempt,
  index: WorkOrderIndex,
  technicians: TechnicianUsers
): SessionRecord {
  const p = a.item;
  return {
    ...buildSessionRecord(
      p.fields,
      resolveLink(p.reference, index, a.externalIds),
      p.keepStoredLinks !== undefined
    ),
    ...technicianFields(batch, p, technicians, a.owner)
  };
}

/** One upsert of `attempts`; returns the ones to write again with less. */
async function upsertOnce(
  batch: Batch,
  attempts: readonly Attempt[],
  index: WorkOrderIndex,
  technicians: TechnicianUsers
): Promise<Attempt[]> {
  const records = attempts.map((a) => recordOf(batch, a, index, technicians));
  let results: UpsertResult[];
  try {
    const withSteps = compositeUpsert(batch);
    results = withSteps
      ? await upsertSessionsAndSteps(
          batch,
          withSteps,
          attempts.map((a) => a.item),
          records
        )
      : await batch.settings.salesforce.upsertSessions(records);
  } catch (error) {
    const c = classifyError(error);
    for (const a of attempts)
      batch.outcomes.settleClassified(a.item.resource, c);
    return [];
  }
  const again: Attempt[] = [];
  attempts.forEach((a, i) => {
    const result = results[i];
    const retry =
      result && !result.success && lessToWrite(a, records[i], result);
    if (retry && retry.owner !== a.owner && records[i]?.OwnerId)
      batch.settings.refusedOwners.set(
        records[i].OwnerId,
        true,
        Date.now() + REFUSED_OWNER_MEMORY_MS
      );
    if (retry) {
      batch.settings.log?.warn(
        { resourceId: a.item.resource.id, errors: result.errors },
        retry.owner !== a.owner
          ? 'owner refused: writing the session without the technician as its owner'
          : 'externalData case, line item or appointment id rejected: using the work order links'
      );
      again.push(retry);
    } else if (result?.created && a.item.keepStoredLinks === 'remembered') {
      // remembered, but no longer in Salesforce (deleted): this write created it without its links
      batch.settings.log?.info(
        { resourceId: a.item.resource.id },
        'a remembered session was gone from Salesforce: writing it again with its links'
      );
      forgetWritten(batch, a.item);
      again.push({ ...a, item: recreated(a.item) });
    } else {
      settleResult(batch, a.item, result);
      if (result?.success && records[i])
        rememberWritten(
          batch,
          a.item,
          records[i],
          resolveLink(a.item.reference, index)
        );
    }
  });
  return again;
}

/** A session this batch just created: written in full, and its owner may be set. */
function recreated(item: Prepared): Prepared {
  const { keepStoredLinks: _kept, storedRollupInputs: _stored, ...rest } = item;
  return { ...rest, storedLinkStatus: null, ownerTransferable: true };
}

/** Per-record errors that mean "this user cannot own the record" (inactive, no read access, no transfer right). */
const OWNER_REJECTED_CODES = new Set([
  'TRANSFER_REQUIRES_READ',
  'INACTIVE_OWNER_OR_USER',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
]);

/** The attempt without what Salesforce refused, or undefined when nothing can be dropped. */
function lessToWrite(
  a: Attempt,
  record: SessionRecord | undefined,
  result: UpsertResult
): Attempt | undefined {
  if (a.externalIds && externalIdRejected(a.item, result))
    return { ...a, externalIds: false };
  if (
    a.owner &&
    record?.OwnerId !== undefined &&
    result.errors.some(
      (e) =>
        OWNER_REJECTED_CODES.has(e.statusCode) &&
        (e.fields.length === 0 || e.fields.includes('OwnerId'))
    )
  )
    return { ...a, owner: false };
  return undefined;
}

/** The lookups filled from externalData ids, each with the id that filled it. */
const EXTERNAL_ID_LOOKUPS = [
  ['Case__c', 'caseId'],
  ['Work_Order_Line_Item__c', 'lineItemId'],
  ['Service_Appointment__c', 'serviceAppointmentId']
] as const;

function externalIdRejected(p: Prepared, result: UpsertResult): boolean {
  const filled = EXTERNAL_ID_LOOKUPS.filter(([, key]) =>
    Boolean(p.reference[key])
  ).map(([field]) => field);
  return (
    !result.success &&
    filled.length > 0 &&
    result.errors.some(
      (e) =>
        CASE_REJECTED_CODES.has(e.statusCode) &&
        (e.fields.length === 0 ||
          e.fields.some((f) => (filled as string[]).includes(f)))
    )
  );
}

function settleResult(
  batch: Batch,
  p: Prepared,
  result: UpsertResult | undefined
): void {
  if (!result) {
    batch.outcomes.settle(p.resource, {
      status: 'retry',
      reason: 'Salesforce returned no result for this record'
    });
  } else if (result.success) {
    batch.outcomes.settle(p.resource, {
      status: 'written',
      kind: p.resource.kind,
      ...(result.id ? { salesforceId: result.id } : {})
    });
  } else {
    batch.outcomes.settleClassified(
      p.resource,
      classifyRecordErrors(result.errors)
    );
  }
}

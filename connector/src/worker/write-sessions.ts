// Stage 5 of a batch: build each Scope_AR_Session__c record (the mapped fields plus its links) and
// upsert them in Collections calls. A record whose externalData Case, Line Item or Service Appointment
// id Salesforce rejects is written once more with the work order's links only. A session an admin
// linked by hand is written without its link fields (check-stored-sessions.ts).
import { buildSessionRecord } from '../mapping/map-scope-node.ts';
import { resolveLink } from '../mapping/resolve-link.ts';
import type { WorkOrderIndex } from '../mapping/resolve-link.ts';
import type { UpsertResult } from '../salesforce/salesforce-client.ts';
import type { Batch } from './batch.ts';
import { classifyError, classifyRecordErrors } from './classify-error.ts';
import type { Prepared } from './resources.ts';

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

/** Settles every item: written, retried or dead-lettered. */
export async function writeSessions(
  batch: Batch,
  items: readonly Prepared[],
  index: WorkOrderIndex
): Promise<void> {
  const fallback = await upsertOnce(batch, items, index, true);
  await upsertOnce(batch, fallback, index, false);
}

/** One upsert of `items`; returns the ones to write again with the work order's Case. */
async function upsertOnce(
  batch: Batch,
  items: readonly Prepared[],
  index: WorkOrderIndex,
  useExternalIds: boolean
): Promise<Prepared[]> {
  if (items.length === 0) return [];
  let results: UpsertResult[];
  try {
    results = await batch.settings.salesforce.upsertSessions(
      items.map((p) =>
        buildSessionRecord(
          p.fields,
          resolveLink(p.reference, index, useExternalIds),
          p.linkedManually
        )
      )
    );
  } catch (error) {
    const c = classifyError(error);
    for (const p of items) batch.outcomes.settleClassified(p.resource, c);
    return [];
  }
  const fallback: Prepared[] = [];
  items.forEach((p, i) => {
    const result = results[i];
    if (useExternalIds && result && externalIdRejected(p, result)) {
      batch.settings.log?.warn(
        { resourceId: p.resource.id, errors: result.errors },
        'externalData case, line item or appointment id rejected: using the work order links'
      );
      fallback.push(p);
    } else settleResult(batch, p, result);
  });
  return fallback;
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
      ...(result.id ? { salesforceId: result.id } : {})
    });
  } else {
    batch.outcomes.settleClassified(
      p.resource,
      classifyRecordErrors(result.errors)
    );
  }
}

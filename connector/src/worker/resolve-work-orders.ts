// Stage 3 of a batch: the work orders the mapped sessions name, in one SOQL lookup for the whole batch
// (split only around a key Salesforce refuses).
import { indexWorkOrders } from '../mapping/resolve-link.ts';
import type { WorkOrderIndex, WorkOrderRow } from '../mapping/resolve-link.ts';
import { SalesforceApiError } from '../salesforce/salesforce-error.ts';
import { isUriTooLong } from '../salesforce/soql.ts';
import type { Batch } from './batch.ts';
import { classifyError } from './classify-error.ts';
import type { Classification } from './classify-error.ts';
import type { Prepared } from './resources.ts';

/**
 * Query failures that a value in the query can cause (rather than the org's configuration, such as a
 * field the integration user cannot read): worth splitting the batch to find the session responsible.
 */
const KEY_CAUSED_QUERY_CODES = new Set([
  'MALFORMED_QUERY',
  'URI_TOO_LONG',
  'INVALID_QUERY_FILTER_OPERATOR',
  'QUERY_TOO_COMPLICATED'
]);

export interface WorkOrderResolution {
  index: WorkOrderIndex;
  /** The sessions that can be written now (their lookup answered, or refused their own key). */
  resolvable: Prepared[];
}

/** Sessions whose lookup failed for a reason that is not their key are settled as classified. */
export async function resolveWorkOrders(
  batch: Batch,
  prepared: readonly Prepared[]
): Promise<WorkOrderResolution> {
  const rows: WorkOrderRow[] = [];
  const failed: { item: Prepared; classification: Classification }[] = [];
  await resolveGroup(batch, prepared, rows, failed);
  for (const { item, classification } of failed)
    batch.outcomes.settleClassified(item.resource, classification);
  const unresolvable = new Set(failed.map((f) => f.item));
  return {
    index: indexWorkOrders(rows),
    resolvable: prepared.filter((p) => !unresolvable.has(p))
  };
}

/**
 * One lookup for the group. When Salesforce refuses it because of a value in it, the group is halved
 * until the session whose key is refused stands alone: that session resolves to no work order (written
 * Unmatched with its raw key), the others are linked as usual. Any other failure applies to the group
 * it happened in (retried or dead-lettered as classified).
 */
async function resolveGroup(
  batch: Batch,
  items: readonly Prepared[],
  rows: WorkOrderRow[],
  failed: { item: Prepared; classification: Classification }[]
): Promise<void> {
  const keys = workOrderKeys(items);
  if (keys.ids.length === 0 && keys.numbers.length === 0) return;
  try {
    rows.push(...(await batch.settings.salesforce.resolveWorkOrders(keys)));
  } catch (error) {
    if (!isKeyCaused(error)) {
      const classification = classifyError(error);
      for (const item of items) failed.push({ item, classification });
      return;
    }
    if (items.length === 1) {
      batch.settings.log?.warn(
        {
          resourceId: items[0]?.resource.id,
          error: (error as Error).message
        },
        'Salesforce refused the work order lookup for this key: written Unmatched'
      );
      return;
    }
    const half = Math.ceil(items.length / 2);
    await resolveGroup(batch, items.slice(0, half), rows, failed);
    await resolveGroup(batch, items.slice(half), rows, failed);
  }
}

function workOrderKeys(items: readonly Prepared[]) {
  const ids = new Set<string>();
  const numbers = new Set<string>();
  for (const p of items)
    for (const c of p.reference.candidates)
      (c.by === 'id' ? ids : numbers).add(c.value);
  return { ids: [...ids], numbers: [...numbers] };
}

const isKeyCaused = (error: unknown) =>
  isUriTooLong(error) ||
  (error instanceof SalesforceApiError &&
    KEY_CAUSED_QUERY_CODES.has(error.errorCode));

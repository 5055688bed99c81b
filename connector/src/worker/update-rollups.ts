// Stage 6 of a batch: recompute the rollups of the parents the batch touched — the work orders,
// assets and cases its sessions link to now, and the ones a session LEFT when its link changed — and
// the outcome fields of their assets' work orders (rollups/recompute-parents.ts). It runs after the
// sessions are settled and never changes their outcomes: a failure is logged and counted, and the
// sync pass's reconciliation recomputes the same parents later. With ROLLUP_INTERVAL_SECONDS on, the
// stage only marks the parents dirty in PostgreSQL (no Salesforce call) before the jobs complete, and
// the drainer (rollups/rollup-drainer.ts) recomputes the marks of many batches in one pass.
import { resolveLink } from '../mapping/resolve-link.ts';
import { salesforceSeconds } from '../salesforce/date-time.ts';
import type { WorkOrderIndex } from '../mapping/resolve-link.ts';
import { recomputeParents } from '../rollups/recompute-parents.ts';
import type { ParentIds } from '../rollups/recompute-parents.ts';
import type { Batch } from './batch.ts';
import type { Prepared, RollupInputs } from './resources.ts';

type Links = Pick<RollupInputs, 'Work_Order__c' | 'Asset__c' | 'Case__c'>;

/** Whether the write changes nothing the rollups count: same parents, kind, start and duration. */
function rollupNeutral(
  stored: RollupInputs | undefined,
  links: Links,
  item: Prepared
): boolean {
  if (!stored) return false;
  // Salesforce kept the stored start to the second
  const time = (v: string | null) => (v ? salesforceSeconds(v) : null);
  return (
    stored.Work_Order__c === links.Work_Order__c &&
    stored.Asset__c === links.Asset__c &&
    stored.Case__c === links.Case__c &&
    (stored.Kind__c ?? null) === item.fields.Kind__c &&
    time(stored.Started_At__c) === time(item.fields.Started_At__c) &&
    Math.abs(
      (stored.Duration_Seconds__c ?? 0) - (item.fields.Duration_Seconds__c ?? 0)
    ) < 0.005 &&
    (stored.Duration_Seconds__c === null) ===
      (item.fields.Duration_Seconds__c === null)
  );
}

/**
 * The parents whose rollups this batch may change: for each session whose parents, kind, start or
 * duration differ from what Salesforce held, its new parents and those it left. A progress update that
 * changes none of them costs no rollup call.
 */
export function touchedParents(
  items: readonly Prepared[],
  index: WorkOrderIndex
): ParentIds {
  const workOrders = new Set<string>();
  const assets = new Set<string>();
  const cases = new Set<string>();
  const add = (link: Links | undefined) => {
    if (link?.Work_Order__c) workOrders.add(link.Work_Order__c);
    if (link?.Asset__c) assets.add(link.Asset__c);
    if (link?.Case__c) cases.add(link.Case__c);
  };
  for (const item of items) {
    const stored = item.storedRollupInputs;
    const links: Links =
      item.keepStoredLinks && stored
        ? stored
        : resolveLink(item.reference, index);
    if (rollupNeutral(stored, links, item)) continue;
    add(links);
    add(stored);
  }
  // A work order's asset siblings decide its outcomes: its own asset is always read whole.
  for (const row of index.byId.values())
    if (workOrders.has(row.Id) && row.AssetId) assets.add(row.AssetId);
  return { workOrders, assets, cases };
}

/** True when the parents wait in the dirty set; false (none attached, or it failed): recompute now. */
async function markedDirty(batch: Batch, parents: ParentIds): Promise<boolean> {
  const { rollups, log } = batch.settings;
  if (!rollups?.markDirty) return false;
  try {
    return await rollups.markDirty(parents);
  } catch (error) {
    log?.warn(
      { err: error },
      'marking the rollups dirty failed; recomputing them in this batch'
    );
    return false;
  }
}

export async function updateRollups(
  batch: Batch,
  items: readonly Prepared[],
  index: WorkOrderIndex
): Promise<void> {
  const { rollups, log } = batch.settings;
  if (!rollups || items.length === 0) return;
  const parents = touchedParents(items, index);
  if (parents.workOrders.size + parents.assets.size + parents.cases.size === 0)
    return;
  if (await markedDirty(batch, parents)) return;
  try {
    const result = await recomputeParents(
      rollups.client,
      parents,
      rollups.outcomes,
      batch.stamp
    );
    if (result.failed.length > 0) {
      rollups.metrics?.rollupFailure?.(result.failed.length);
      log?.warn(
        { failed: result.failed.slice(0, 5) },
        `${result.failed.length} rollup write(s) refused; the sync pass recomputes them`
      );
    }
  } catch (error) {
    rollups.metrics?.rollupFailure?.(1);
    log?.warn(
      { err: error },
      'rollup recompute failed; the sync pass recomputes these parents'
    );
  }
}

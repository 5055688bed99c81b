// The work orders whose outcome fields time can still change: closed in the last N + 1 days (their
// first-time fix becomes known when the window passes) or created in them (a repeat visit). The sync
// pass recomputes them, with their assets' other work orders, once per pass.
import { DAY_MS } from './outcome-definitions.ts';
import { recomputeParents } from './recompute-parents.ts';
import type { RecomputeResult, RollupClient } from './recompute-parents.ts';
import type { OutcomeSettings } from './compute-outcomes.ts';

const literal = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function recomputeRecentWorkOrders(
  client: RollupClient,
  settings: OutcomeSettings,
  now: Date
): Promise<RecomputeResult> {
  const since = literal(
    new Date(now.getTime() - (settings.windowDays + 1) * DAY_MS)
  );
  // A work order closed since `since` was last modified at or after its closure, hence after `since`.
  const rows = await client.query<{ Id: string; AssetId: string | null }>(
    'rollupRecentWorkOrders',
    `SELECT Id, AssetId FROM WorkOrder WHERE (IsClosed = true AND LastModifiedDate >= ${since}) OR CreatedDate >= ${since}`
  );
  const workOrders = new Set(rows.map((r) => r.Id));
  const assets = new Set(
    rows.map((r) => r.AssetId).filter((a): a is string => Boolean(a))
  );
  if (workOrders.size === 0) return { checked: 0, updated: 0, failed: [] };
  return recomputeParents(
    client,
    { workOrders, assets, cases: new Set() },
    settings,
    now
  );
}

// A leased batch's input to the processor: the newest stored deliveries of each job's resource, and a
// plain `reprocess` event for a resource enqueued without one (a replay after retention, reconciliation).
import type { Pool } from 'pg';
import type { ResourceEvent, ResourceKind } from '../contracts.ts';
import { SQL } from '../db/sql.ts';
import { fromStoredKind } from '../queue/stored-resource-kind.ts';
import type { LeasedJob } from './leased-job.ts';

/**
 * How many of a resource's newest deliveries the processor sees. Enough to cover the events coalesced
 * into one job even when custom-query payloads arrive out of order; older ones no longer matter, because
 * a delivery without a complete node makes the processor fetch Scope's current state anyway.
 */
const DELIVERIES_PER_RESOURCE = 20;

interface DeliveryRow {
  resource_id: string;
  resource_type: string;
  event: string;
  delivery_id: string;
  received_at: Date;
  node: Record<string, unknown> | null;
}

const optionalKind = (kind: ResourceKind | undefined) =>
  kind ? { resourceType: kind } : {};

function fromDelivery(row: DeliveryRow): ResourceEvent {
  return {
    resourceId: row.resource_id,
    ...optionalKind(fromStoredKind(row.resource_type)),
    event: row.event,
    deliveryId: row.delivery_id,
    receivedAt: row.received_at.toISOString(),
    ...(row.node ? { node: row.node } : {})
  };
}

export async function loadEvents(
  pool: Pool,
  jobs: LeasedJob[]
): Promise<ResourceEvent[]> {
  const ids = [...new Set(jobs.map((j) => j.data.resourceId))];
  const { rows } = await pool.query<DeliveryRow>(SQL.recentDeliveries, [
    ids,
    DELIVERIES_PER_RESOURCE
  ]);
  const events = rows.map(fromDelivery);
  const stored = new Set(rows.map((row) => row.resource_id));
  for (const resourceId of ids) {
    if (stored.has(resourceId)) continue;
    const job = jobs.find((j) => j.data.resourceId === resourceId);
    events.push({
      resourceId,
      ...optionalKind(job?.data.resourceType),
      event: 'reprocess',
      receivedAt: (job?.createdOn ?? new Date()).toISOString()
    });
  }
  return events;
}

// The webhook's durable store: each accepted delivery is a row in `deliveries` plus its resource's job,
// committed in ONE transaction before the request is answered. Concurrent requests share that
// transaction (group commit: one multi-row INSERT and one pg-boss insert for the whole group).
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool.ts';
import { SQL } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryRecord } from '../webhooks/receive-delivery.ts';
import { createGroupCommit } from './group-commit.ts';
import type { GroupCommit } from './group-commit.ts';
import { bossSql } from './boss-compat.ts';
import { FINAL_PRIORITY } from './job-timing.ts';
import type { CoalesceWindows } from './job-timing.ts';
import {
  BOSS_SCHEMA,
  RESOURCE_QUEUE,
  timedResourceJobs,
  transactionDb
} from './resource-queue.ts';
import { toStoredKind } from './stored-resource-kind.ts';

export interface StoreResult {
  status: 'accepted' | 'duplicate';
  deliveryId: string;
}

export type DeliveryStore = GroupCommit<DeliveryRecord, StoreResult>;

export interface DeliveryStoreOptions {
  pool: Pool;
  boss: PgBoss;
  windowMs: number;
  maxBatch: number;
  /** Transactions in flight at once; further requests wait and join the next group. */
  maxConcurrentFlushes?: number;
  logger?: Logger;
  onBatch?: (size: number) => void;
  /** WORKER_PROGRESS_COALESCE_SECONDS / WORKER_FINAL_COALESCE_SECONDS (default: none). */
  windows?: CoalesceWindows;
}

const toRow = (r: DeliveryRecord) => ({
  delivery_id: r.deliveryId,
  generation: r.generation,
  resource_id: r.resourceId,
  resource_type: toStoredKind(r.resourceType),
  event: r.event,
  topic: r.topic ?? null,
  headers: r.headers,
  body: r.body,
  node: r.node ?? null,
  sent_at: r.sentAt ?? null
});

/** No coalescing delay: every job may start at once (tests of the store alone, replays). */
export const IMMEDIATE: CoalesceWindows = {
  progressSeconds: 0,
  finalSeconds: 0
};

/**
 * Stores a group in one transaction; answers per record, in order (a repeated id is a duplicate). Each
 * resource's job starts at the end of its coalescing window (queue/job-timing.ts).
 */
export async function storeDeliveries(
  pool: Pool,
  boss: PgBoss,
  records: DeliveryRecord[],
  windows: CoalesceWindows = IMMEDIATE
): Promise<StoreResult[]> {
  // the first of several requests with one delivery id in the same group wins; the others are duplicates
  const unique = new Map<string, DeliveryRecord>();
  for (const record of records)
    if (!unique.has(record.deliveryId)) unique.set(record.deliveryId, record);
  const inserted = await withTransaction(pool, async (client) => {
    const { rows: fresh } = await client.query<{ delivery_id: string }>(
      SQL.insertDeliveries,
      [JSON.stringify([...unique.values()].map(toRow))]
    );
    const freshIds = new Set(fresh.map((row) => row.delivery_id));
    const timed = timedResourceJobs(
      [...unique.values()].filter((r) => freshIds.has(r.deliveryId)),
      windows,
      Date.now()
    );
    const db = transactionDb(client);
    if (timed.jobs.length > 0) await boss.insert(timed.jobs, { db });
    if (timed.finalIds.length > 0)
      await client.query(bossSql(BOSS_SCHEMA).promoteQueued, [
        RESOURCE_QUEUE,
        timed.finalIds,
        timed.finalStartAfter ?? new Date(0).toISOString(),
        FINAL_PRIORITY
      ]);
    return freshIds;
  });
  const answered = new Set<string>();
  return records.map((record) => {
    const first = !answered.has(record.deliveryId);
    answered.add(record.deliveryId);
    const status =
      first && inserted.has(record.deliveryId) ? 'accepted' : 'duplicate';
    return { status, deliveryId: record.deliveryId };
  });
}

export function createDeliveryStore(
  options: DeliveryStoreOptions
): DeliveryStore {
  return createGroupCommit({
    commit: (records) =>
      storeDeliveries(options.pool, options.boss, records, options.windows),
    windowMs: options.windowMs,
    maxBatch: options.maxBatch,
    maxConcurrentCommits: options.maxConcurrentFlushes ?? 4,
    logger: options.logger,
    onBatch: options.onBatch
  });
}

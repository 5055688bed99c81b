// The dead-letter store: resources whose processing failed permanently (or ran out of retries), with
// the reason. `connector deadletters list|replay` reads and re-enqueues them.
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool.ts';
import { SQL } from '../db/sql.ts';
import { FILES_QUEUE, filesJobs } from './files-queue.ts';
import {
  RESOURCE_QUEUE,
  resourceJobs,
  transactionDb
} from './resource-queue.ts';
import { fromStoredKind } from './stored-resource-kind.ts';
import type { StoredResourceKind } from './stored-resource-kind.ts';

export interface DeadLetter {
  /** The queue the job failed in: the session queue, or the files queue (a session's photos). */
  queue: string;
  resourceId: string;
  resourceType: StoredResourceKind;
  reason: string;
  attempts: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
  status: 'pending' | 'replayed';
  replayedAt: Date | null;
  replayCount: number;
}

interface DeadLetterRow {
  queue: string;
  resource_id: string;
  resource_type: StoredResourceKind;
  reason: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  status: 'pending' | 'replayed';
  replayed_at: Date | null;
  replay_count: number;
}

export async function listDeadLetters(
  pool: Pool,
  options: { includeReplayed?: boolean; limit?: number } = {}
): Promise<DeadLetter[]> {
  const { rows } = await pool.query<DeadLetterRow>(SQL.listDeadLetters, [
    options.includeReplayed ?? false,
    options.limit ?? 100
  ]);
  return rows.map((r) => ({
    queue: r.queue,
    resourceId: r.resource_id,
    resourceType: r.resource_type,
    reason: r.reason,
    attempts: r.attempts,
    firstFailedAt: r.first_failed_at,
    lastFailedAt: r.last_failed_at,
    status: r.status,
    replayedAt: r.replayed_at,
    replayCount: r.replay_count
  }));
}

interface PendingRow {
  queue: string;
  resource_id: string;
  resource_type: StoredResourceKind;
}

/** Each dead letter back into the queue it failed in. */
function replayJobs(rows: readonly PendingRow[]) {
  const of = (queue: string) => rows.filter((r) => r.queue === queue);
  return [
    ...resourceJobs(
      of(RESOURCE_QUEUE).map((r) => ({
        resourceId: r.resource_id,
        resourceType: fromStoredKind(r.resource_type)
      }))
    ),
    ...filesJobs(of(FILES_QUEUE).map((r) => r.resource_id))
  ];
}

/**
 * Re-enqueues pending dead letters (all of them, or the given resource ids, in every queue); returns
 * the ids replayed.
 */
export async function replayDeadLetters(
  pool: Pool,
  boss: PgBoss,
  selection: { all: true } | { resourceIds: string[] }
): Promise<string[]> {
  const ids = 'all' in selection ? null : selection.resourceIds;
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<PendingRow>(SQL.pendingDeadLetters, [
      ids
    ]);
    if (rows.length === 0) return [];
    await boss.insert(replayJobs(rows), { db: transactionDb(client) });
    await client.query(SQL.markReplayed, [
      rows.map((r) => r.queue),
      rows.map((r) => r.resource_id)
    ]);
    return [...new Set(rows.map((r) => r.resource_id))];
  });
}

export async function countPendingDeadLetters(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    SQL.countPendingDeadLetters
  );
  return rows[0]?.count ?? 0;
}

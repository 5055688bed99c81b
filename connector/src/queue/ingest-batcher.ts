// Durable acknowledgement with group commit. Concurrent requests are collected for a few milliseconds
// (or until `maxBatch`), then stored with one multi-row INSERT into deliveries plus one pg-boss insert
// of their jobs, in ONE transaction; every request of the batch is answered after that COMMIT.
// A batch that fails as a whole is retried item by item, so one poisonous delivery cannot fail others.
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool.ts';
import { SQL } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryRecord } from '../webhooks/receive-delivery.ts';
import { resourceJobs, transactionDb } from './resource-queue.ts';
import { toStoredKind } from './stored-resource-kind.ts';

export interface IngestResult {
  status: 'accepted' | 'duplicate';
  deliveryId: string;
}

export interface IngestBatcher {
  submit(record: DeliveryRecord): Promise<IngestResult>;
  /** Resolves when everything submitted so far is committed (or failed). */
  drain(): Promise<void>;
}

export interface IngestBatcherOptions {
  pool: Pool;
  boss: PgBoss;
  windowMs: number;
  maxBatch: number;
  /** Transactions in flight at once; further requests wait and join the next batch. */
  maxConcurrentFlushes?: number;
  logger?: Logger;
  onBatch?: (size: number) => void;
}

interface Pending {
  record: DeliveryRecord;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

export function createIngestBatcher(
  options: IngestBatcherOptions
): IngestBatcher {
  const maxFlushes = options.maxConcurrentFlushes ?? 4;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  const idle: (() => void)[] = [];

  const schedule = (): void => {
    if (queue.length === 0 || inFlight >= maxFlushes) return;
    if (queue.length >= options.maxBatch) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      void flush();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, options.windowMs);
    }
  };

  const flush = async (): Promise<void> => {
    const batch = queue.slice(0, options.maxBatch);
    queue = queue.slice(batch.length);
    if (batch.length === 0) return;
    inFlight++;
    try {
      await store(batch);
    } finally {
      inFlight--;
      if (queue.length > 0) schedule();
      else if (inFlight === 0) idle.splice(0).forEach((done) => done());
    }
  };

  const store = async (batch: Pending[]): Promise<void> => {
    options.onBatch?.(batch.length);
    try {
      const results = await insertBatch(batch.map((p) => p.record));
      batch.forEach((p, i) => p.resolve(results[i] as IngestResult));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      options.logger?.warn(
        { err: error, size: batch.length },
        'ingest batch failed; storing its deliveries one by one'
      );
      for (const pending of batch) {
        try {
          const [result] = await insertBatch([pending.record]);
          pending.resolve(result as IngestResult);
        } catch (itemError) {
          pending.reject(itemError);
        }
      }
    }
  };

  const insertBatch = async (
    records: DeliveryRecord[]
  ): Promise<IngestResult[]> => {
    // the first of several requests with one delivery id in the same batch wins; the others are duplicates
    const unique = new Map<string, DeliveryRecord>();
    for (const record of records)
      if (!unique.has(record.deliveryId)) unique.set(record.deliveryId, record);
    const rows = [...unique.values()].map((r) => ({
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
    }));
    const inserted = await withTransaction(options.pool, async (client) => {
      const { rows: fresh } = await client.query<{ delivery_id: string }>(
        SQL.insertDeliveries,
        [JSON.stringify(rows)]
      );
      const freshIds = new Set(fresh.map((row) => row.delivery_id));
      const jobs = resourceJobs(
        [...unique.values()].filter((r) => freshIds.has(r.deliveryId))
      );
      if (jobs.length > 0)
        await options.boss.insert(jobs, { db: transactionDb(client) });
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
  };

  return {
    submit: (record) =>
      new Promise<IngestResult>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        schedule();
      }),
    drain: () =>
      queue.length === 0 && inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((done) => idle.push(done))
  };
}

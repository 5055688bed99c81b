// The deliveries table is the audit record of every accepted webhook (and the source the worker reads
// payloads from); without a retention it grows forever. Old rows are deleted in bounded batches. Every
// replica may run this: the DELETE is idempotent, so no coordination is needed.
import type { Logger } from '../logger.ts';
import type { Pool } from './pool.ts';
import { SQL } from './sql.ts';

const BATCH = 5_000;
const DAY_MS = 86_400_000;

/** Deletes deliveries received before `olderThan`; returns how many. */
export async function pruneDeliveries(
  pool: Pool,
  olderThan: Date
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(SQL.pruneDeliveries, [
      olderThan,
      BATCH
    ]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return deleted;
  }
}

export interface DeliveryRetentionOptions {
  pool: Pool;
  /** 0 keeps every delivery. */
  retentionDays: number;
  intervalMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
  now?: () => number;
}

/** Prunes once now and then every `intervalMs` (default hourly); returns a stop function. */
export function startDeliveryRetention(
  options: DeliveryRetentionOptions
): () => void {
  if (options.retentionDays <= 0) return () => undefined;
  const now = options.now ?? Date.now;
  const run = async (): Promise<void> => {
    const cutoff = new Date(now() - options.retentionDays * DAY_MS);
    try {
      const deleted = await pruneDeliveries(options.pool, cutoff);
      if (deleted > 0)
        options.logger?.info(
          { deleted, cutoff },
          'old deliveries deleted (DELIVERY_RETENTION_DAYS)'
        );
    } catch (error) {
      options.logger?.warn(
        { err: error },
        'deleting old deliveries failed; retrying next interval'
      );
    }
  };
  void run();
  const timer = setInterval(() => void run(), options.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}

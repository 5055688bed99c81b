// The scheduled sync inside `serve`: pg-boss cron (SYNC_CRON) creates one job per tick across every
// replica; the queue's singleton policy runs one job at a time, and the pass itself takes an advisory
// lock, so a manual `connector sync` and the cron never overlap either.
import type PgBoss from 'pg-boss';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { createBoss } from '../queue/resource-queue.ts';
import type { SyncPassOptions, SyncSummary } from './run-sync-pass.ts';
import { runSyncPass } from './run-sync-pass.ts';

export const SYNC_QUEUE = 'worklink-sync';

export interface SyncScheduler {
  /** Idempotent: stops taking jobs, aborts a running pass (it resumes from its cursor next time). */
  stop(): Promise<void>;
}

export interface SyncSchedulerOptions {
  pool: Pool;
  cron: string;
  /** Everything of the pass but the pool, trigger and abort signal. */
  pass: Omit<SyncPassOptions, 'pool' | 'trigger' | 'signal'>;
  logger?: Logger;
  /** Upper bound of one pass; a longer one is expired by pg-boss (and resumes on the next tick). */
  expireInSeconds?: number;
  onPass?: (summary: SyncSummary) => void;
  /** Injectable for tests. */
  boss?: PgBoss;
}

export async function startSyncScheduler(
  options: SyncSchedulerOptions
): Promise<SyncScheduler> {
  const boss =
    options.boss ??
    createBoss(options.pool, {
      logger: options.logger,
      supervise: false,
      schedule: true
    });
  const log = options.logger?.child({ component: 'sync' });
  const controller = new AbortController();
  await boss.start();
  const settings = {
    name: SYNC_QUEUE,
    policy: 'singleton' as const,
    retryLimit: 0,
    expireInSeconds: options.expireInSeconds ?? 6 * 3600
  };
  if (!(await boss.getQueue(SYNC_QUEUE))) {
    await boss
      .createQueue(SYNC_QUEUE, settings)
      .catch(async (error: unknown) => {
        if (!(await boss.getQueue(SYNC_QUEUE))) throw error; // created concurrently by another replica
      });
  }
  try {
    await boss.schedule(SYNC_QUEUE, options.cron, {}, { tz: 'UTC' });
  } catch (error) {
    await boss.stop({ graceful: false, close: false }).catch(() => undefined);
    throw new Error(`SYNC_CRON: ${(error as Error).message}`, { cause: error });
  }
  await boss.work(SYNC_QUEUE, { pollingIntervalSeconds: 2 }, async () => {
    const summary = await runSyncPass({
      ...options.pass,
      pool: options.pool,
      trigger: 'cron',
      signal: controller.signal
    });
    log?.info(
      {
        outcome: summary.outcome,
        runId: summary.runId,
        sessions: summary.sessions,
        calls: summary.calls,
        repaired: summary.reconcile.repaired
      },
      'scheduled sync pass finished'
    );
    options.onPass?.(summary);
    if (summary.outcome === 'failed')
      throw new Error(summary.error ?? 'sync pass failed');
  });
  log?.info({ cron: options.cron }, 'sync scheduled');
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        controller.abort();
        await boss
          .stop({ graceful: true, timeout: 10_000, close: false })
          .catch((error: unknown) =>
            log?.warn({ err: error }, 'stopping the sync scheduler failed')
          );
      })();
      return stopping;
    }
  };
}

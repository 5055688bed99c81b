// The worker loop in place of pg-boss's boss.work(): it fetches with boss-compat's fetchLeased (never
// blocked by one resource), renews the leases of the jobs in hand (the heartbeat), hands back what a
// stop could not finish, and reclaims the jobs of replicas whose lease lapsed (they died).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from '../logger.ts';
import { bossSql, isUniqueViolation } from './boss-compat.ts';
import type { HandBackCount } from './boss-compat.ts';
import { BOSS_SCHEMA, RESOURCE_QUEUE } from './resource-queue.ts';
import type { ResourceJobData } from './resource-queue.ts';

/** A fetched job, as the job runner reads it (the subset of pg-boss's JobWithMetadata it needs). */
export interface LeasedJob {
  id: string;
  name: string;
  data: ResourceJobData;
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
}

export interface WorkerLoopOptions {
  pool: Pool;
  handle(jobs: LeasedJob[]): Promise<void>;
  batchSize: number;
  pollingIntervalSeconds: number;
  concurrency: number;
  /** A job whose lease is not renewed for this long goes back to the queue. */
  leaseSeconds: number;
  /** The heartbeat stops renewing a batch held longer than this (a stuck handler loses its jobs). */
  maxHoldSeconds: number;
  logger?: Logger;
  /** Lease holder name in job_leases; defaults to host:pid:random. */
  holder?: string;
}

export interface WorkerLoop {
  start(): void;
  /** Stops fetching; waits for the batches in hand until `deadline` (epoch ms), then hands them back. */
  stop(deadline: number): Promise<void>;
  readonly holder: string;
}

/** Consecutive 23505s (two replicas racing for one key) retried at once before waiting for the next poll. */
const FETCH_CONFLICT_RETRIES = 3;

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export function createWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  const { pool, logger } = options;
  const sql = bossSql(BOSS_SCHEMA);
  const holder =
    options.holder ??
    `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /** job id → when it was fetched (epoch ms). */
  const inHand = new Map<string, number>();
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  let timers: NodeJS.Timeout[] = [];

  const fetchBatch = async (): Promise<LeasedJob[]> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { rows } = await pool.query<LeasedJob>(sql.fetchLeased, [
          RESOURCE_QUEUE,
          options.batchSize,
          holder,
          options.leaseSeconds
        ]);
        return rows;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= FETCH_CONFLICT_RETRIES)
          throw error;
      }
    }
  };

  const runLoop = async (): Promise<void> => {
    const idleMs = options.pollingIntervalSeconds * 1000;
    while (!stopping.signal.aborted) {
      let jobs: LeasedJob[] = [];
      try {
        jobs = await fetchBatch();
      } catch (error) {
        logger?.warn({ err: error }, 'fetching jobs failed');
      }
      if (jobs.length === 0 || stopping.signal.aborted) {
        if (jobs.length > 0) await handBack(jobs.map((j) => j.id));
        await abortableDelay(idleMs, stopping.signal);
        continue;
      }
      const fetchedAt = Date.now();
      for (const job of jobs) inHand.set(job.id, fetchedAt);
      try {
        await options.handle(jobs);
      } catch (error) {
        // the runner records outcomes itself and does not throw; if it did, the leases lapse
        logger?.error({ err: error }, 'the job handler failed');
      } finally {
        for (const job of jobs) inHand.delete(job.id);
      }
    }
  };

  const renew = async (): Promise<void> => {
    const cutoff = Date.now() - options.maxHoldSeconds * 1000;
    const ids = [...inHand].filter(([, at]) => at > cutoff).map(([id]) => id);
    if (ids.length === 0) return;
    await pool.query(sql.renewLeases, [holder, ids, options.leaseSeconds]);
  };

  const reclaim = async (): Promise<void> => {
    const { rows } = await pool.query<HandBackCount>(sql.reclaimExpired, [
      RESOURCE_QUEUE,
      options.leaseSeconds
    ]);
    const counts = rows[0];
    if (counts && counts.covered + counts.released > 0)
      logger?.warn(counts, 'reclaimed jobs whose lease lapsed');
    await pool.query(sql.dropStaleLeases, [RESOURCE_QUEUE]);
  };

  const handBack = async (ids: string[]): Promise<void> => {
    const { rows } = await pool.query<HandBackCount>(sql.handBackJobs, [
      RESOURCE_QUEUE,
      ids
    ]);
    logger?.info(
      { jobs: ids.length, ...rows[0] },
      'handed back jobs at shutdown'
    );
  };

  const every = (ms: number, task: () => Promise<void>, what: string) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error: unknown) => logger?.warn({ err: error }, what))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    holder,
    start: () => {
      if (loops.length > 0) return;
      const beat = Math.max(1000, (options.leaseSeconds * 1000) / 3);
      every(beat, renew, 'renewing job leases failed');
      every(beat, reclaim, 'reclaiming lapsed job leases failed');
      for (let i = 0; i < options.concurrency; i++) loops.push(runLoop());
    },
    stop: async (deadline) => {
      stopping.abort();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all(loops).then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(
            () => resolve(false),
            Math.max(0, deadline - Date.now())
          );
        })
      ]);
      clearTimeout(timer);
      for (const t of timers) clearInterval(t);
      timers = [];
      if (!finished && inHand.size > 0) {
        const ids = [...inHand.keys()];
        inHand.clear();
        await handBack(ids).catch((error: unknown) =>
          logger?.error(
            { err: error, jobs: ids.length },
            'could not hand back jobs; their lease will lapse'
          )
        );
      }
    }
  };
}

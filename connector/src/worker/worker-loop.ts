// The worker loop in place of pg-boss's boss.work(): `concurrency` loops fetch leased batches (never
// blocked by one resource) and hand them to the job runner; two timers renew the leases of the jobs in
// hand and reclaim lapsed ones; a stop waits for the batches in hand, then hands back the rest.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from '../logger.ts';
import {
  fetchLeasedBatch,
  handBackJobs,
  reclaimLapsedLeases,
  renewLeases
} from './job-leases.ts';
import type { LeaseHolder } from './job-leases.ts';
import type { LeasedJob } from './leased-job.ts';

export type { LeasedJob } from './leased-job.ts';

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
  /** The pg-boss queue it works (default: the session queue). */
  queue?: string;
  /** Asked before each fetch: ms to wait first (the Salesforce API budget); the jobs wait in the queue. */
  admission?: () => Promise<number>;
  /** Asked before each fetch: seconds progress jobs wait beyond their window (the budget runs low). */
  progressDelay?: () => Promise<number>;
  /**
   * When the next coalescing window ends (epoch ms, job-timing.ts): an idle loop fetches then if that
   * comes before its next poll, so a final state waits for its window, not for the window and a poll.
   */
  nextWindowEnd?: (nowMs: number) => number | undefined;
}

export interface WorkerLoop {
  start(): void;
  /** Stops fetching; waits for the batches in hand until `deadline` (epoch ms), then hands them back. */
  stop(deadline: number): Promise<void>;
  readonly holder: string;
}

interface LoopState {
  options: WorkerLoopOptions;
  lease: LeaseHolder;
  /** job id → when it was fetched (epoch ms). */
  inHand: Map<string, number>;
  stopping: AbortController;
  loops: Promise<void>[];
  timers: NodeJS.Timeout[];
}

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

async function handleInHand(state: LoopState, jobs: LeasedJob[]) {
  const fetchedAt = Date.now();
  for (const job of jobs) state.inHand.set(job.id, fetchedAt);
  try {
    await state.options.handle(jobs);
  } catch (error) {
    // the runner records outcomes itself and does not throw; if it did, the leases lapse
    state.options.logger?.error({ err: error }, 'the job handler failed');
  } finally {
    for (const job of jobs) state.inHand.delete(job.id);
  }
}

async function waitForAdmission(state: LoopState): Promise<boolean> {
  const { options } = state;
  const waitMs = await (options.admission?.() ?? Promise.resolve(0)).catch(
    (error: unknown) => {
      options.logger?.warn(
        { err: error },
        'admission check failed; working on'
      );
      return 0;
    }
  );
  if (waitMs <= 0) return true;
  await abortableDelay(waitMs, state.stopping.signal);
  return false;
}

async function progressDelay(state: LoopState): Promise<number> {
  const { options } = state;
  return (options.progressDelay?.() ?? Promise.resolve(0)).catch(
    (error: unknown) => {
      options.logger?.warn({ err: error }, 'progress delay check failed');
      return 0;
    }
  );
}

async function runLoop(state: LoopState): Promise<void> {
  const { options, stopping } = state;
  while (!stopping.signal.aborted) {
    if (!(await waitForAdmission(state))) continue;
    let jobs: LeasedJob[] = [];
    try {
      jobs = await fetchLeasedBatch(
        state.lease,
        options.batchSize,
        await progressDelay(state)
      );
    } catch (error) {
      options.logger?.warn({ err: error }, 'fetching jobs failed');
    }
    if (jobs.length > 0 && !stopping.signal.aborted) {
      await handleInHand(state, jobs);
      continue;
    }
    if (jobs.length > 0)
      await handBackJobs(
        state.lease,
        jobs.map((j) => j.id)
      );
    await abortableDelay(idleDelayMs(options, Date.now()), stopping.signal);
  }
}

/**
 * Jobs start when Postgres's now() passes their start_after, which the receiving replica set from its
 * own clock: fetching this long after a window's end leaves room for the two clocks to differ a little.
 */
const WINDOW_END_SLACK_MS = 25;

function idleDelayMs(options: WorkerLoopOptions, nowMs: number): number {
  const poll = options.pollingIntervalSeconds * 1000;
  const windowEnd = options.nextWindowEnd?.(nowMs);
  return windowEnd === undefined
    ? poll
    : Math.min(poll, Math.max(0, windowEnd - nowMs) + WINDOW_END_SLACK_MS);
}

/** Runs `task` every `ms`, skipping a tick while the previous run is still going. */
function every(
  state: LoopState,
  ms: number,
  task: () => Promise<void>,
  what: string
) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((error: unknown) =>
        state.options.logger?.warn({ err: error }, what)
      )
      .finally(() => (running = false));
  }, ms);
  timer.unref();
  state.timers.push(timer);
}

function start(state: LoopState): void {
  if (state.loops.length > 0) return;
  const { options } = state;
  const beat = Math.max(1000, (options.leaseSeconds * 1000) / 3);
  const renewable = () => {
    const cutoff = Date.now() - options.maxHoldSeconds * 1000;
    return [...state.inHand].filter(([, at]) => at > cutoff).map(([id]) => id);
  };
  every(
    state,
    beat,
    () => renewLeases(state.lease, renewable()),
    'renewing job leases failed'
  );
  every(
    state,
    beat,
    () => reclaimLapsedLeases(state.lease),
    'reclaiming lapsed job leases failed'
  );
  for (let i = 0; i < options.concurrency; i++)
    state.loops.push(runLoop(state));
}

async function stop(state: LoopState, deadline: number): Promise<void> {
  state.stopping.abort();
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    Promise.all(state.loops).then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(
        () => resolve(false),
        Math.max(0, deadline - Date.now())
      );
    })
  ]);
  clearTimeout(timer);
  for (const t of state.timers.splice(0)) clearInterval(t);
  if (finished || state.inHand.size === 0) return;
  const ids = [...state.inHand.keys()];
  state.inHand.clear();
  await handBackJobs(state.lease, ids).catch((error: unknown) =>
    state.options.logger?.error(
      { err: error, jobs: ids.length },
      'could not hand back jobs; their lease will lapse'
    )
  );
}

export function createWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  const holder =
    options.holder ??
    `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const state: LoopState = {
    options,
    lease: {
      pool: options.pool,
      holder,
      leaseSeconds: options.leaseSeconds,
      logger: options.logger,
      ...(options.queue ? { queue: options.queue } : {})
    },
    inHand: new Map(),
    stopping: new AbortController(),
    loops: [],
    timers: []
  };
  return {
    holder,
    start: () => start(state),
    stop: (deadline) => stop(state, deadline)
  };
}

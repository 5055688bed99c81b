// Feeds the BatchProcessor from the queue: the worker loop hands over up to WORKER_BATCH_SIZE leased
// jobs (at most one per resource, never one whose resource is active elsewhere); the newest stored
// deliveries of each resource become its ResourceEvents; each outcome is recorded on its own job.
// The handler never throws: a failed batch is retried job by job.
import type PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import type {
  BatchProcessor,
  ProcessOutcome,
  ResourceEvent
} from '../contracts.ts';
import type { Logger } from '../logger.ts';
import type { LeasedJob } from './leased-job.ts';
import { loadEvents } from './load-events.ts';
import { recordOutcomes } from './record-outcome.ts';
import type { OutcomeRecorder } from './record-outcome.ts';
import { createWorkerLoop } from './worker-loop.ts';
import type { WorkerLoop } from './worker-loop.ts';

export interface JobRunnerOptions extends OutcomeRecorder {
  boss: PgBoss;
  pool: Pool;
  processor: BatchProcessor;
  batchSize: number;
  pollingIntervalSeconds: number;
  concurrency?: number;
  /** Lease of a fetched job, renewed while it is worked on (JOB_LEASE_SECONDS). */
  leaseSeconds: number;
  /** Longest a batch may be worked on before its lease is no longer renewed (JOB_EXPIRE_SECONDS). */
  maxHoldSeconds: number;
  logger?: Logger;
  /** Asked before each batch: ms to wait first (the Salesforce API budget). */
  admission?: () => Promise<number>;
  /** Asked before each batch: seconds progress jobs wait beyond their window (the budget runs low). */
  progressDelay?: () => Promise<number>;
  /** The pg-boss queue it works (default: the session queue). */
  queue?: string;
  /** When the next coalescing window ends (worker-loop.ts); absent: the loop only polls. */
  nextWindowEnd?: (nowMs: number) => number | undefined;
  /** A batch's events (default: the newest stored deliveries of each job's resource). */
  load?: (jobs: LeasedJob[]) => Promise<ResourceEvent[]>;
  /**
   * Told the outcomes before they are recorded (the files jobs of written sessions are enqueued then,
   * so a crash in between repeats the session, never loses its files job). Its failure is logged only.
   */
  beforeRecord?: (outcomes: ProcessOutcome[]) => Promise<void>;
}

export interface JobRunner {
  start(): Promise<void>;
  /** Stops fetching; the batches in hand finish until `deadline` (epoch ms), then are handed back. */
  stop(deadline?: number): Promise<void>;
  /** One batch, as the worker loop would run it (used by tests and by the loop itself). */
  handle(jobs: LeasedJob[]): Promise<void>;
}

async function processJobs(
  options: JobRunnerOptions,
  jobs: LeasedJob[]
): Promise<ProcessOutcome[]> {
  try {
    const events = options.load
      ? await options.load(jobs)
      : await loadEvents(options.pool, jobs);
    return await options.processor.process(events);
  } catch (error) {
    options.logger?.error(
      { err: error, jobs: jobs.length },
      'batch processing failed; every job of the batch will be retried'
    );
    return jobs.map((j) => ({
      resourceId: j.data.resourceId,
      status: 'retry',
      reason: (error as Error).message
    }));
  }
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  let loop: WorkerLoop | undefined;
  const handle = async (jobs: LeasedJob[]): Promise<void> => {
    if (jobs.length === 0) return;
    const outcomes = await processJobs(options, jobs);
    await options
      .beforeRecord?.(outcomes)
      .catch((error: unknown) =>
        options.logger?.error({ err: error }, 'the after-batch step failed')
      );
    await recordOutcomes(options, jobs, outcomes);
  };
  return {
    handle,
    start: async () => {
      loop ??= createWorkerLoop({
        pool: options.pool,
        handle,
        batchSize: options.batchSize,
        pollingIntervalSeconds: options.pollingIntervalSeconds,
        concurrency: options.concurrency ?? 1,
        leaseSeconds: options.leaseSeconds,
        maxHoldSeconds: options.maxHoldSeconds,
        logger: options.logger,
        ...(options.queue ? { queue: options.queue } : {}),
        ...(options.admission ? { admission: options.admission } : {}),
        ...(options.progressDelay
          ? { progressDelay: options.progressDelay }
          : {}),
        ...(options.nextWindowEnd
          ? { nextWindowEnd: options.nextWindowEnd }
          : {})
      });
      loop.start();
    },
    stop: async (deadline = Date.now() + 30_000) => {
      await loop?.stop(deadline);
    }
  };
}

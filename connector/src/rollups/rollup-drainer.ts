// Every ROLLUP_INTERVAL_SECONDS the worker recomputes the parents batches marked dirty, all in one
// pass (recompute-parents.ts: two SOQL reads and one Collections update for up to `limit` parents,
// however many batches marked them). A pass runs in one transaction that holds an advisory lock per
// taken parent: another replica's drain skips them, and a crash or a failure rolls back and leaves
// every row for the next tick. Row locks are not used, so a batch's mark (which bumps the row's
// generation) never waits for this pass's Salesforce calls; the pass deletes only the rows still at
// the generation it read.
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import type { OutcomeSettings } from './compute-outcomes.ts';
import {
  deleteRecomputed,
  parentIdsOf,
  takeDirtyParents
} from './dirty-parents.ts';
import type { DirtyParent } from './dirty-parents.ts';
import { recomputeParents } from './recompute-parents.ts';
import type { RollupClient } from './recompute-parents.ts';

/** Parents per pass: with their assets' sibling work orders, about one Collections update. */
export const DRAIN_LIMIT = 200;

export interface RollupDrainerOptions {
  pool: Pool;
  client: RollupClient;
  outcomes: OutcomeSettings;
  intervalSeconds: number;
  limit?: number;
  /** The Salesforce API budget's admission (ms to wait; > 0 skips this tick), as the worker asks. */
  admission?: () => Promise<number>;
  metrics?: Pick<ProcessingMetrics, 'rollupFailure'>;
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
  now?: () => Date;
}

export interface DrainResult {
  /** Parents this pass took (locked for it). */
  taken: readonly DirtyParent[];
  /** Rows deleted: recomputed and not marked again meanwhile. */
  cleared: number;
  /** Records Salesforce refused, or 1 for a failed read or call (the rows stay). */
  failed: number;
  /** The budget said wait: nothing was taken. */
  deferred: boolean;
}

export interface RollupDrainer {
  /** One pass now (tests and `start`'s ticks). */
  drain(): Promise<DrainResult>;
  start(): void;
  /** No new pass; the one in flight finishes by `deadline` (epoch ms) or its connection is dropped. */
  stop(deadline: number): Promise<void>;
}

/**
 * The taken rows to delete: not those Salesforce refused, nor (when any write was refused) the assets,
 * through which a refused work order's outcome fields are recomputed next time.
 */
function recomputedRows(
  taken: readonly DirtyParent[],
  failedIds: ReadonlySet<string>
): DirtyParent[] {
  if (failedIds.size === 0) return [...taken];
  return taken.filter((r) => !failedIds.has(r.id) && r.kind !== 'asset');
}

interface DrainState {
  options: RollupDrainerOptions;
  /** The connection of the pass in flight, to drop at the stop deadline. */
  current?: { client: PoolClient; released: boolean };
  inFlight?: Promise<DrainResult>;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

const NOTHING: DrainResult = {
  taken: [],
  cleared: 0,
  failed: 0,
  deferred: false
};

function release(state: DrainState, error?: Error): void {
  const current = state.current;
  if (!current || current.released) return;
  current.released = true;
  current.client.release(error);
}

/** Recomputes the taken parents and deletes their rows, inside the pass's transaction. */
async function recomputeTaken(
  state: DrainState,
  client: PoolClient,
  taken: DirtyParent[]
): Promise<DrainResult> {
  const { options } = state;
  try {
    const result = await recomputeParents(
      options.client,
      parentIdsOf(taken),
      options.outcomes,
      (options.now ?? (() => new Date()))()
    );
    const failedIds = new Set(result.failed.map((f) => f.id));
    if (failedIds.size > 0) {
      options.metrics?.rollupFailure?.(failedIds.size);
      options.logger?.warn(
        { failed: result.failed.slice(0, 5) },
        `${failedIds.size} rollup write(s) refused; they stay dirty for the next drain`
      );
    }
    const cleared = await deleteRecomputed(
      client,
      recomputedRows(taken, failedIds)
    );
    await client.query('COMMIT');
    return {
      taken,
      cleared,
      failed: failedIds.size,
      deferred: false
    };
  } catch (error) {
    options.metrics?.rollupFailure?.(1);
    options.logger?.warn(
      { err: error, parents: taken.length },
      'rollup drain failed; the parents stay dirty for the next drain'
    );
    await client.query('ROLLBACK');
    return { taken, cleared: 0, failed: 1, deferred: false };
  }
}

async function drainOnce(state: DrainState): Promise<DrainResult> {
  const { options } = state;
  const wait = await (options.admission?.() ?? Promise.resolve(0)).catch(
    () => 0
  );
  if (wait > 0) return { ...NOTHING, deferred: true };
  const client = await options.pool.connect();
  state.current = { client, released: false };
  try {
    await client.query('BEGIN');
    const taken = await takeDirtyParents(client, options.limit ?? DRAIN_LIMIT);
    if (taken.length === 0) {
      await client.query('COMMIT');
      return NOTHING;
    }
    return await recomputeTaken(state, client, taken);
  } catch (error) {
    // the connection is suspect (or was dropped at the stop deadline): PostgreSQL rolls back
    release(state, error as Error);
    throw error;
  } finally {
    release(state);
    state.current = undefined;
  }
}

/** One pass at a time: a tick while one runs shares it. */
function runPass(state: DrainState): Promise<DrainResult> {
  state.inFlight ??= drainOnce(state).finally(() => {
    state.inFlight = undefined;
  });
  return state.inFlight;
}

/** A tick: passes until one takes less than a full pass (a backlog drains at once) or the stop. */
async function tick(state: DrainState): Promise<void> {
  const limit = state.options.limit ?? DRAIN_LIMIT;
  while (!state.stopped) {
    const result = await runPass(state);
    if (result.deferred || result.failed > 0 || result.taken.length < limit)
      return;
  }
}

export function createRollupDrainer(
  options: RollupDrainerOptions
): RollupDrainer {
  const state: DrainState = { options, stopped: false };
  let ticking = false;
  return {
    drain: () => runPass(state),
    start() {
      if (state.timer || state.stopped) return;
      state.timer = setInterval(() => {
        if (ticking) return;
        ticking = true;
        tick(state)
          .catch((error: unknown) =>
            options.logger?.warn({ err: error }, 'rollup drain failed')
          )
          .finally(() => (ticking = false));
      }, options.intervalSeconds * 1000);
      state.timer.unref();
    },
    async stop(deadline) {
      state.stopped = true;
      clearInterval(state.timer);
      const inFlight = state.inFlight;
      if (!inFlight) return;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        inFlight.then(
          () => true,
          () => true
        ),
        new Promise<false>((resolve) => {
          timer = setTimeout(
            () => resolve(false),
            Math.max(0, deadline - Date.now())
          );
        })
      ]);
      clearTimeout(timer);
      if (!finished) release(state, new Error('shutdown: rollup drain cut'));
    }
  };
}

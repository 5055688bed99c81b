// pg-boss 10 completes (or fails) a worker's jobs after the handler without awaiting the promise
// (manager.js onFetch: `this.complete(name, jobIds, …)`). With PostgreSQL down or restarting, that query
// rejects with nobody listening and Node ends the process: every replica would die with the database.
// Our job runner records each outcome itself, so that extra completion is redundant: its failure is
// logged. Any other unhandled rejection still ends the process, as it would without this guard.
import type { Logger } from '../logger.ts';

const BOSS_INTERNALS = /[\\/]pg-boss[\\/]src[\\/]/;

export function isBossInternalRejection(reason: unknown): boolean {
  return reason instanceof Error && BOSS_INTERNALS.test(reason.stack ?? '');
}

/** Installs the guard; returns the function that removes it. */
export function guardBossRejections(logger?: Logger): () => void {
  const onRejection = (reason: unknown) => {
    if (!isBossInternalRejection(reason)) throw reason;
    logger?.warn(
      { err: reason },
      'pg-boss background query failed (the database is unreachable?)'
    );
  };
  process.on('unhandledRejection', onRejection);
  return () => process.removeListener('unhandledRejection', onRejection);
}

// The graceful shutdown within ONE deadline (SHUTDOWN_TIMEOUT_SECONDS): new requests get 503, those in
// flight finish and their deliveries are committed, the worker finishes or hands back its batch (both
// at once), then pg-boss, the pool and the embedded database close in the time left.
import type PgBoss from 'pg-boss';
import type { Database } from '../db/open-database.ts';
import type { HttpServer } from '../http/http-server.ts';
import type { Logger } from '../logger.ts';
import type { JobRunner } from '../worker/job-runner.ts';

export interface RunningParts {
  http?: HttpServer;
  drainDeliveries?: () => Promise<void>;
  runner?: JobRunner;
  /** The files queue's runner (photos into Salesforce Files), when SYNC_FILES is on. */
  filesRunner?: JobRunner;
  /** The rollup drainer: its pass in flight finishes or is rolled back by the grace deadline. */
  rollupDrainer?: { stop(deadline: number): Promise<void> };
  boss?: PgBoss;
  database?: Database;
  logger?: Logger;
}

/**
 * New requests get 503 + `Connection: close` for `lingerMs` while the port stays open (a balancer or
 * a keep-alive client still sending here gets an answer it retries elsewhere, not a reset); then the
 * port closes and the requests in flight finish; at `deadline` whatever is left is cut.
 */
async function closeHttp(
  http: HttpServer | undefined,
  lingerMs: number,
  deadline: number
): Promise<void> {
  if (!http) return;
  const { server } = http;
  await new Promise((resolve) => setTimeout(resolve, lingerMs));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // connections become idle as their last response goes out; close them as they do
  const idle = setInterval(() => server.closeIdleConnections(), 250);
  const forced = setTimeout(
    () => server.closeAllConnections(),
    Math.max(0, deadline - Date.now())
  );
  await closed;
  clearInterval(idle);
  clearTimeout(forced);
}

/** Call after the app answers 503 to new requests (the caller's draining flag is set). */
export async function stopGracefully(
  parts: RunningParts,
  budgetMs: number
): Promise<void> {
  const { logger } = parts;
  const begun = Date.now();
  // the graceful part ends early enough to hand jobs back and close everything before the deadline
  const graceDeadline = begun + budgetMs - Math.min(3000, budgetMs * 0.2);
  await Promise.all([
    closeHttp(parts.http, Math.min(2000, budgetMs * 0.1), graceDeadline).then(
      () => parts.drainDeliveries?.()
    ),
    ...[parts.runner, parts.filesRunner, parts.rollupDrainer].map((runner) =>
      runner
        ?.stop(graceDeadline)
        .catch((error: unknown) =>
          logger?.warn({ err: error }, 'stopping the worker failed')
        )
    )
  ]);
  // the worker loop is ours (not boss.work): pg-boss only has its maintenance timers left to stop
  await parts.boss
    ?.stop({ graceful: false, close: false })
    .catch((error: unknown) =>
      logger?.warn({ err: error }, 'stopping pg-boss failed')
    );
  await parts.database?.close();
  logger?.info({ ms: Date.now() - begun }, 'connector stopped');
}

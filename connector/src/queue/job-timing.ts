// When a resource's job may start, from what its deliveries say: a final state (a session completed, a
// call ended) is written within WORKER_FINAL_COALESCE_SECONDS, progress within
// WORKER_PROGRESS_COALESCE_SECONDS. Start times fall on a grid of the window, so the jobs of every
// resource that changed in one window mature together and share one fetch and one Collections upsert
// (≤ 200 records), instead of one small batch per poll.
import type { DeliveryEvent } from '../webhooks/parse-delivery.ts';

export interface CoalesceWindows {
  progressSeconds: number;
  finalSeconds: number;
}

/** pg-boss priority of a final state's job: the worker fetches by priority first (boss-compat fetchLeased). */
export const FINAL_PRIORITY = 1;

/**
 * Event verbs that end a resource's life: gen-2 topic actions (`scenario_session/completed`,
 * `call/completed`) and gen-1 `event` verbs (reference §2.1 mentions "finished"); the other spellings
 * are the tense variants the docs leave open.
 */
const FINAL_EVENTS = new Set([
  'complete',
  'completed',
  'finish',
  'finished',
  'end',
  'ended'
]);

/** A node field set only once the session or call is over (reference §4: endedAt, older finishedAt). */
const END_FIELDS = ['endedAt', 'finishedAt'] as const;

export function isFinalDelivery(
  event: Pick<DeliveryEvent, 'event' | 'node'>
): boolean {
  if (FINAL_EVENTS.has(event.event.trim().toLowerCase())) return true;
  const node = event.node;
  return (
    node !== undefined &&
    END_FIELDS.some(
      (field) => node[field] !== undefined && node[field] !== null
    )
  );
}

/**
 * The next boundary of a `seconds` grid after `nowMs` (epoch ms), as pg-boss's absolute `startAfter`;
 * undefined for a zero window (start at once).
 */
export function windowEnd(seconds: number, nowMs: number): string | undefined {
  const end = windowEndMs(seconds, nowMs);
  return end === undefined ? undefined : new Date(end).toISOString();
}

function windowEndMs(seconds: number, nowMs: number): number | undefined {
  if (seconds <= 0) return undefined;
  const step = seconds * 1000;
  return Math.ceil((nowMs + 1) / step) * step;
}

/**
 * When the next coalescing window ends after `nowMs` (epoch ms), final or progress: the jobs that
 * matured together can be fetched then rather than at the next poll. Undefined without a window.
 */
export function nextWindowEndMs(
  windows: CoalesceWindows,
  nowMs: number
): number | undefined {
  const ends = [windows.finalSeconds, windows.progressSeconds]
    .map((seconds) => windowEndMs(seconds, nowMs))
    .filter((end): end is number => end !== undefined);
  return ends.length > 0 ? Math.min(...ends) : undefined;
}

// The heartbeat: writes the connector's state to Salesforce (heartbeat-record.ts) so that admins see it
// in the WorkLink app's Health page. Bounded cost: a write at most every `intervalMs` (≥ 60 s), only
// when the state changed or `maxSilenceMs` (10 minutes) passed since the last write, and never more
// than `dailyCallBudget` Salesforce API calls a UTC day (its upserts and its own token requests).
// At one write a minute that is ≤ 1,440 upserts plus a token every two hours: under 1,500 a day.
import type { Logger } from '../logger.ts';
import {
  buildHeartbeatRecord,
  heartbeatFingerprint
} from './heartbeat-record.ts';
import type { ConnectorState, HeartbeatRecord } from './heartbeat-record.ts';

export const MIN_INTERVAL_MS = 60_000;
/** The Health page turns red after 10 minutes without a heartbeat: write at least that often. */
export const MAX_SILENCE_MS = 600_000;
export const DAILY_CALL_BUDGET = 1_500;

export type TickOutcome =
  'written' | 'unchanged' | 'throttled' | 'over-budget' | 'failed';

export interface HeartbeatOptions {
  collect(): Promise<ConnectorState>;
  /** One upsert by the external id; each call made (tokens included) reports through `countCall`. */
  write(record: HeartbeatRecord): Promise<void>;
  intervalMs?: number;
  maxSilenceMs?: number;
  dailyCallBudget?: number;
  now?: () => number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
}

export interface Heartbeat {
  /** One attempt: collect, compare, maybe write. Never throws. */
  tick(): Promise<TickOutcome>;
  /** The Salesforce calls the heartbeat made (its client reports each one here). */
  countCall(): void;
  callsToday(): number;
  /** Ticks every `intervalMs` (the first at once) until stop(). Idempotent. */
  start(): void;
  stop(): Promise<void>;
}

const utcDay = (ms: number) => Math.floor(ms / 86_400_000);

export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const now = options.now ?? Date.now;
  const intervalMs = Math.max(
    MIN_INTERVAL_MS,
    options.intervalMs ?? MIN_INTERVAL_MS
  );
  const maxSilenceMs = options.maxSilenceMs ?? MAX_SILENCE_MS;
  const budget = options.dailyCallBudget ?? DAILY_CALL_BUDGET;
  let lastAttemptAt = -Infinity;
  let lastWriteAt = -Infinity;
  let lastFingerprint: string | undefined;
  let day = utcDay(now());
  let calls = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickOutcome> | undefined;

  const rollDay = () => {
    const today = utcDay(now());
    if (today !== day) {
      day = today;
      calls = 0;
    }
  };

  const attempt = async (): Promise<TickOutcome> => {
    rollDay();
    const at = now();
    if (at - lastAttemptAt < intervalMs) return 'throttled';
    if (calls >= budget) return 'over-budget';
    let record: HeartbeatRecord;
    try {
      record = buildHeartbeatRecord(
        await options.collect(),
        new Date(at),
        calls
      );
    } catch (error) {
      options.logger?.warn(
        { err: error },
        'heartbeat: reading the state failed'
      );
      return 'failed';
    }
    const fingerprint = heartbeatFingerprint(record);
    if (fingerprint === lastFingerprint && at - lastWriteAt < maxSilenceMs)
      return 'unchanged';
    lastAttemptAt = at;
    try {
      // the record says how many calls the heartbeat made before this one, plus this one
      await options.write({ ...record, Heartbeat_Calls_Today__c: calls + 1 });
    } catch (error) {
      options.logger?.warn(
        { err: error },
        'heartbeat: writing to Salesforce failed'
      );
      return 'failed';
    }
    lastWriteAt = at;
    lastFingerprint = fingerprint;
    return 'written';
  };

  const tick = (): Promise<TickOutcome> => {
    running ??= attempt().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    tick,
    countCall() {
      rollDay();
      calls += 1;
    },
    callsToday() {
      rollDay();
      return calls;
    },
    start() {
      if (timer) return;
      void tick();
      // a tick every interval: "changed" is noticed within a minute, the write itself is throttled
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    }
  };
}

// The heartbeat: writes the connector's state to Salesforce (heartbeat-record.ts) so that admins see it
// in the WorkLink app's Health page. Bounded cost: a write at most every `intervalMs` (60 s; shorter only
// in demos and tests, where the daily cap below still holds), only
// when the state changed or `maxSilenceMs` (10 minutes) passed since the last write, and never more
// than `dailyCallBudget` Salesforce API calls a UTC day (its upserts and its own token requests).
// At one write a minute that is ≤ 1,440 upserts plus a token every two hours: under 1,500 a day.
import type { Logger } from '../logger.ts';
import {
  buildHeartbeatRecord,
  heartbeatFingerprint
} from './heartbeat-record.ts';
import type { ConnectorState, HeartbeatRecord } from './heartbeat-record.ts';

export const DEFAULT_INTERVAL_MS = 60_000;
/** The floor for demos and tests (HEARTBEAT_INTERVAL_SECONDS=1); DAILY_CALL_BUDGET still caps the day. */
export const MIN_INTERVAL_MS = 1_000;
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

/** What the heartbeat remembers between ticks. */
interface Memory {
  lastAttemptAt: number;
  lastWriteAt: number;
  lastFingerprint?: string;
  day: number;
  calls: number;
}

interface Settings {
  options: HeartbeatOptions;
  now: () => number;
  intervalMs: number;
  maxSilenceMs: number;
  budget: number;
}

function rollDay(memory: Memory, now: number): void {
  const today = utcDay(now);
  if (today !== memory.day) {
    memory.day = today;
    memory.calls = 0;
  }
}

/** One tick: throttle and budget first (nothing is read), then collect, compare, write. */
async function attempt(
  settings: Settings,
  memory: Memory
): Promise<TickOutcome> {
  const { options } = settings;
  const at = settings.now();
  rollDay(memory, at);
  if (at - memory.lastAttemptAt < settings.intervalMs) return 'throttled';
  if (memory.calls >= settings.budget) return 'over-budget';
  let record: HeartbeatRecord;
  try {
    record = buildHeartbeatRecord(
      await options.collect(),
      new Date(at),
      memory.calls
    );
  } catch (error) {
    options.logger?.warn({ err: error }, 'heartbeat: reading the state failed');
    return 'failed';
  }
  const fingerprint = heartbeatFingerprint(record);
  if (
    fingerprint === memory.lastFingerprint &&
    at - memory.lastWriteAt < settings.maxSilenceMs
  )
    return 'unchanged';
  memory.lastAttemptAt = at;
  try {
    // the record counts the calls made before this write plus its own upsert
    await options.write({
      ...record,
      Heartbeat_Calls_Today__c: memory.calls + 1
    });
  } catch (error) {
    options.logger?.warn(
      { err: error },
      'heartbeat: writing to Salesforce failed'
    );
    return 'failed';
  }
  memory.lastWriteAt = at;
  memory.lastFingerprint = fingerprint;
  return 'written';
}

export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const now = options.now ?? Date.now;
  const settings: Settings = {
    options,
    now,
    intervalMs: Math.max(
      MIN_INTERVAL_MS,
      options.intervalMs ?? DEFAULT_INTERVAL_MS
    ),
    maxSilenceMs: options.maxSilenceMs ?? MAX_SILENCE_MS,
    budget: options.dailyCallBudget ?? DAILY_CALL_BUDGET
  };
  const memory: Memory = {
    lastAttemptAt: -Infinity,
    lastWriteAt: -Infinity,
    day: utcDay(now()),
    calls: 0
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<TickOutcome> | undefined;
  const tick = (): Promise<TickOutcome> =>
    (running ??= attempt(settings, memory).finally(() => {
      running = undefined;
    }));
  return {
    tick,
    countCall() {
      rollDay(memory, now());
      memory.calls += 1;
    },
    callsToday() {
      rollDay(memory, now());
      return memory.calls;
    },
    start() {
      if (timer) return;
      void tick();
      // a tick every interval: "changed" is noticed within a minute, the write itself is throttled
      timer = setInterval(() => void tick(), settings.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    }
  };
}

// The efficiency benchmark's workload: a seeded, rate-driven arrival process that does not depend on how
// fast the machine is. Every session lives a realistic life in simulated time (created, 5–20 progress
// updates spread over its minutes, completed), compressed by a fixed factor into send times; the poster
// sends each delivery at its time. The same seed gives the same schedule, delivery ids included.

export type DeliveryKind = 'created' | 'progress' | 'completed';

export interface ScheduledDelivery {
  sessionIndex: number;
  /** Position in the session's life (0 = created). */
  seq: number;
  kind: DeliveryKind;
  /** Send time in ms from the start of the run (real time, after compression). */
  atMs: number;
  deliveryId: string;
  /** Scope re-sends it (same X-Scope-Webhook-Id) right after the acknowledgement. */
  resent: boolean;
}

export interface ScheduleOptions {
  sessions: number;
  seed: number;
  /** Simulated seconds per real second. */
  compression: number;
  /** Sessions start uniformly over this many simulated minutes. */
  startSpreadMinutes: number;
  /** A session lasts between these many simulated minutes. */
  lifeMinutes: readonly [number, number];
  progressUpdates: readonly [number, number];
  resendShare: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = {
  sessions: 1000,
  seed: 20,
  compression: 10,
  startSpreadMinutes: 15,
  lifeMinutes: [3, 10],
  progressUpdates: [5, 20],
  resendShare: 0.05
};

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (
  random: () => number,
  [low, high]: readonly [number, number]
) => low + random() * (high - low);

/** A UUID-shaped delivery id from the PRNG, so that the schedule is reproducible as a whole. */
function deliveryId(random: () => number): string {
  const hex = Array.from({ length: 32 }, () =>
    Math.floor(random() * 16).toString(16)
  ).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function sessionLife(
  options: ScheduleOptions,
  random: () => number,
  sessionIndex: number
): ScheduledDelivery[] {
  const startMs = between(random, [0, options.startSpreadMinutes * 60_000]);
  const lifeMs = between(random, options.lifeMinutes) * 60_000;
  const [low, high] = options.progressUpdates;
  const updates = low + Math.floor(random() * (high - low + 1));
  const progress = Array.from(
    { length: updates },
    () => random() * lifeMs
  ).sort((x, y) => x - y);
  const simulated = [0, ...progress, lifeMs];
  return simulated.map((offset, seq) => ({
    sessionIndex,
    seq,
    kind:
      seq === 0
        ? 'created'
        : seq === simulated.length - 1
          ? 'completed'
          : 'progress',
    atMs: Math.round((startMs + offset) / options.compression),
    deliveryId: deliveryId(random),
    resent: random() < options.resendShare
  }));
}

/** Every session's deliveries in send order (each session's in the order of its life). */
export function buildSchedule(options: ScheduleOptions): ScheduledDelivery[][] {
  const random = mulberry32(options.seed);
  return Array.from({ length: options.sessions }, (_, i) =>
    sessionLife(options, random, i)
  );
}

/** Overrides from the environment, so that a test (or a quick look) can run the benchmark tiny. */
export function scheduleFromEnv(env: NodeJS.ProcessEnv): ScheduleOptions {
  const number = (name: string, fallback: number) =>
    env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  return {
    ...DEFAULT_SCHEDULE,
    sessions: number('BENCH_SESSIONS', DEFAULT_SCHEDULE.sessions),
    seed: number('BENCH_SEED', DEFAULT_SCHEDULE.seed),
    compression: number('BENCH_COMPRESSION', DEFAULT_SCHEDULE.compression),
    startSpreadMinutes: number(
      'BENCH_START_SPREAD_MINUTES',
      DEFAULT_SCHEDULE.startSpreadMinutes
    )
  };
}

// The one way tests and benchmarks poll for a state: `waitFor(what, probe, options)` until the probe
// answers truthy, or `eventually(what, probe, options)` when the probe also reports what it saw, so a
// timeout says what was wrong.

export interface WaitOptions {
  /** 15 s unless told. */
  timeoutMs?: number;
  /** 25 ms unless told. */
  intervalMs?: number;
  /** Keep polling when the probe throws (a server still starting); the last error is in the timeout. */
  retryOnError?: boolean;
}

type Truthy<T> = Exclude<T, undefined | null | false | 0 | ''>;

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

async function poll<T>(
  what: string,
  probe: () => T | Promise<T>,
  options: WaitOptions,
  lastSeen: () => string
): Promise<Truthy<T>> {
  const { timeoutMs = 15_000, intervalMs = 25, retryOnError = false } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Truthy<T>;
    } catch (error) {
      if (!retryOnError) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError === undefined ? lastSeen() : String(lastError);
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen: ${seen}` : ''}`
      );
    }
    await sleep(intervalMs);
  }
}

/** Polls until `probe` returns a truthy value (which it returns) or the deadline passes. */
export function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  options: WaitOptions = {}
): Promise<Truthy<T>> {
  return poll(what, probe, options, () => '');
}

/** Polls until the probe says `done`; a timeout names the last value it reported. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<{ done: boolean; value: T }>,
  options: WaitOptions = {}
): Promise<T> {
  let last: T | undefined;
  const outcome = await poll(
    what,
    async () => {
      const { done, value } = await probe();
      last = value;
      return done ? { value } : undefined;
    },
    options,
    () => JSON.stringify(last)?.slice(0, 1500) ?? ''
  );
  return outcome.value;
}

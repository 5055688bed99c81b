/**
 * Seconds until the next attempt: exponential in the attempt number, "equal jitter" (half fixed, half
 * random, so retries of many resources spread out), never above maxSeconds, and at least what the
 * remote system asked for (Retry-After), itself capped.
 */
export function computeRetryDelay(
  attempt: number,
  options: {
    baseSeconds: number;
    maxSeconds: number;
    hintSeconds?: number;
    random?: () => number;
  }
): number {
  const random = options.random ?? Math.random;
  const exponential = Math.min(
    options.maxSeconds,
    options.baseSeconds * 2 ** Math.min(Math.max(attempt, 0), 30)
  );
  const jittered = exponential / 2 + (exponential / 2) * random();
  const hint = Math.min(
    options.maxSeconds,
    Math.max(0, options.hintSeconds ?? 0)
  );
  return Math.max(jittered, hint);
}

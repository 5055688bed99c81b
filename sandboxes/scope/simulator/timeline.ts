// One clock for a simulated record. A tick of the simulator stands for `secondsPerStep` seconds of the
// technician's time, and that speed-up applies to every time the API shows (startedAt, endedAt, event
// times, duration). So that nothing lies in the future, a live record's timeline is placed in the past:
// it starts as many simulated seconds before the deeplink was opened as its planned run takes.

/** Start of a run of `ticks` simulated steps that ends no later than `openedAt`. */
export function backdatedStart(
  openedAt: number,
  ticks: number,
  secondsPerStep: number
): number {
  return openedAt - ticks * secondsPerStep * 1000;
}

export interface SettledEnd {
  endedAt: number;
  durationSeconds: number;
}

/**
 * The end of a run that started at `startedAt` and took `durationSeconds` active plus `idleSeconds`
 * idle time, capped at `now`; the duration is then what the capped interval leaves after idle time, so
 * duration = endedAt − startedAt − idle holds exactly.
 */
export function settleEnd(
  startedAt: number,
  durationSeconds: number,
  idleSeconds: number,
  now: number
): SettledEnd {
  const endedAt = Math.min(
    now,
    startedAt + (durationSeconds + idleSeconds) * 1000
  );
  return {
    endedAt,
    durationSeconds: Math.max(0, (endedAt - startedAt) / 1000 - idleSeconds)
  };
}

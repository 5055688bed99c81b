// Backfill progress: a cli-progress bar per stream (count, rate, ETA) on a TTY, periodic log lines
// otherwise (CI, containers, a log shipper).
import cliProgress from 'cli-progress';
import type { SyncProgress, SyncStream } from './run-sync-pass.ts';

export interface ProgressReporter {
  update(progress: SyncProgress): void;
  stop(): void;
}

export function createProgressReporter(options: {
  tty: boolean;
  stream: NodeJS.WritableStream;
  log: (line: string) => void;
  intervalMs?: number;
  now?: () => number;
}): ProgressReporter {
  const now = options.now ?? Date.now;
  const started = new Map<SyncStream, number>();
  const rate = (p: SyncProgress) => {
    const seconds = (now() - (started.get(p.stream) ?? now())) / 1000;
    return seconds > 0 ? p.seen / seconds : 0;
  };
  if (options.tty) {
    const multi = new cliProgress.MultiBar(
      {
        stream: options.stream,
        clearOnComplete: false,
        hideCursor: true,
        etaBuffer: 200,
        format:
          ' {stream} [{bar}] {value}/{total} | {rate}/s | written {written} | ETA {eta_formatted}'
      },
      cliProgress.Presets.shades_classic
    );
    const bars = new Map<SyncStream, cliProgress.SingleBar>();
    return {
      update(p) {
        if (!started.has(p.stream)) started.set(p.stream, now());
        let bar = bars.get(p.stream);
        const payload = {
          stream: p.stream.padEnd(17),
          written: p.written,
          rate: rate(p).toFixed(0)
        };
        // Without totalCount the bar grows with what has been seen (no ETA).
        const total = p.total ?? p.seen;
        if (!bar) {
          bar = multi.create(total, p.seen, payload);
          bars.set(p.stream, bar);
        }
        bar.setTotal(Math.max(total, p.seen));
        bar.update(p.seen, payload);
      },
      stop: () => multi.stop()
    };
  }
  const interval = options.intervalMs ?? 10_000;
  let last = 0;
  return {
    update(p) {
      if (!started.has(p.stream)) started.set(p.stream, now());
      if (now() - last < interval) return;
      last = now();
      const r = rate(p);
      const eta =
        p.total !== undefined && r > 0
          ? ` ETA ${Math.round((p.total - p.seen) / r)} s`
          : '';
      options.log(
        `${p.stream}: ${p.seen}${p.total === undefined ? '' : `/${p.total}`} seen, ${p.written} written, ${r.toFixed(0)}/s${eta}`
      );
    },
    stop: () => undefined
  };
}

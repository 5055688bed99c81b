// What the bench scripts share: writing their own section of BENCHMARKS.md between their markers.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the text from `markStart` to `markEnd` in `file` with `section` (which carries both markers),
 * or appends it when the markers are not there yet; creates the file when it does not exist.
 */
export function writeBenchmarkSection(
  file: string,
  markStart: string,
  markEnd: string,
  section: string
): void {
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n';
  const start = current.indexOf(markStart);
  const end = current.indexOf(markEnd);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + markEnd.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

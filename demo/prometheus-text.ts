/** One sample of a Prometheus text exposition: `name{label="v",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the samples of a `/metrics` response (comments and malformed lines are skipped). */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line.trim());
    if (!match || line.startsWith('#')) continue;
    const [, name, rawLabels, rawValue] = match;
    const value = Number(rawValue);
    if (!name || Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const [, key, labelValue] of (rawLabels ?? '').matchAll(LABEL)) {
      if (key) labels[key] = (labelValue ?? '').replace(/\\(.)/g, '$1');
    }
    samples.push({ name, labels, value });
  }
  return samples;
}

/** Sum of a metric's samples whose labels include every given label. */
export function sumSamples(
  samples: Sample[],
  name: string,
  where: Record<string, string> = {}
): number {
  return samples
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(where).every(([k, v]) => sample.labels[k] === v)
    )
    .reduce((total, sample) => total + sample.value, 0);
}

// Reads a running connector's GET /metrics (Prometheus text) into numbers the tests can assert on.
import {
  parsePrometheusText,
  sumSamples
} from '../../../../demo/prometheus-text.ts';

export interface MetricsReader {
  (name: string, where?: Record<string, string>): number;
}

export async function scrapeMetrics(
  connectorUrl: string
): Promise<MetricsReader> {
  const response = await fetch(`${connectorUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics → ${response.status}`);
  const samples = parsePrometheusText(await response.text());
  return (name, where = {}) => sumSamples(samples, name, where);
}

/** GET /healthz answers 200 (the process is alive and serving). */
export async function healthy(connectorUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${connectorUrl}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

import { z } from 'zod';
import { parsePrometheusText, sumSamples } from './prometheus-text.ts';

export interface DemoStats {
  /** Webhook deliveries the connector received (every outcome, duplicates and rejections included). */
  deliveriesReceived: number;
  deliveriesAccepted: number;
  recordsWritten: number;
  salesforceApiCalls: number;
  scopeApiCalls: number;
  deadLetters: number;
}

export interface DemoStatsSources {
  connectorUrl: string;
  scopeUrl: string;
  salesforceUrl: string;
  /** API calls the demo itself made (the preview page's reads, the webhook set-up), not the connector. */
  ownCalls: () => { salesforce: number; scope: number };
}

const scopeStatsSchema = z.object({
  graphqlRequests: z.number(),
  restRequests: z.number(),
  signIns: z.number().default(0)
});
const salesforceStatsSchema = z.object({ apiUsage: z.number() });

async function getText(url: URL): Promise<string | null> {
  return fetch(url)
    .then((response) => (response.ok ? response.text() : null))
    .catch(() => null);
}

async function getJson(url: URL): Promise<unknown> {
  const text = await getText(url);
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** Scope API requests as the Scope sandbox counted them, or null when it cannot be read. */
export async function readScopeApiCalls(
  scopeUrl: string
): Promise<number | null> {
  const parsed = scopeStatsSchema.safeParse(
    await getJson(new URL('/sandbox/stats', scopeUrl))
  );
  return parsed.success
    ? parsed.data.graphqlRequests +
        parsed.data.restRequests +
        parsed.data.signIns
    : null;
}

/**
 * Reads the figures the terminal summary prints: deliveries, records written and dead letters from the
 * connector's /metrics; API calls as the sandboxes counted them (what the real APIs would bill) minus the
 * demo's own calls, falling back to the connector's own count when a sandbox cannot be read.
 */
export async function readDemoStats(
  sources: DemoStatsSources
): Promise<DemoStats> {
  const [metricsText, scopeCalls, salesforceRaw] = await Promise.all([
    getText(new URL('/metrics', sources.connectorUrl)),
    readScopeApiCalls(sources.scopeUrl),
    getJson(new URL('/sandbox/stats', sources.salesforceUrl))
  ]);
  const own = sources.ownCalls();
  const samples = parsePrometheusText(metricsText ?? '');
  const salesforceStats = salesforceStatsSchema.safeParse(salesforceRaw);
  return {
    deliveriesReceived: sumSamples(samples, 'worklink_deliveries_total'),
    deliveriesAccepted: sumSamples(samples, 'worklink_deliveries_total', {
      outcome: 'accepted'
    }),
    recordsWritten: sumSamples(samples, 'worklink_process_outcomes_total', {
      status: 'written'
    }),
    salesforceApiCalls: salesforceStats.success
      ? Math.max(0, salesforceStats.data.apiUsage - own.salesforce)
      : sumSamples(samples, 'worklink_api_calls_total', {
          system: 'salesforce'
        }),
    scopeApiCalls:
      scopeCalls === null
        ? sumSamples(samples, 'worklink_api_calls_total', { system: 'scope' })
        : Math.max(0, scopeCalls - own.scope),
    deadLetters: sumSamples(samples, 'worklink_dead_letters_total')
  };
}

export function formatDemoStats(stats: DemoStats): string {
  return [
    `deliveries received ${stats.deliveriesReceived} (accepted ${stats.deliveriesAccepted})`,
    `records written ${stats.recordsWritten}`,
    `connector API calls: Salesforce ${stats.salesforceApiCalls}, Scope ${stats.scopeApiCalls}`,
    `dead letters ${stats.deadLetters}`
  ].join(' · ');
}

// Re-posting deliveries Scope captured in its log, as an operator replays them (same X-Scope-Webhook-Id)
// or as Scope re-sends them as new deliveries (fresh id, signed again).
import { randomUUID } from 'node:crypto';
import { signBody } from '../../../../connector/src/webhooks/verify-signature.ts';
import { scrapeMetrics } from './connector-metrics.ts';
import { E2E_SECRET, eventually } from './e2e-world.ts';
import type { ScopeDelivery } from './e2e-world.ts';

export async function postDelivery(
  connectorUrl: string,
  delivery: Pick<ScopeDelivery, 'headers' | 'body'>,
  options: { freshId?: boolean } = {}
): Promise<number> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(delivery.headers)) {
    // the transport's own headers are set again by fetch
    if (!/^(content-length|host|connection|transfer-encoding)$/i.test(name))
      headers[name.toLowerCase()] = value;
  }
  if (options.freshId) {
    headers['x-scope-webhook-id'] = randomUUID();
    headers['x-scope-hmac-sha256'] = signBody(
      delivery.body,
      E2E_SECRET,
      'base64'
    );
  }
  const response = await fetch(`${connectorUrl}/webhooks/scope`, {
    method: 'POST',
    headers,
    body: delivery.body
  });
  await response.arrayBuffer();
  return response.status;
}

/** Total resources the connector's worker has settled so far (any outcome). */
export async function processedCount(connectorUrl: string): Promise<number> {
  return (await scrapeMetrics(connectorUrl))('worklink_process_outcomes_total');
}

/** Waits until the worker settled at least `count` more resources and nothing is queued. */
export async function waitForWorker(
  connectorUrl: string,
  atLeast: number,
  timeoutMs: number
): Promise<void> {
  await eventually(
    async () => {
      const metric = await scrapeMetrics(connectorUrl);
      const value = {
        processed: metric('worklink_process_outcomes_total'),
        depth: metric('worklink_queue_depth')
      };
      return { done: value.processed >= atLeast && value.depth === 0, value };
    },
    timeoutMs,
    `the worker to settle ${atLeast} resources with an empty queue`
  );
}

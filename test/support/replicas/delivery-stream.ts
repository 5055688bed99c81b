// A stream of signed generation-2 deliveries posted round-robin to the replicas at a fixed concurrency,
// the way Scope (through a load balancer) would send them: a delivery that is not acknowledged with a
// 2xx (connection refused or reset, 503) is sent again, to the next replica, until it is acknowledged.
import { randomUUID } from 'node:crypto';
import { gen2Request } from '../webhook-fixtures.ts';
import { WEBHOOK_SECRET } from './replica-world.ts';

export interface Delivery {
  deliveryId: string;
  sessionId: string;
  headers: Record<string, string>;
  body: string;
}

/** A realistic default-payload generation-2 delivery (reference §2.2), signed like Scope signs it. */
export function signedDelivery(
  sessionId: string,
  scopeUrl: string,
  secret = WEBHOOK_SECRET
): Delivery {
  const deliveryId = randomUUID();
  const { headers, body } = gen2Request(
    {
      data: {
        id: sessionId,
        url: `${scopeUrl}/api/v3/graphql/object/${sessionId}`,
        type: 'ScenarioSession'
      }
    },
    { topic: 'scenario_session/updated', secret, webhookId: deliveryId }
  );
  return { deliveryId, sessionId, body, headers };
}

export interface Attempt {
  deliveryId: string;
  target: string;
  /** HTTP status, or 0 when the connection failed. */
  status: number;
  sentAt: number;
  answeredAt: number;
}

export interface StreamResult {
  /** deliveryId → session of every 2xx-acknowledged delivery. */
  acknowledged: Map<string, string>;
  attempts: Attempt[];
  elapsedMs: number;
}

export interface StreamOptions {
  /** The replicas currently behind the "balancer" (read before every attempt). */
  targets: () => readonly string[];
  concurrency: number;
  /** Runs once per item before its first attempt (e.g. the change in Scope the delivery reports). */
  before?: (sessionId: string) => Promise<void>;
  /** Called after each acknowledgement with the running count. */
  onAcknowledged?: (count: number) => void;
  /** Pause before re-sending a delivery that was answered 503 or not at all. */
  retryPauseMs?: number;
  /** Give up (throw) when one delivery is still unacknowledged after this long. */
  deliveryTimeoutMs?: number;
  keepAttempts?: boolean;
  /** Called after every attempt, as it is answered. */
  onAttempt?: (attempt: Attempt) => void;
}

export async function postStream(
  sessions: readonly string[],
  makeDelivery: (sessionId: string) => Delivery,
  options: StreamOptions
): Promise<StreamResult> {
  const acknowledged = new Map<string, string>();
  const attempts: Attempt[] = [];
  const started = Date.now();
  let next = 0;
  let turn = 0;

  const sendOne = async (sessionId: string): Promise<void> => {
    await options.before?.(sessionId);
    const delivery = makeDelivery(sessionId);
    const giveUpAt = Date.now() + (options.deliveryTimeoutMs ?? 120_000);
    for (;;) {
      const targets = options.targets();
      if (targets.length === 0) throw new Error('no replica to post to');
      const target = targets[turn++ % targets.length] as string;
      const sentAt = Date.now();
      let status = 0;
      try {
        const response = await fetch(`${target}/webhooks/scope`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
          signal: AbortSignal.timeout(30_000)
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0; // refused, reset by a killed replica, or timed out: not acknowledged
      }
      const attempt: Attempt = {
        deliveryId: delivery.deliveryId,
        target,
        status,
        sentAt,
        answeredAt: Date.now()
      };
      if (options.keepAttempts ?? true) attempts.push(attempt);
      options.onAttempt?.(attempt);
      if (status >= 200 && status < 300) {
        acknowledged.set(delivery.deliveryId, sessionId);
        options.onAcknowledged?.(acknowledged.size);
        return;
      }
      if (status !== 0 && status !== 503)
        throw new Error(
          `delivery ${delivery.deliveryId} answered ${status} by ${target}`
        );
      if (Date.now() > giveUpAt)
        throw new Error(
          `delivery ${delivery.deliveryId} still unacknowledged after ${options.deliveryTimeoutMs ?? 120_000} ms`
        );
      await new Promise((r) => setTimeout(r, options.retryPauseMs ?? 50));
    }
  };

  const lane = async (): Promise<void> => {
    while (next < sessions.length) {
      const sessionId = sessions[next++] as string;
      await sendOne(sessionId);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { acknowledged, attempts, elapsedMs: Date.now() - started };
}

/** Session ids in delivery order: `rounds` deliveries per session, interleaved across sessions. */
export function interleave(
  sessionIds: readonly string[],
  rounds: number
): string[] {
  const order: string[] = [];
  for (let round = 0; round < rounds; round++) order.push(...sessionIds);
  return order;
}

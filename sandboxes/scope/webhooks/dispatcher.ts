import { randomUUID } from 'node:crypto';
import type { Faults, SandboxConfig } from '../options.ts';
import { signBody } from './sign.ts';

// Sends webhooks asynchronously with bounded retries and exponential backoff (no jitter, so tests are
// reproducible), honours the webhook fault switches, and keeps a log to inspect. Scope's own retry
// policy is undocumented (Unknown #6): these are the sandbox's choices, all configurable.

export interface DeliveryRequest {
  generation: 1 | 2;
  url: string;
  /** Generation 2: topic key; generation 1: the `event` verb. */
  topic: string;
  topicVersion?: string;
  resourceId: string;
  resourceType: string;
  body: string;
  /** Generation 2 shared secret; null = no signature header. */
  secret: string | null;
}

export interface Attempt {
  /** Position of this attempt among all attempts, in the order they were sent. */
  sequence: number;
  at: string;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  id: string;
  generation: 1 | 2;
  url: string;
  topic: string;
  resourceId: string;
  resourceType: string;
  attempts: Attempt[];
  statuses: (number | null)[];
  outcome: 'pending' | 'delivered' | 'failed' | 'dropped';
  duplicate: boolean;
  wrongSignature: boolean;
  createdAt: string;
  body: string;
  headers: Record<string, string>;
}

export interface Dispatcher {
  enqueue(request: DeliveryRequest): Delivery;
  log(): Delivery[];
  pending(): number;
  clear(): void;
  close(): void;
}

export interface DispatcherDeps {
  webhook: SandboxConfig['webhook'];
  faults: () => Faults;
  random: () => number;
  now?: () => number;
}

const REORDER_HOLD_MS = 2000;

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const now = deps.now ?? Date.now;
  let deliveries: Delivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const controllers = new Set<AbortController>();
  let inFlight = 0;
  // Out-of-order fault: per resource, the delivery waiting for the next one of the same resource.
  const held = new Map<string, Delivery>();
  let attemptsSent = 0;
  let closed = false;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const attempt = async (delivery: Delivery): Promise<void> => {
    if (closed) return;
    const started = now();
    const sequence = ++attemptsSent;
    const controller = new AbortController();
    controllers.add(controller);
    const timeout = setTimeout(
      () => controller.abort(),
      deps.webhook.timeoutMs
    );
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        signal: controller.signal
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (cause) {
      error = controller.signal.aborted
        ? `timeout after ${deps.webhook.timeoutMs} ms`
        : String((cause as Error).message ?? cause);
    } finally {
      clearTimeout(timeout);
      controllers.delete(controller);
    }
    delivery.attempts.push({
      sequence,
      at: new Date(started).toISOString(),
      status,
      error,
      durationMs: now() - started
    });
    delivery.statuses.push(status);
    if (status !== null && status >= 200 && status < 300) {
      delivery.outcome = 'delivered';
    } else if (delivery.attempts.length >= deps.webhook.maxAttempts || closed) {
      delivery.outcome = 'failed';
    } else {
      const backoff = Math.min(
        deps.webhook.backoffMaxMs,
        deps.webhook.backoffBaseMs * 2 ** (delivery.attempts.length - 1)
      );
      inFlight += 1;
      later(backoff, () => {
        inFlight -= 1;
        void track(delivery);
      });
    }
  };

  const track = async (delivery: Delivery): Promise<void> => {
    inFlight += 1;
    try {
      await attempt(delivery);
    } finally {
      inFlight -= 1;
    }
  };

  const send = (delivery: Delivery) => {
    if (!deps.faults().reorder || delivery.duplicate) {
      void track(delivery);
      return;
    }
    // Hold a delivery until the next one of the same resource has gone out (or a short timeout passes),
    // so the receiver sees a later change of that resource before an earlier one.
    const earlier = held.get(delivery.resourceId);
    if (earlier) {
      held.delete(delivery.resourceId);
      void track(delivery);
      void track(earlier);
      return;
    }
    held.set(delivery.resourceId, delivery);
    inFlight += 1;
    later(REORDER_HOLD_MS, () => {
      inFlight -= 1;
      if (held.get(delivery.resourceId) === delivery) {
        held.delete(delivery.resourceId);
        void track(delivery);
      }
    });
  };

  return {
    enqueue(request) {
      const faults = deps.faults();
      const id = randomUUID();
      const wrongSignature =
        request.generation === 2 &&
        request.secret !== null &&
        faults.wrongSignature;
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': 'ScopeAR-Sandbox-Webhooks/1.0'
      };
      if (request.generation === 2) {
        Object.assign(headers, {
          'X-Scope-Topic': request.topic,
          'X-Scope-Topic-Version': request.topicVersion ?? '1.1',
          'X-Scope-API-Version': deps.webhook.apiVersion,
          'X-Scope-Domain': deps.webhook.domain,
          'X-Scope-Webhook-Type': 'node',
          'X-Scope-Webhook-Id': id
        });
        if (request.secret !== null) {
          headers['X-Scope-Hmac-Sha256'] = signBody(
            request.body,
            wrongSignature ? `${request.secret}-wrong` : request.secret
          );
        }
      }
      const delivery: Delivery = {
        id,
        generation: request.generation,
        url: request.url,
        topic: request.topic,
        resourceId: request.resourceId,
        resourceType: request.resourceType,
        attempts: [],
        statuses: [],
        outcome: 'pending',
        duplicate: false,
        wrongSignature,
        createdAt: new Date(now()).toISOString(),
        body: request.body,
        headers
      };
      deliveries.push(delivery);
      if (deps.random() < faults.dropWebhookRate) {
        delivery.outcome = 'dropped';
        return delivery;
      }
      send(delivery);
      if (deps.random() < faults.duplicateRate) {
        const copy: Delivery = {
          ...delivery,
          attempts: [],
          statuses: [],
          outcome: 'pending',
          duplicate: true
        };
        deliveries.push(copy);
        send(copy);
      }
      return delivery;
    },
    log: () =>
      deliveries.map((delivery) => ({
        ...delivery,
        attempts: [...delivery.attempts],
        statuses: [...delivery.statuses]
      })),
    pending: () =>
      inFlight +
      deliveries.filter((delivery) => delivery.outcome === 'pending').length,
    clear() {
      deliveries = [];
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of controllers) controller.abort();
      for (const delivery of deliveries)
        if (delivery.outcome === 'pending') delivery.outcome = 'failed';
    }
  };
}

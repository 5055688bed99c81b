// One batch's answers: one outcome per resource (each stage settles the resources it cannot take
// further, so none is settled twice), each one that is not a write logged with the deliveries and
// events behind it, and the final list in resource order.
import type { ProcessOutcome } from '../contracts.ts';
import type { Classification } from './classify-error.ts';
import type { ProcessorLogger } from './processor-settings.ts';
import type { Resource } from './resources.ts';

type Outcome = Omit<ProcessOutcome, 'resourceId'>;

export class OutcomeLedger {
  readonly #outcomes = new Map<string, ProcessOutcome>();
  readonly #log: ProcessorLogger | undefined;
  readonly #stamp: number;
  readonly #notFound: { windowMs: number; retryAfterSeconds: number };

  constructor(options: {
    log: ProcessorLogger | undefined;
    /** The batch's clock reading: the not-found window is measured against it. */
    stamp: Date;
    notFoundWindowMs: number;
    notFoundRetryAfterSeconds: number;
  }) {
    this.#log = options.log;
    this.#stamp = options.stamp.getTime();
    this.#notFound = {
      windowMs: options.notFoundWindowMs,
      retryAfterSeconds: options.notFoundRetryAfterSeconds
    };
  }

  has(resource: Resource): boolean {
    return this.#outcomes.has(resource.id);
  }

  /** The outcome settled so far for the resource, if any. */
  outcomeOf(resource: Resource): ProcessOutcome | undefined {
    return this.#outcomes.get(resource.id);
  }

  settle(resource: Resource, outcome: Outcome): void {
    this.#outcomes.set(resource.id, { resourceId: resource.id, ...outcome });
    if (outcome.status === 'written') return;
    this.#log?.[outcome.status === 'dead' ? 'warn' : 'info'](
      {
        resourceId: resource.id,
        deliveryIds: resource.events.flatMap((e) =>
          e.deliveryId ? [e.deliveryId] : []
        ),
        events: [...new Set(resource.events.map((e) => e.event))],
        status: outcome.status,
        reason: outcome.reason
      },
      `resource ${outcome.status}`
    );
  }

  /** Retry or dead-letter as the error classifier decided. */
  settleClassified(resource: Resource, c: Classification): void {
    this.settle(
      resource,
      c.kind === 'retry'
        ? {
            status: 'retry',
            reason: c.reason,
            retryAfterSeconds: c.retryAfterSeconds,
            ...(c.uncounted ? { uncounted: true } : {})
          }
        : { status: 'dead', reason: c.reason }
    );
  }

  /** Scope does not return the node (yet): retried until the first event is older than the window. */
  settleNotFound(resource: Resource): void {
    if (this.#stamp - resource.firstReceivedAt >= this.#notFound.windowMs) {
      this.settle(resource, {
        status: 'dead',
        reason:
          'Scope node not found (gave up after the not-found retry window)'
      });
    } else {
      this.settle(resource, {
        status: 'retry',
        reason: 'Scope node not found yet',
        retryAfterSeconds: this.#notFound.retryAfterSeconds
      });
    }
  }

  /** One outcome per resource (the job runner counts them and maps them back to its jobs). */
  finish(resources: readonly Resource[]): ProcessOutcome[] {
    return resources.map(
      (r) =>
        this.#outcomes.get(r.id) ?? {
          resourceId: r.id,
          status: 'retry' as const,
          reason: 'not processed'
        }
    );
  }
}

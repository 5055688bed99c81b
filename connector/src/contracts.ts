// The boundary between receiving (http, webhooks, queue) and processing (scope, salesforce, mapping, worker).
// Receiving turns each accepted delivery into a ResourceEvent; the queue hands batches of them to a
// BatchProcessor, which fetches, maps and upserts, and says per resource what became of it.

/** The Scope resource kinds the connector turns into Scope_AR_Session__c records. */
export type ResourceKind = 'ScenarioSession' | 'Call';

export interface ResourceEvent {
  /** Scope GraphQL global node id (webhook `resource-id` / `data.id`). */
  resourceId: string;
  /**
   * What the delivery says the node is: a hint the fetch confirms or corrects (Scope's __typename
   * decides). Absent when the delivery does not say; the processor then asks Scope.
   */
  resourceType?: ResourceKind;
  /** created / updated / completed / finished …, as the delivery named it. */
  event: string;
  /** X-Scope-Webhook-Id for generation 2, a SHA-256 of the raw body for generation 1. */
  deliveryId: string;
  generation: 1 | 2;
  /** ISO time the connector durably stored the delivery. */
  receivedAt: string;
  /** Generation-1 `time`: when Scope sent the hook. */
  sentAt?: string;
  /** A custom-query (generation 2) payload that already carries the node; saves a fetch when complete. */
  node?: Record<string, unknown>;
}

export type OutcomeStatus = 'written' | 'retry' | 'dead' | 'skipped';

export interface ProcessOutcome {
  resourceId: string;
  status: OutcomeStatus;
  /** Why it is retried, dead-lettered or skipped; never contains secrets. */
  reason?: string;
  /** Salesforce record id when written. */
  salesforceId?: string;
  /** For 'retry': the classifier's suggestion; the queue applies its own backoff cap. */
  retryAfterSeconds?: number;
}

export interface BatchProcessor {
  /** Events may repeat a resource: the processor coalesces them into one fetch and one write. */
  process(events: ResourceEvent[]): Promise<ProcessOutcome[]>;
}

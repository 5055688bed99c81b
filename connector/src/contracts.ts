// The boundary between receiving (http, webhooks, queue) and processing (scope, salesforce, mapping, worker).
// Receiving turns each accepted delivery into a ResourceEvent; the queue hands batches of them to a
// BatchProcessor, which fetches, maps and upserts, and says per resource what became of it.

/** The Scope resource kinds the connector turns into Scope_AR_Session__c records. */
export type ResourceKind = 'ScenarioSession' | 'Call';

/**
 * What the processor needs to know about one reason to (re)write a resource, whoever produced it: a
 * stored webhook delivery (the job runner), a job without one (replay, retry after retention), or the
 * reconciler. Webhook details (generation, signature, Scope's send time) stay with the delivery.
 */
export interface ResourceEvent {
  /** Scope GraphQL global node id (webhook `resource-id` / `data.id`). */
  resourceId: string;
  /**
   * What the producer says the node is: a hint the fetch confirms or corrects (Scope's __typename
   * decides). Absent when it does not say; the processor then asks Scope.
   */
  resourceType?: ResourceKind;
  /**
   * Why the resource is processed, for logs: created / updated / completed … as a delivery named it,
   * `reprocess` (a job without a stored delivery) or `reconcile` (the sync found Salesforce stale).
   */
  event: string;
  /** ISO time the reason arose (a delivery durably stored, a job enqueued, a gap found): the not-found window counts from it. */
  receivedAt: string;
  /** The stored webhook delivery behind the event, for logs; absent when there is none. */
  deliveryId?: string;
  /** A node the producer already holds (a custom-query payload, the sync's page); saves a fetch when complete. */
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
  /** What the written resource turned out to be (a written session's photos are copied next). */
  kind?: ResourceKind;
  /** For 'retry': the classifier's suggestion; the queue applies its own backoff cap. */
  retryAfterSeconds?: number;
  /**
   * For 'retry': nothing reached Salesforce (the connector's own API budget refused the call), so the job
   * waits without using up one of its retries: a long budget block never dead-letters anything.
   */
  uncounted?: boolean;
}

export interface BatchProcessor {
  /** Events may repeat a resource: the processor coalesces them into one fetch and one write. */
  process(events: ResourceEvent[]): Promise<ProcessOutcome[]>;
}

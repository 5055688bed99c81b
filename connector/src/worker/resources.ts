// What one batch works on: the events coalesced into one resource per id, and a resource once its
// node is mapped (`Prepared`), ready for the work-order lookup and the upsert.
import type { ResourceEvent, ResourceKind } from '../contracts.ts';
import type { MappedNode } from '../mapping/map-scope-node.ts';
import type { MappedStep } from '../mapping/step-record.ts';
import type { WorkOrderReference } from '../mapping/work-order-key.ts';

export interface Resource {
  id: string;
  /** From the newest delivery that names it until Scope's __typename confirms or corrects it. */
  kind?: ResourceKind;
  events: ResourceEvent[];
  firstReceivedAt: number;
}

export type KnownResource = Resource & { kind: ResourceKind };

export interface Prepared {
  resource: KnownResource;
  fields: MappedNode;
  reference: WorkOrderReference;
  /** A session's steps (write-steps.ts); undefined when the node carried no step block. */
  steps?: MappedStep[];
  /** The node came from an event's payload, not from a fetch: it may be older than Salesforce's. */
  fromPayload: boolean;
  /**
   * Written without its link fields: Salesforce holds it as `Linked manually`, or this process wrote the
   * same link last time (`remembered`, written-sessions.ts), so what Salesforce holds stays.
   */
  keepStoredLinks?: 'manual' | 'remembered';
  /** Link_Status__c as Salesforce held it before this batch. */
  storedLinkStatus?: string | null;
  /**
   * New in Salesforce, or still owned by the user who created it (the connector): its owner may be set
   * to the technician. Once someone else owns it, a change would need Transfer Record.
   */
  ownerTransferable?: boolean;
  /**
   * What the rollups read of this session as Salesforce held it before this batch: its parents (those
   * it leaves when it moves) and the values counted (unchanged values need no recompute).
   */
  storedRollupInputs?: RollupInputs;
}

export interface RollupInputs {
  Work_Order__c: string | null;
  Asset__c: string | null;
  Case__c: string | null;
  Kind__c: string | null;
  Started_At__c: string | null;
  Duration_Seconds__c: number | null;
}

export const HANDLED_KINDS: readonly ResourceKind[] = [
  'ScenarioSession',
  'Call'
];

export const isKnown = (resource: Resource): resource is KnownResource =>
  resource.kind !== undefined;

/**
 * One resource per id. Its kind comes from the newest event that names one (by receivedAt; on a tie
 * the earlier in the list, as the job runner lists deliveries newest first).
 */
export function coalesce(events: readonly ResourceEvent[]): Resource[] {
  const byId = new Map<string, Resource & { kindAt: number }>();
  for (const event of events) {
    const parsed = Date.parse(event.receivedAt);
    const received = Number.isNaN(parsed) ? -Infinity : parsed;
    let resource = byId.get(event.resourceId);
    if (!resource) {
      resource = {
        id: event.resourceId,
        events: [],
        firstReceivedAt: Number.isNaN(parsed) ? Date.now() : parsed,
        kindAt: -Infinity
      };
      byId.set(event.resourceId, resource);
    } else if (!Number.isNaN(parsed)) {
      resource.firstReceivedAt = Math.min(resource.firstReceivedAt, parsed);
    }
    resource.events.push(event);
    if (
      event.resourceType &&
      (resource.kind === undefined || received > resource.kindAt)
    ) {
      resource.kind = event.resourceType;
      resource.kindAt = received;
    }
  }
  return [...byId.values()].map(({ kindAt: _kindAt, ...resource }) => resource);
}

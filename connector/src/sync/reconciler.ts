// Reconciliation: webhooks can be lost, so every sync pass compares what Scope holds with what
// Salesforce holds and upserts whatever is missing or stale. One SOQL query per batch reads the stored
// state; the stale resources go to the worker's BatchProcessor as ResourceEvents that carry the node
// just fetched (nothing is fetched twice), so the mapping, work-order resolution and Collections
// batching are exactly those of the real-time path.
import {
  salesforceSeconds,
  sameSalesforceDateTime
} from '../salesforce/date-time.ts';
import type {
  BatchProcessor,
  ResourceEvent,
  ResourceKind
} from '../contracts.ts';
import { mapScopeNode } from '../mapping/index.ts';
import type {
  MappedNode,
  MappingOptions,
  NodeFieldPaths
} from '../mapping/index.ts';
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../mapping/session-record.ts';
import { queryInLists } from '../salesforce/index.ts';
import type { SoqlReader } from '../salesforce/index.ts';
import type { OutcomeSettings } from '../rollups/compute-outcomes.ts';
import { recomputeParents } from '../rollups/recompute-parents.ts';
import type {
  ParentIds,
  RecomputeResult,
  RollupClient
} from '../rollups/recompute-parents.ts';
import { recomputeRecentWorkOrders } from '../rollups/recent-work-orders.ts';

/** Fields read back from Salesforce and compared with what the mapping makes of Scope's node. */
export const COMPARED_FIELDS = [
  'State__c',
  'Scope_Updated_At__c',
  'Started_At__c',
  'Ended_At__c',
  'Duration_Seconds__c',
  'Idle_Duration_Seconds__c',
  'Steps_Viewed__c',
  'Steps_Possible__c'
] as const;

type ComparedField = (typeof COMPARED_FIELDS)[number];
export type StoredState = Partial<
  Record<ComparedField, string | number | null>
> & {
  Scope_Id__c: string;
  Work_Order__c?: string | null;
  Asset__c?: string | null;
  Case__c?: string | null;
};

const DATE_FIELDS = new Set<ComparedField>([
  'Scope_Updated_At__c',
  'Started_At__c',
  'Ended_At__c'
]);
const NUMBER_FIELDS = new Set<ComparedField>([
  'Duration_Seconds__c',
  'Idle_Duration_Seconds__c',
  'Steps_Viewed__c',
  'Steps_Possible__c'
]);
/** Events per processor call: one Collections request (≤ 200 records). */
export const EVENTS_PER_PROCESS = 200;

function sameValue(
  field: ComparedField,
  expected: string | number | null,
  stored: string | number | null | undefined
): boolean {
  const a = expected ?? null;
  const b = stored ?? null;
  if (a === null || b === null) return a === b;
  if (DATE_FIELDS.has(field))
    return sameSalesforceDateTime(String(a), String(b));
  if (NUMBER_FIELDS.has(field)) return Math.abs(Number(a) - Number(b)) < 0.005;
  return String(a) === String(b);
}

/**
 * Why Salesforce's copy must be rewritten, or null when it is current. Missing → repair. Stored
 * Scope_Updated_At__c newer than Scope's → leave it (a webhook already wrote a later state).
 */
export function staleReason(
  expected: MappedNode,
  stored: StoredState | undefined
): string | null {
  if (!stored) return 'missing in Salesforce';
  const ours = expected.Scope_Updated_At__c
    ? salesforceSeconds(expected.Scope_Updated_At__c)
    : NaN;
  const theirs = stored.Scope_Updated_At__c
    ? salesforceSeconds(String(stored.Scope_Updated_At__c))
    : NaN;
  if (!Number.isNaN(ours) && !Number.isNaN(theirs) && theirs > ours)
    return null;
  for (const field of COMPARED_FIELDS) {
    if (!sameValue(field, expected[field], stored[field]))
      return `${field} differs`;
  }
  return null;
}

export interface ReconcileItem {
  kind: ResourceKind;
  /** The node in the worker's selection (analytics aliases removed). */
  node: Record<string, unknown>;
}

export interface ReconcileResult {
  checked: number;
  repaired: number;
  failed: number;
  /** Stale in Salesforce but Salesforce holds a newer state per the processor: left alone. */
  skipped: number;
  /** Parent records whose rollups were recomputed, written, or refused. */
  rollups?: { checked: number; updated: number; failed: number };
  errors: string[];
}

export interface Reconciler {
  reconcile(
    items: readonly ReconcileItem[],
    context: { runId: number }
  ): Promise<ReconcileResult>;
  /** Once per pass: the work orders closed or created in the last N + 1 days (absent: rollups off). */
  recomputeRecentOutcomes?(): Promise<RecomputeResult>;
}

export interface ReconcilerOptions {
  reader: SoqlReader;
  processor: BatchProcessor;
  mapping: MappingOptions;
  paths: Record<ResourceKind, NodeFieldPaths>;
  /** Recompute the rollups of the checked sessions' parents (self-healing); absent: off. */
  rollups?: { client: RollupClient; outcomes: OutcomeSettings };
  now?: () => Date;
}

/** Salesforce's stored state of each id (one SOQL query per IN-list chunk). */
async function readStored(
  reader: SoqlReader,
  ids: readonly string[]
): Promise<Map<string, StoredState>> {
  const stored = new Map<string, StoredState>();
  const rows = await queryInLists<StoredState>(reader, 'reconcileRead', {
    select: `SELECT ${SESSION_EXTERNAL_ID_FIELD}, Work_Order__c, Asset__c, Case__c, ${COMPARED_FIELDS.join(', ')} FROM ${SESSION_OBJECT}`,
    lists: [{ field: SESSION_EXTERNAL_ID_FIELD, values: ids }]
  });
  for (const row of rows) stored.set(row.Scope_Id__c, row);
  return stored;
}

interface Expected {
  item: ReconcileItem;
  fields: MappedNode;
}

/** What the mapping makes of each node, by Scope id (nodes the mapping rejects are left out). */
function expectedStates(
  items: readonly ReconcileItem[],
  options: ReconcilerOptions,
  now: () => Date
): Map<string, Expected> {
  const expected = new Map<string, Expected>();
  for (const item of items) {
    const mapped = mapScopeNode({
      node: item.node,
      kind: item.kind,
      paths: options.paths[item.kind],
      options: options.mapping,
      now: now()
    });
    if (mapped.ok)
      expected.set(mapped.fields.Scope_Id__c, { item, fields: mapped.fields });
  }
  return expected;
}

/** A ResourceEvent carrying the fetched node for each resource Salesforce holds stale or not at all. */
function staleEvents(
  expected: ReadonlyMap<string, Expected>,
  stored: ReadonlyMap<string, StoredState>,
  receivedAt: string
): ResourceEvent[] {
  const events: ResourceEvent[] = [];
  for (const [id, { item, fields }] of expected) {
    if (staleReason(fields, stored.get(id)) === null) continue;
    events.push({
      resourceId: id,
      resourceType: item.kind,
      event: 'reconcile',
      receivedAt,
      node: item.node
    });
  }
  return events;
}

/** The events through the worker's processor, EVENTS_PER_PROCESS at a time, counted into `result`. */
async function repair(
  processor: BatchProcessor,
  events: readonly ResourceEvent[],
  result: ReconcileResult
): Promise<void> {
  for (let i = 0; i < events.length; i += EVENTS_PER_PROCESS) {
    const outcomes = await processor.process(
      events.slice(i, i + EVENTS_PER_PROCESS)
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'written') result.repaired += 1;
      else if (outcome.status === 'skipped') result.skipped += 1;
      else {
        result.failed += 1;
        if (result.errors.length < 20)
          result.errors.push(
            `${outcome.resourceId}: ${outcome.status}: ${outcome.reason ?? ''}`
          );
      }
    }
  }
}

/** The parents Salesforce links the checked sessions to (the repaired ones' new parents the processor did). */
function storedParents(stored: ReadonlyMap<string, StoredState>): ParentIds {
  const workOrders = new Set<string>();
  const assets = new Set<string>();
  const cases = new Set<string>();
  for (const row of stored.values()) {
    if (row.Work_Order__c) workOrders.add(row.Work_Order__c);
    if (row.Asset__c) assets.add(row.Asset__c);
    if (row.Case__c) cases.add(row.Case__c);
  }
  return { workOrders, assets, cases };
}

/** Recomputes the stored sessions' parents into `result`; a failure is an error, not a failed pass. */
async function healRollups(
  rollups: NonNullable<ReconcilerOptions['rollups']>,
  stored: ReadonlyMap<string, StoredState>,
  result: ReconcileResult,
  now: Date
): Promise<void> {
  try {
    const healed = await recomputeParents(
      rollups.client,
      storedParents(stored),
      rollups.outcomes,
      now
    );
    result.rollups = {
      checked: healed.checked,
      updated: healed.updated,
      failed: healed.failed.length
    };
    for (const f of healed.failed.slice(0, 5))
      result.errors.push(
        `rollup ${f.sobject} ${f.id}: ${f.errors.map((e) => e.statusCode).join(', ')}`
      );
  } catch (error) {
    result.errors.push(
      `rollups: ${error instanceof Error ? error.message : String(error)}`
    );
  }
}

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const now = options.now ?? (() => new Date());
  const { rollups } = options;
  return {
    ...(rollups
      ? {
          recomputeRecentOutcomes: () =>
            recomputeRecentWorkOrders(rollups.client, rollups.outcomes, now())
        }
      : {}),
    async reconcile(items) {
      const result: ReconcileResult = {
        checked: 0,
        repaired: 0,
        failed: 0,
        skipped: 0,
        errors: []
      };
      const expected = expectedStates(items, options, now);
      if (expected.size === 0) return result;
      const stored = await readStored(options.reader, [...expected.keys()]);
      result.checked = expected.size;
      const receivedAt = now().toISOString();
      await repair(
        options.processor,
        staleEvents(expected, stored, receivedAt),
        result
      );
      if (rollups) await healRollups(rollups, stored, result, now());
      return result;
    }
  };
}

import type {
  BatchProcessor,
  ProcessOutcome,
  ResourceEvent,
  ResourceKind
} from '../contracts.ts';
import type { Logger } from '../logger.ts';
import { buildSessionRecord, mapScopeNode } from '../mapping/map-scope-node.ts';
import type {
  MappedNode,
  MappingOptions,
  NodeFieldPaths
} from '../mapping/map-scope-node.ts';
import { indexWorkOrders, resolveLink } from '../mapping/resolve-link.ts';
import type { WorkOrderIndex, WorkOrderRow } from '../mapping/resolve-link.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
import type { WorkOrderReference } from '../mapping/work-order-key.ts';
import type {
  SalesforceClient,
  UpsertResult
} from '../salesforce/salesforce-client.ts';
import { CALL_PATHS } from '../scope/call-fields.ts';
import type {
  NodeRequest,
  NodeResult,
  ScopeClient
} from '../scope/scope-client.ts';
import { SalesforceApiError } from '../salesforce/salesforce-error.ts';
import { isUriTooLong } from '../salesforce/soql.ts';
import { ScopeApiError } from '../scope/scope-error.ts';
import {
  kindOfTypename,
  lookUpNodeTypes
} from '../scope/look-up-node-types.ts';
import type { NodeTypeResult } from '../scope/look-up-node-types.ts';
import { selectedFields } from '../scope/check-schema.ts';
import { DEFAULT_SELECTIONS } from '../scope/scope-client.ts';
import { SESSION_PATHS } from '../scope/session-fields.ts';
import { classifyError, classifyRecordErrors } from './classify-error.ts';
import type { Classification } from './classify-error.ts';

export interface BatchProcessorOptions {
  /** `execute` answers the typename lookup of resources whose deliveries did not say what they are. */
  scope: Pick<ScopeClient, 'fetchNodes'> &
    Partial<Pick<ScopeClient, 'execute' | 'callSchema'>>;
  salesforce: Pick<
    SalesforceClient,
    'upsertSessions' | 'resolveWorkOrders' | 'readUpdatedAt'
  >;
  mapping: MappingOptions;
  /**
   * GraphQL type name of each kind, to read Scope's __typename (default: the Call type the Scope client
   * configured or discovered, else the default selections').
   */
  typeNames?: Partial<Record<ResourceKind, string>>;
  /** Where values live in each node type (defaults: scope/session-fields.ts, scope/call-fields.ts). */
  paths?: Partial<Record<ResourceKind, NodeFieldPaths>>;
  /**
   * A node Scope does not return yet (webhook raced the write) is retried until its first event is
   * this old, then dead-lettered (default 15 minutes).
   */
  notFoundRetryWindowSeconds?: number;
  notFoundRetryAfterSeconds?: number;
  /** Use a custom-query payload node instead of fetching when it is complete (default true). */
  usePayloadNodes?: boolean;
  /**
   * Top-level fields a payload node must carry to stand in for a fetch (default: every field of the
   * default selection but `id`), so a partial custom query never blanks fields in Salesforce.
   */
  payloadRequiredFields?: Partial<Record<ResourceKind, readonly string[]>>;
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  now?: () => Date;
}

interface Resource {
  id: string;
  /** From the newest delivery that names it until Scope's __typename confirms or corrects it. */
  kind?: ResourceKind;
  events: ResourceEvent[];
  firstReceivedAt: number;
}

type KnownResource = Resource & { kind: ResourceKind };

interface Prepared {
  resource: KnownResource;
  fields: MappedNode;
  reference: WorkOrderReference;
  fromPayload: boolean;
}

const HANDLED_KINDS: readonly ResourceKind[] = ['ScenarioSession', 'Call'];
const defaultPayloadFields = (kind: ResourceKind): string[] =>
  selectedFields(DEFAULT_SELECTIONS[kind]).filter((field) => field !== 'id');
/** Per-record errors that mean "the Case id from externalData is not a usable Case". */
const CASE_REJECTED_CODES = new Set([
  'INVALID_CROSS_REFERENCE_KEY',
  'FIELD_INTEGRITY_EXCEPTION',
  'INVALID_ID_FIELD',
  // a Case in the Recycle Bin
  'ENTITY_IS_DELETED',
  // a Case the integration user cannot see (private sharing)
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
]);
/**
 * Query failures that a value in the query can cause (rather than the org's configuration, such as a
 * field the integration user cannot read): worth splitting the batch to find the session responsible.
 */
const KEY_CAUSED_QUERY_CODES = new Set([
  'MALFORMED_QUERY',
  'URI_TOO_LONG',
  'INVALID_QUERY_FILTER_OPERATOR',
  'QUERY_TOO_COMPLICATED'
]);

export function createBatchProcessor(
  options: BatchProcessorOptions
): BatchProcessor {
  const paths: Record<ResourceKind, NodeFieldPaths> = {
    ScenarioSession: options.paths?.ScenarioSession ?? SESSION_PATHS,
    Call: options.paths?.Call ?? CALL_PATHS
  };
  const now = options.now ?? (() => new Date());
  const notFoundWindowMs = (options.notFoundRetryWindowSeconds ?? 900) * 1000;
  const usePayloadNodes = options.usePayloadNodes ?? true;
  const payloadFields: Record<ResourceKind, readonly string[]> = {
    ScenarioSession:
      options.payloadRequiredFields?.ScenarioSession ??
      defaultPayloadFields('ScenarioSession'),
    Call: options.payloadRequiredFields?.Call ?? defaultPayloadFields('Call')
  };
  const typeNames: Record<ResourceKind, string> = {
    ScenarioSession:
      options.typeNames?.ScenarioSession ??
      DEFAULT_SELECTIONS.ScenarioSession.typeName,
    Call: options.typeNames?.Call ?? DEFAULT_SELECTIONS.Call.typeName
  };
  const log = options.logger;
  const learnCallType = async () => {
    if (options.typeNames?.Call || !options.scope.callSchema) return;
    const found = await options.scope
      .callSchema()
      .then((schema) => schema.typeName)
      .catch(() => null);
    if (found) typeNames.Call = found;
  };

  return {
    async process(events) {
      await learnCallType();
      const outcomes = new Map<string, ProcessOutcome>();
      const settle = (
        resource: Resource,
        outcome: Omit<ProcessOutcome, 'resourceId'>
      ) => {
        outcomes.set(resource.id, { resourceId: resource.id, ...outcome });
        if (outcome.status !== 'written') {
          log?.[outcome.status === 'dead' ? 'warn' : 'info'](
            {
              resourceId: resource.id,
              deliveryIds: resource.events.flatMap((e) =>
                e.deliveryId ? [e.deliveryId] : []
              ),
              status: outcome.status,
              reason: outcome.reason
            },
            `resource ${outcome.status}`
          );
        }
      };
      const settleClassified = (resource: Resource, c: Classification) =>
        settle(
          resource,
          c.kind === 'retry'
            ? {
                status: 'retry',
                reason: c.reason,
                retryAfterSeconds: c.retryAfterSeconds
              }
            : { status: 'dead', reason: c.reason }
        );

      const resources = coalesce(events);
      const stamp = now();
      // Receiving only enqueues handled kinds; anything else is answered, never dropped silently.
      for (const resource of resources) {
        if (resource.kind && !HANDLED_KINDS.includes(resource.kind)) {
          settle(resource, {
            status: 'skipped',
            reason: `resource type ${String(resource.kind)} is not handled`
          });
        }
      }
      const settleNotFound = (resource: Resource) => {
        if (stamp.getTime() - resource.firstReceivedAt >= notFoundWindowMs) {
          settle(resource, {
            status: 'dead',
            reason:
              'Scope node not found (gave up after the not-found retry window)'
          });
        } else {
          settle(resource, {
            status: 'retry',
            reason: 'Scope node not found yet',
            retryAfterSeconds: options.notFoundRetryAfterSeconds ?? 30
          });
        }
      };
      const settleTypename = (resource: Resource, typename: string) => {
        const kind = kindOfTypename(typename, typeNames);
        if (kind) resource.kind = kind;
        else
          settle(resource, {
            status: 'skipped',
            reason: `Scope node is a ${typename}, not a handled type`
          });
      };

      // 0. Resources no delivery named: Scope says what they are.
      const unresolved = resources.filter(
        (r) => !r.kind && !outcomes.has(r.id)
      );
      if (unresolved.length > 0) {
        const types = await lookUpTypes(options.scope, unresolved);
        for (const resource of unresolved) {
          const result = types.get(resource.id);
          if (!result || result.status === 'not-found')
            settleNotFound(resource);
          else if (result.status === 'found')
            settleTypename(resource, result.typename);
          else if (result.status === 'forbidden')
            settle(resource, {
              status: 'dead',
              reason: `Scope: ${result.reason}`
            });
          else settleClassified(resource, classifyError(result.error));
        }
      }
      const prepared: Prepared[] = [];

      const prepare = (
        resource: KnownResource,
        node: Record<string, unknown>,
        fromPayload: boolean
      ) => {
        const mapped = mapScopeNode({
          node,
          kind: resource.kind,
          paths: paths[resource.kind],
          options: options.mapping,
          now: stamp
        });
        if (!mapped.ok) {
          settle(resource, {
            status: 'dead',
            reason: `cannot map node: ${mapped.reason}`
          });
          return;
        }
        if (mapped.warnings.length > 0)
          log?.warn(
            { resourceId: resource.id, warnings: mapped.warnings },
            'mapping warnings'
          );
        prepared.push({
          resource,
          fields: mapped.fields,
          reference: mapped.reference,
          fromPayload
        });
      };

      // 1. Nodes: from a complete custom-query payload, else one aliased fetch per resource.
      let toFetch: KnownResource[] = [];
      for (const resource of resources) {
        if (outcomes.has(resource.id) || !isKnown(resource)) continue;
        const payload = usePayloadNodes
          ? newestPayloadNode(
              resource,
              payloadFields[resource.kind],
              paths[resource.kind],
              typeNames,
              options.mapping,
              stamp
            )
          : undefined;
        if (payload) prepare(resource, payload, true);
        else toFetch.push(resource);
      }
      // A delivery's kind is only a hint (a topic header is unsigned): when Scope's __typename names
      // another handled kind, the node is fetched once more as that kind.
      for (let round = 0; round < 2 && toFetch.length > 0; round++) {
        const fetched = await fetchAll(options.scope, toFetch);
        const refetch: KnownResource[] = [];
        for (const resource of toFetch) {
          const result = fetched.get(resource.id);
          if (!result) {
            settle(resource, {
              status: 'retry',
              reason: 'Scope returned no result for this node'
            });
            continue;
          }
          switch (result.status) {
            case 'found':
              prepare(resource, result.node, false);
              break;
            case 'forbidden':
              settle(resource, {
                status: 'dead',
                reason: `Scope: ${result.reason}`
              });
              break;
            case 'not-found':
              settleNotFound(resource);
              break;
            case 'wrong-type': {
              const fetchedAs = resource.kind;
              settleTypename(resource, result.typename);
              if (outcomes.has(resource.id)) break;
              if (round === 0 && resource.kind !== fetchedAs)
                refetch.push(resource);
              else
                settle(resource, {
                  status: 'dead',
                  reason: `Scope node is a ${result.typename}, which its fetch as ${fetchedAs} did not return`
                });
              break;
            }
            case 'failed':
              settleClassified(resource, classifyError(result.error));
              break;
          }
        }
        toFetch = refetch;
      }
      if (prepared.length === 0) return finish(resources, outcomes);

      // 2. Work orders: one SOQL query for every key in the batch (split only around a bad key).
      const resolution = await resolveWorkOrderIndex(
        options.salesforce,
        prepared,
        log
      );
      for (const { item, classification } of resolution.failed)
        settleClassified(item.resource, classification);
      const index = resolution.index;
      const unresolvable = new Set(resolution.failed.map((f) => f.item));
      const resolvable = prepared.filter((p) => !unresolvable.has(p));
      if (resolvable.length === 0) return finish(resources, outcomes);

      // 3. Out-of-order protection for payload nodes (fetched nodes are Scope's current state by definition).
      let writable = resolvable;
      const fromPayload = resolvable.filter((p) => p.fromPayload);
      if (fromPayload.length > 0) {
        try {
          const stored = await options.salesforce.readUpdatedAt(
            fromPayload.map((p) => p.fields.Scope_Id__c)
          );
          writable = resolvable.filter((p) => {
            if (!p.fromPayload) return true;
            const existing = stored.get(p.fields.Scope_Id__c);
            const ours = p.fields.Scope_Updated_At__c;
            if (existing && ours && Date.parse(existing) > Date.parse(ours)) {
              settle(p.resource, {
                status: 'skipped',
                reason: `Salesforce already holds a newer state (${existing} > ${ours})`
              });
              return false;
            }
            return true;
          });
        } catch (error) {
          const c = classifyError(error);
          for (const p of fromPayload) settleClassified(p.resource, c);
          writable = resolvable.filter((p) => !p.fromPayload);
        }
      }

      // 4. Upsert in Collections calls; a rejected externalData Case id falls back to the work order's Case.
      await upsert(
        writable,
        (p) => buildSessionRecord(p.fields, resolveLink(p.reference, index)),
        true
      );
      return finish(resources, outcomes);

      async function upsert(
        items: Prepared[],
        build: (p: Prepared) => SessionRecord,
        allowCaseFallback: boolean
      ) {
        if (items.length === 0) return;
        let results: UpsertResult[];
        try {
          results = await options.salesforce.upsertSessions(items.map(build));
        } catch (error) {
          const c = classifyError(error);
          for (const p of items) settleClassified(p.resource, c);
          return;
        }
        const fallback: Prepared[] = [];
        items.forEach((p, i) => {
          const result = results[i];
          if (!result) {
            settle(p.resource, {
              status: 'retry',
              reason: 'Salesforce returned no result for this record'
            });
          } else if (result.success) {
            settle(p.resource, {
              status: 'written',
              ...(result.id ? { salesforceId: result.id } : {})
            });
          } else if (
            allowCaseFallback &&
            p.reference.caseId &&
            result.errors.some(
              (e) =>
                CASE_REJECTED_CODES.has(e.statusCode) &&
                (e.fields.length === 0 || e.fields.includes('Case__c'))
            )
          ) {
            log?.warn(
              { resourceId: p.resource.id, errors: result.errors },
              'externalData case id rejected: using the work order case'
            );
            fallback.push(p);
          } else {
            settleClassified(p.resource, classifyRecordErrors(result.errors));
          }
        });
        await upsert(
          fallback,
          (p) =>
            buildSessionRecord(
              p.fields,
              resolveLink(p.reference, index, false)
            ),
          false
        );
      }
    }
  };
}

interface WorkOrderResolution {
  index: WorkOrderIndex;
  /** Sessions that cannot be written now: the lookup failed for a reason that is not their key. */
  failed: { item: Prepared; classification: Classification }[];
}

function workOrderKeys(items: readonly Prepared[]) {
  const ids = new Set<string>();
  const numbers = new Set<string>();
  for (const p of items)
    for (const c of p.reference.candidates)
      (c.by === 'id' ? ids : numbers).add(c.value);
  return { ids: [...ids], numbers: [...numbers] };
}

const isKeyCaused = (error: unknown) =>
  isUriTooLong(error) ||
  (error instanceof SalesforceApiError &&
    KEY_CAUSED_QUERY_CODES.has(error.errorCode));

/**
 * One lookup for the whole batch. When Salesforce refuses it because of a value in it, the batch is
 * halved until the session whose key is refused stands alone: that session resolves to no work order
 * (written Unmatched with its raw key), the others are linked as usual. Any other failure applies to the
 * group it happened in (retried or dead-lettered as classified).
 */
async function resolveWorkOrderIndex(
  salesforce: Pick<SalesforceClient, 'resolveWorkOrders'>,
  prepared: readonly Prepared[],
  log: BatchProcessorOptions['logger']
): Promise<WorkOrderResolution> {
  const rows: WorkOrderRow[] = [];
  const failed: WorkOrderResolution['failed'] = [];
  const resolve = async (items: readonly Prepared[]): Promise<void> => {
    const keys = workOrderKeys(items);
    if (keys.ids.length === 0 && keys.numbers.length === 0) return;
    try {
      rows.push(...(await salesforce.resolveWorkOrders(keys)));
    } catch (error) {
      if (!isKeyCaused(error)) {
        const classification = classifyError(error);
        for (const item of items) failed.push({ item, classification });
        return;
      }
      if (items.length === 1) {
        log?.warn(
          {
            resourceId: items[0]?.resource.id,
            error: (error as Error).message
          },
          'Salesforce refused the work order lookup for this key: written Unmatched'
        );
        return;
      }
      const half = Math.ceil(items.length / 2);
      await resolve(items.slice(0, half));
      await resolve(items.slice(half));
    }
  };
  await resolve(prepared);
  return { index: indexWorkOrders(rows), failed };
}

const isKnown = (resource: Resource): resource is KnownResource =>
  resource.kind !== undefined;

/**
 * One resource per id. Its kind comes from the newest event that names one (by receivedAt; on a tie
 * the earlier in the list, as the job runner lists deliveries newest first).
 */
function coalesce(events: readonly ResourceEvent[]): Resource[] {
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

async function lookUpTypes(
  scope: Partial<Pick<ScopeClient, 'execute'>>,
  resources: readonly Resource[]
): Promise<Map<string, NodeTypeResult>> {
  const ids = resources.map((r) => r.id);
  if (!scope.execute) {
    const error = new ScopeApiError(
      'no Scope client to ask for the node type of an unnamed delivery',
      { kind: 'network' }
    );
    return new Map(ids.map((id) => [id, { status: 'failed', error }]));
  }
  return lookUpNodeTypes({ execute: scope.execute.bind(scope) }, ids);
}

/**
 * A payload may replace the fetch only when every coalesced event carries a complete node (otherwise
 * some event promised a state the payloads do not show): then the newest by Scope_Updated_At__c wins.
 */
function newestPayloadNode(
  resource: KnownResource,
  requiredFields: readonly string[],
  fieldPaths: NodeFieldPaths,
  typeNames: Readonly<Record<ResourceKind, string>>,
  mapping: MappingOptions,
  stamp: Date
): Record<string, unknown> | undefined {
  let best: { node: Record<string, unknown>; at: number } | undefined;
  for (const event of resource.events) {
    const node = event.node;
    if (!node || !requiredFields.every((key) => Object.hasOwn(node, key)))
      return undefined;
    if (node.id !== undefined && node.id !== resource.id) return undefined;
    // only a node that names itself as the kind being processed (README: select id and __typename)
    if (
      typeof node.__typename !== 'string' ||
      kindOfTypename(node.__typename, typeNames) !== resource.kind
    )
      return undefined;
    const withId = { ...node, id: resource.id };
    const mapped = mapScopeNode({
      node: withId,
      kind: resource.kind,
      paths: fieldPaths,
      options: mapping,
      now: stamp
    });
    const updated =
      mapped.ok && mapped.fields.Scope_Updated_At__c
        ? Date.parse(mapped.fields.Scope_Updated_At__c)
        : -Infinity;
    if (!best || updated >= best.at) best = { node: withId, at: updated };
  }
  return best?.node;
}

async function fetchAll(
  scope: Pick<ScopeClient, 'fetchNodes'>,
  resources: readonly KnownResource[]
): Promise<Map<string, NodeResult>> {
  if (resources.length === 0) return new Map();
  const requests: NodeRequest[] = resources.map((r) => ({
    id: r.id,
    kind: r.kind
  }));
  try {
    return await scope.fetchNodes(requests);
  } catch (error) {
    const failure =
      error instanceof ScopeApiError
        ? error
        : new ScopeApiError(String(error), { kind: 'network', cause: error });
    return new Map(
      resources.map((r) => [
        r.id,
        { status: 'failed', error: failure } as NodeResult
      ])
    );
  }
}

/** One outcome per resource (the job runner counts them and maps them back to its jobs). */
function finish(
  resources: readonly Resource[],
  outcomes: Map<string, ProcessOutcome>
): ProcessOutcome[] {
  return resources.map(
    (r) =>
      outcomes.get(r.id) ?? {
        resourceId: r.id,
        status: 'retry' as const,
        reason: 'not processed'
      }
  );
}

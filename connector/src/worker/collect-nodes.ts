// Stage 2 of a batch: one mapped node per named resource, from a complete custom-query payload when
// every event carries one, else from one aliased Scope fetch for the rest of the batch.
import { mapScopeNode } from '../mapping/map-scope-node.ts';
import { mapSessionSteps } from '../mapping/map-session-steps.ts';
import type {
  NodeRequest,
  NodeResult,
  ScopeClient
} from '../scope/scope-client.ts';
import { ScopeApiError } from '../scope/scope-error.ts';
import type { Batch } from './batch.ts';
import { classifyError } from './classify-error.ts';
import { applyTypename } from './name-resources.ts';
import { newestPayloadNode } from './payload-node.ts';
import { isKnown } from './resources.ts';
import type { KnownResource, Prepared, Resource } from './resources.ts';

/** The resources whose node is mapped; every other one is settled in `batch.outcomes`. */
export async function collectNodes(
  batch: Batch,
  resources: readonly Resource[]
): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  const toFetch: KnownResource[] = [];
  const { settings } = batch;
  for (const resource of resources) {
    if (batch.outcomes.has(resource) || !isKnown(resource)) continue;
    const payload = settings.usePayloadNodes
      ? newestPayloadNode(resource, {
          requiredFields: settings.payloadFields[resource.kind],
          paths: settings.paths[resource.kind],
          typeNames: settings.typeNames,
          mapping: settings.mapping,
          stamp: batch.stamp
        })
      : undefined;
    if (payload) prepareNode(batch, prepared, resource, payload, true);
    else toFetch.push(resource);
  }
  await fetchNodes(batch, prepared, toFetch);
  return prepared;
}

/**
 * Scope's current state of resources first taken from payloads (check-stored-sessions.ts: a payload as
 * old as what Salesforce holds cannot say which state is newer); those Scope cannot give are settled.
 */
export async function refetchNodes(
  batch: Batch,
  resources: readonly KnownResource[]
): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  await fetchNodes(batch, prepared, [...resources]);
  return prepared;
}

/**
 * A delivery's kind is only a hint (a topic header is unsigned): when Scope's __typename names another
 * handled kind, the node is fetched once more as that kind.
 */
async function fetchNodes(
  batch: Batch,
  prepared: Prepared[],
  resources: KnownResource[]
): Promise<void> {
  let toFetch = resources;
  for (let round = 0; round < 2 && toFetch.length > 0; round++) {
    const fetched = await fetchAll(batch.settings.scope, toFetch);
    const refetch: KnownResource[] = [];
    for (const resource of toFetch) {
      const result = fetched.get(resource.id);
      if (!result) {
        batch.outcomes.settle(resource, {
          status: 'retry',
          reason: 'Scope returned no result for this node'
        });
      } else if (result.status === 'found') {
        prepareNode(batch, prepared, resource, result.node, false);
      } else if (result.status === 'wrong-type') {
        if (retypes(batch, resource, result.typename, round === 0))
          refetch.push(resource);
      } else settleFailedFetch(batch, resource, result);
    }
    toFetch = refetch;
  }
}

/** Whether a node Scope says is of another type is worth fetching again as that type. */
function retypes(
  batch: Batch,
  resource: KnownResource,
  typename: string,
  firstRound: boolean
): boolean {
  const fetchedAs = resource.kind;
  applyTypename(batch, resource, typename);
  if (batch.outcomes.has(resource)) return false;
  if (firstRound && resource.kind !== fetchedAs) return true;
  batch.outcomes.settle(resource, {
    status: 'dead',
    reason: `Scope node is a ${typename}, which its fetch as ${fetchedAs} did not return`
  });
  return false;
}

function settleFailedFetch(
  batch: Batch,
  resource: KnownResource,
  result: Exclude<NodeResult, { status: 'found' | 'wrong-type' }>
): void {
  switch (result.status) {
    case 'forbidden':
      batch.outcomes.settle(resource, {
        status: 'dead',
        reason: `Scope: ${result.reason}`
      });
      break;
    case 'not-found':
      batch.outcomes.settleNotFound(resource);
      break;
    case 'failed':
      batch.outcomes.settleClassified(resource, classifyError(result.error));
      break;
  }
}

/** Maps the node; a node that cannot be mapped is dead-lettered (refetching would not change it). */
function prepareNode(
  batch: Batch,
  prepared: Prepared[],
  resource: KnownResource,
  node: Record<string, unknown>,
  fromPayload: boolean
): void {
  const mapped = mapScopeNode({
    node,
    kind: resource.kind,
    paths: batch.settings.paths[resource.kind],
    options: batch.settings.mapping,
    now: batch.stamp
  });
  if (!mapped.ok) {
    batch.outcomes.settle(resource, {
      status: 'dead',
      reason: `cannot map node: ${mapped.reason}`
    });
    return;
  }
  if (mapped.warnings.length > 0)
    batch.settings.log?.warn(
      { resourceId: resource.id, warnings: mapped.warnings },
      'mapping warnings'
    );
  const steps =
    resource.kind === 'ScenarioSession'
      ? mapSessionSteps(node, mapped.fields)
      : undefined;
  prepared.push({
    resource,
    fields: mapped.fields,
    reference: mapped.reference,
    fromPayload,
    ...(steps ? { steps } : {})
  });
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

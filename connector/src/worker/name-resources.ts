// Stage 1 of a batch: decide what each resource is. Kinds the connector does not handle are skipped;
// resources no event named are looked up in Scope (__typename), which also answers ones Scope lacks.
import { classifyError } from './classify-error.ts';
import {
  kindOfTypename,
  lookUpNodeTypes
} from '../scope/look-up-node-types.ts';
import type { NodeTypeResult } from '../scope/look-up-node-types.ts';
import { ScopeApiError } from '../scope/scope-error.ts';
import type { Batch } from './batch.ts';
import type { ProcessorSettings } from './processor-settings.ts';
import { HANDLED_KINDS } from './resources.ts';
import type { Resource } from './resources.ts';

/** Settles the resources whose kind is unhandled or unknowable; the others leave with a kind. */
export async function nameResources(
  batch: Batch,
  resources: readonly Resource[]
): Promise<void> {
  // Receiving only enqueues handled kinds; anything else is answered, never dropped silently.
  for (const resource of resources) {
    if (resource.kind && !HANDLED_KINDS.includes(resource.kind)) {
      batch.outcomes.settle(resource, {
        status: 'skipped',
        reason: `resource type ${String(resource.kind)} is not handled`
      });
    }
  }
  const unnamed = resources.filter((r) => !r.kind && !batch.outcomes.has(r));
  if (unnamed.length === 0) return;
  const types = await lookUpTypes(batch.settings.scope, unnamed);
  for (const resource of unnamed) {
    const result = types.get(resource.id);
    if (!result || result.status === 'not-found')
      batch.outcomes.settleNotFound(resource);
    else if (result.status === 'found')
      applyTypename(batch, resource, result.typename);
    else if (result.status === 'forbidden')
      batch.outcomes.settle(resource, {
        status: 'dead',
        reason: `Scope: ${result.reason}`
      });
    else batch.outcomes.settleClassified(resource, classifyError(result.error));
  }
}

/** Scope's __typename decides the kind; a type the connector does not handle is skipped. */
export function applyTypename(
  batch: Batch,
  resource: Resource,
  typename: string
): void {
  const kind = kindOfTypename(typename, batch.settings.typeNames);
  if (kind) resource.kind = kind;
  else
    batch.outcomes.settle(resource, {
      status: 'skipped',
      reason: `Scope node is a ${typename}, not a handled type`
    });
}

async function lookUpTypes(
  scope: ProcessorSettings['scope'],
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

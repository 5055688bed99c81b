// The typename lookup against the Scope sandbox's GraphQL: what a node is, when no delivery said.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  buildNodeTypeQuery,
  kindOfTypename,
  lookUpNodeTypes
} from '../../../connector/src/scope/look-up-node-types.ts';
import { startHarness } from './helpers/sandboxes.ts';
import type { Harness } from './helpers/sandboxes.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

describe('lookUpNodeTypes', () => {
  it("answers each id's __typename, not-found and forbidden in one request", async () => {
    const session = await h.scope.open(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100'
    );
    const call = await h.scope.open(
      'worklink://resource?action=fetch_user&user=501'
    );
    const foreign = await h.scope.open(
      'worklink://resource?action=fetch_catalog&asset=OC-1',
      { company: 'othercorp' }
    );
    const unknown = 'Z2lkOi8vc2NvcGUvU2NlbmFyaW9TZXNzaW9uLzk5OTk5';
    await h.clearCounters();
    const types = await lookUpNodeTypes(h.scopeClient, [
      session.id,
      call.id,
      foreign.id,
      unknown,
      session.id
    ]);
    assert.deepEqual(types.get(session.id), {
      status: 'found',
      typename: 'ScenarioSession'
    });
    assert.deepEqual(types.get(call.id), { status: 'found', typename: 'Call' });
    assert.equal(types.get(foreign.id)?.status, 'forbidden');
    assert.deepEqual(types.get(unknown), { status: 'not-found' });
    assert.equal(h.scope.stats().graphqlRequests, 1);
  });

  it('passes ids as variables only', () => {
    const hostile = '") { __schema { types { name } } } #';
    const { query, variables } = buildNodeTypeQuery([hostile]);
    assert.ok(!query.includes(hostile));
    assert.deepEqual(variables, { id0: hostile });
  });

  it('maps only the configured type names to kinds', () => {
    const names = { ScenarioSession: 'ScenarioSession', Call: 'RemoteCall' };
    assert.equal(kindOfTypename('RemoteCall', names), 'Call');
    assert.equal(kindOfTypename('Call', names), undefined);
    assert.equal(kindOfTypename('Scenario', names), undefined);
  });
});

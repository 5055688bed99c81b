// Two things the sync must agree on with the webhook path: the Call type's name (undocumented, so
// configured or discovered) and what "updated" means, with and without `updatedAt` in the schema.
import { salesforceSeconds } from '../../../connector/src/salesforce/date-time.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScopeSandboxOptions } from '../../../sandboxes/scope/index.ts';
import { createScopeClient } from '../../../connector/src/scope/index.ts';
import { startSyncHarness } from './helpers/sync-harness.ts';
import type { SyncHarness } from './helpers/sync-harness.ts';

async function withHarness(
  scope: ScopeSandboxOptions,
  run: (h: SyncHarness) => Promise<void>
): Promise<void> {
  const h = await startSyncHarness({ scope });
  try {
    await run(h);
  } finally {
    await h.close();
  }
}

const RENAMED = {
  callTypeName: 'RemoteAssistanceCall',
  callsRootField: 'remoteAssistanceCalls'
};

describe('sync with a renamed Call type', { timeout: 120_000 }, () => {
  it('imports calls under the discovered names, and under the configured ones', async () => {
    await withHarness(
      {
        seed: { historicalSessions: 3, historicalCalls: 6 },
        schema: RENAMED
      },
      async (h) => {
        const discovered = await h.pass();
        assert.equal(discovered.outcome, 'succeeded', discovered.error);
        assert.deepEqual(discovered.errors, []);
        assert.equal(discovered.calls.seen, 6);
        assert.equal(await h.count('calls'), 6);

        const configured = await h.pass({
          mode: 'full',
          scope: createScopeClient({
            baseUrl: h.scope.url,
            auth: {
              kind: 'token',
              token: 'sandbox-company-token',
              scheme: 'token'
            },
            permalink: 'sandbox',
            callTypeName: 'RemoteAssistanceCall',
            callsRootField: 'remoteAssistanceCalls'
          })
        });
        assert.equal(configured.outcome, 'succeeded', configured.error);
        assert.equal(configured.calls.seen, 6);
      }
    );
  });

  it('reports, not crashes, when the tenant has no Call type it can find', async () => {
    await withHarness(
      {
        seed: { historicalSessions: 3, historicalCalls: 2 },
        schema: { callTypeName: 'ExpertConnection' }
      },
      async (h) => {
        const summary = await h.pass();
        assert.equal(summary.outcome, 'succeeded', summary.error);
        assert.equal(summary.sessions.seen, 3);
        assert.equal(summary.calls.seen, 0);
        assert.ok(
          summary.errors.some((e) => /no Call type/.test(e)),
          summary.errors.join(' | ')
        );
      }
    );
  });
});

/** The sync's own Scope client, as `connector sync` builds one (createSyncScopeClient): not the worker's. */
function syncClient(h: SyncHarness) {
  return createScopeClient({
    baseUrl: h.scope.url,
    auth: { kind: 'token', token: 'sandbox-company-token', scheme: 'token' },
    permalink: 'sandbox'
  });
}

/**
 * A session the webhook path wrote, then changed in Scope with its webhook lost: the next pass must
 * see Salesforce's copy as stale and repair it.
 */
async function staleSessionIsRepaired(h: SyncHarness): Promise<void> {
  const opened = await h.scope.open(
    'worklink://resource?action=fetch_catalog&asset=HVAC-7&work_order_number=00000101'
  );
  for (let step = 0; step < 4; step += 1) await h.scope.advance();
  await h.processor.process([
    {
      resourceId: opened.id,
      resourceType: 'ScenarioSession',
      event: 'completed',
      deliveryId: 'delivery-1',
      receivedAt: new Date().toISOString()
    }
  ]);
  const first = await h.pass({ scope: syncClient(h) });
  assert.equal(first.reconcile.repaired, 0, 'nothing stale yet');

  // Some time passes, then Scope changes the session and the webhook is lost.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const touched = await fetch(
    `${h.scope.url}/sandbox/sessions/${opened.databaseId}/touch`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"notify":false}'
    }
  );
  assert.equal(touched.status, 200);
  const second = await h.pass({ scope: syncClient(h) });
  assert.equal(second.outcome, 'succeeded', second.error);
  assert.equal(second.reconcile.repaired, 1, JSON.stringify(second.reconcile));
  assert.equal(second.reconcile.skipped, 0);

  const node = (
    await h.scopeClient.fetchNodes([{ id: opened.id, kind: 'ScenarioSession' }])
  ).get(opened.id);
  assert.equal(node?.status, 'found');
  const scopeNode = node?.status === 'found' ? node.node : {};
  const record = (await h.salesforceSessions()).find(
    (r) => r.Scope_Id__c === opened.id
  );
  assert.equal(record?.Duration_Seconds__c, scopeNode.duration);
  assert.equal(record?.Idle_Duration_Seconds__c, scopeNode.idleDuration);
  const rows = await h.pool.query<{ scope_updated_at: Date }>(
    'SELECT scope_updated_at FROM analytics.scenario_sessions WHERE session_id = $1',
    [opened.id]
  );
  // Salesforce keeps dateTime fields to the second; PostgreSQL keeps the milliseconds
  assert.equal(
    salesforceSeconds(String(record?.Scope_Updated_At__c)),
    Math.floor((rows.rows[0]?.scope_updated_at.getTime() ?? NaN) / 1000),
    'Salesforce and the analytics store agree on "updated"'
  );
  if ('updatedAt' in scopeNode)
    assert.equal(
      salesforceSeconds(String(record?.Scope_Updated_At__c)),
      salesforceSeconds(String(scopeNode.updatedAt))
    );
}

describe('reconciliation and "updated"', { timeout: 120_000 }, () => {
  it('repairs a stale record on a tenant whose schema has updatedAt', async () => {
    await withHarness(
      {
        seed: { historicalSessions: 0, historicalCalls: 0 },
        schema: { exposeUpdatedAt: true }
      },
      staleSessionIsRepaired
    );
  });

  it('repairs a stale record on a tenant without updatedAt', async () => {
    await withHarness(
      { seed: { historicalSessions: 0, historicalCalls: 0 } },
      staleSessionIsRepaired
    );
  });
});

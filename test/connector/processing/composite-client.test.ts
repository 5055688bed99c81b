// The Salesforce client's Composite call against the Salesforce sandbox: one API call in the org's
// allowance (Sforce-Limit-Info) and in the connector's own budget, whatever its subrequests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { sandboxSalesforceClient } from '../../support/sandbox-salesforce-client.ts';
import type { SalesforceClient } from '../../../connector/src/salesforce/index.ts';
import { createApiBudget } from '../../../connector/src/salesforce/api-budget.ts';

let sf: SalesforceSandbox;
let client: SalesforceClient;
const budget = createApiBudget({
  setting: { kind: 'calls', perDay: 100_000 },
  windowSeconds: 3600,
  orgYieldAt: 0.99
});
const settle = () => new Promise((resolve) => setImmediate(resolve));

before(async () => {
  sf = await startSalesforceSandbox({ port: 0 });
  client = sandboxSalesforceClient(sf, { budget });
  await client.ping();
});
after(() => sf?.close());

const SCOPE_ID = 'Z2lkOi8vc2NvcGUvU2NlbmFyaW9TZXNzaW9uLzQy+/=_-';
const step = (n: number) => ({
  Step_Key__c: `${SCOPE_ID}|step-${n}`,
  Step_Name__c: `Étape ${n} — vérifier le joint 密封 ${'✓'.repeat(40)}`,
  Step_Order__c: n,
  Sequence_Name__c: 'Séquence A',
  Viewed_At__c: '2026-12-03T08:00:00.000Z',
  Completed_At__c: null,
  Photos__c: 0,
  sessionScopeId: SCOPE_ID
});

describe('SalesforceClient.composite', () => {
  it('upserts 200 sessions and 800 of their steps in ONE call: one in the org usage and in the budget', async () => {
    const sessions = Array.from({ length: 200 }, (_, i) => ({
      Scope_Id__c: i === 0 ? SCOPE_ID : `${SCOPE_ID}-${i}`,
      Kind__c: 'Scenario Session'
    }));
    const steps = Array.from({ length: 800 }, (_, i) => step(i + 1));
    const before = client.apiUsage()?.used ?? 0;
    const spentBefore = (await budget.check()).spent24h;
    const answer = await client.upsertSessionsWithSteps(
      sessions as never,
      steps
    );
    await settle();
    assert.equal(answer.sessions.length, 200);
    assert.ok(answer.sessions.every((r) => r.success && r.created));
    assert.ok(Array.isArray(answer.steps));
    assert.equal(answer.steps.length, 800);
    assert.ok(answer.steps.every((r) => r.success));
    assert.equal(client.apiUsage()?.used, before + 1, 'Sforce-Limit-Info');
    assert.equal((await budget.check()).spent24h, spentBefore + 1, 'budget');
  });

  it('refuses more than one composite carries before sending anything', async () => {
    const before = client.apiUsage()?.used ?? 0;
    await assert.rejects(
      client.upsertSessionsWithSteps(
        [],
        [...Array(801)].map((_, i) => step(i))
      ),
      /≤ 800 steps/
    );
    assert.equal(client.apiUsage()?.used, before);
  });

  it('a steps subrequest Salesforce refuses as a whole is reported, the sessions still answered', async () => {
    const answer = await client.upsertSessionsWithSteps(
      [{ Scope_Id__c: `${SCOPE_ID}-x`, Kind__c: 'Scenario Session' } as never],
      [{ ...step(1), Step_Name__c: 'x', No_Such_Field__c: 1 } as never]
    );
    assert.equal(answer.sessions[0]?.success, true);
    assert.ok(!Array.isArray(answer.steps));
    assert.equal(
      (answer.steps as { errorCode: string }).errorCode,
      'INVALID_FIELD'
    );
  });

  it('writes steps beyond what the session calls carried 1,000 per call instead of 200', async () => {
    const [parent] = await client.upsertSessions([
      { Scope_Id__c: `${SCOPE_ID}-many`, Kind__c: 'Scenario Session' } as never
    ]);
    const records = Array.from({ length: 1001 }, (_, i) => {
      const { sessionScopeId: _s, ...mapped } = step(i + 1);
      return {
        ...mapped,
        Step_Key__c: `${SCOPE_ID}-many|${i + 1}`,
        Scope_AR_Session__c: String(parent?.id)
      };
    });
    const before = client.apiUsage()?.used ?? 0;
    const results = await client.upsertStepsInComposites(records);
    assert.equal(results.length, 1001);
    assert.ok(results.every((r) => r.success && r.created));
    assert.deepEqual(
      results.slice(998).map((r) => r.scopeId),
      records.slice(998).map((r) => r.Step_Key__c)
    );
    assert.equal(client.apiUsage()?.used, before + 2, '⌈1001 / 1000⌉ calls');
    const small = await client.upsertStepsInComposites(records.slice(0, 3));
    assert.ok(small.every((r) => r.success && r.created === false));
    assert.equal(client.apiUsage()?.used, before + 3, 'one Collections call');
  });

  it('answers each raw subrequest in order', async () => {
    const answers = await client.composite('probe', [
      { method: 'GET', url: '/limits', referenceId: 'limits' },
      {
        method: 'GET',
        url: `/sobjects/Scope_AR_Session__c/Scope_Id__c/${encodeURIComponent(SCOPE_ID)}`,
        referenceId: 'session'
      }
    ]);
    assert.deepEqual(
      answers.map((a) => [a.referenceId, a.httpStatusCode]),
      [
        ['limits', 200],
        ['session', 200]
      ]
    );
    assert.equal(
      (answers[1]?.body as { Scope_Id__c: string }).Scope_Id__c,
      SCOPE_ID
    );
  });
});

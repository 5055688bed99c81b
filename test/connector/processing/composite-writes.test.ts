// SF_COMPOSITE through both sandboxes: a batch's session upsert and its steps' upsert go in one Composite
// call, counted once, with the same outcomes, fallbacks and records as the two separate calls.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { STEP_OBJECT } from '../../../connector/src/mapping/step-record.ts';
import {
  collectionsUpserts,
  eventFor,
  launchLink,
  runToCompletion,
  startHarness
} from './helpers/sandboxes.ts';
import type { Harness, SalesforceLogEntry } from './helpers/sandboxes.ts';

let composite: Harness;
let separate: Harness;
before(async () => {
  [composite, separate] = await Promise.all([
    startHarness(),
    startHarness({ composite: false })
  ]);
});
after(async () => {
  await composite?.close();
  await separate?.close();
});
beforeEach(async () => {
  for (const h of [composite, separate]) {
    await h.salesforceFaults({ lockRowIds: [], lockRowRate: 0 });
    await h.reset();
  }
});

/** Salesforce calls but the token requests and queries: the writes. */
const writes = async (h: Harness): Promise<SalesforceLogEntry[]> =>
  (await h.salesforceRequests()).filter(
    (r) => !r.path.endsWith('/oauth2/token') && !r.path.endsWith('/query')
  );
const records = async (h: Harness, sobject: string) =>
  (await (
    await fetch(`${h.salesforce.url}/sandbox/records/${sobject}`)
  ).json()) as Record<string, unknown>[];
/** What a step record says, without the Ids that differ between the two orgs. */
const stepView = async (h: Harness) =>
  (await records(h, STEP_OBJECT))
    .map((r) => [r.Step_Key__c, r.Step_Name__c, r.Step_Order__c, r.Photos__c])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** The same sessions opened in both harnesses' Scope (their sandboxes are seeded alike). */
async function openBoth(links: string[]) {
  const opened: { id: string; resourceType: 'ScenarioSession' }[][] = [[], []];
  for (const [i, h] of [composite, separate].entries()) {
    for (const link of links)
      opened[i]?.push(
        (await h.scope.open(link)) as {
          id: string;
          resourceType: 'ScenarioSession';
        }
      );
    await runToCompletion(h.scope);
  }
  return opened as [(typeof opened)[0], (typeof opened)[0]];
}

describe('sessions and their steps in one Composite call', () => {
  it('new sessions with steps cost one call instead of two, with the same outcomes and records', async () => {
    const links = [
      launchLink({ asset: 'PUMP-100', work_order_number: '00000101' }),
      launchLink({ asset: 'HVAC-7', work_order_number: '00000102' }),
      launchLink({ asset: 'GEN-3000', work_order_number: 'ÆØÅ-ünknown+/=' })
    ];
    const [inComposite, inSeparate] = await openBoth(links);
    const outcomes = await composite.processor.process(
      inComposite.map((o) => eventFor(o))
    );
    const baseline = await separate.processor.process(
      inSeparate.map((o) => eventFor(o))
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['written', 'written', 'written']
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      baseline.map((o) => o.status)
    );
    const calls = await writes(composite);
    assert.deepEqual(
      calls.map((r) => [r.method, r.path.replace(/^.*\/v\d+\.\d+/, '')]),
      [['POST', '/composite']],
      'one call for the sessions and their steps'
    );
    assert.equal(calls[0]?.subrequests?.length, 2);
    assert.equal((await writes(separate)).length, 2, 'two without it');
    const steps = await stepView(composite);
    assert.ok(steps.length >= 3, 'each session viewed steps');
    assert.deepEqual(steps, await stepView(separate));
    const sessions = await records(composite, 'Scope_AR_Session__c');
    const stepRows = await records(composite, STEP_OBJECT);
    for (const step of stepRows) {
      const parent = sessions.find((s) => s.Id === step.Scope_AR_Session__c);
      assert.ok(
        parent &&
          String(step.Step_Key__c).startsWith(`${String(parent.Scope_Id__c)}|`),
        `${String(step.Step_Key__c)} is under its own session`
      );
    }
  });

  it('a replay rewrites the sessions in one call and carries no unchanged step', async () => {
    const [opened] = await openBoth([
      launchLink({ asset: 'PUMP-100', work_order_number: '00000101' })
    ]);
    await composite.processor.process(opened.map((o) => eventFor(o)));
    const before = await records(composite, STEP_OBJECT);
    await composite.clearCounters();
    const [again] = await composite.processor.process(
      opened.map((o) => eventFor(o))
    );
    assert.equal(again?.status, 'written');
    const calls = await writes(composite);
    assert.equal(calls.length, 1, 'no extra call');
    assert.deepEqual(
      calls[0]?.subrequests?.map((s) => s.path.replace(/^.*\/v\d+\.\d+/, '')),
      ['/composite/sobjects/Scope_AR_Session__c/Scope_Id__c']
    );
    assert.deepEqual(
      (await records(composite, STEP_OBJECT)).map((r) => r.Id).sort(),
      before.map((r) => r.Id).sort()
    );
  });

  it('a session whose Case Salesforce refuses gets the same fallback, and its steps land after it', async () => {
    // A well-formed Case Id that names no record: the first write is refused, the fallback uses the work order's links.
    const links = [
      launchLink({
        asset: 'PUMP-100',
        work_order_number: '00000101',
        case_id: '500000000000001AAA'
      })
    ];
    const [inComposite, inSeparate] = await openBoth(links);
    const [outcome] = await composite.processor.process(
      inComposite.map((o) => eventFor(o))
    );
    const [baseline] = await separate.processor.process(
      inSeparate.map((o) => eventFor(o))
    );
    assert.equal(outcome?.status, 'written', outcome?.reason);
    assert.equal(baseline?.status, 'written');
    const [session] = await records(composite, 'Scope_AR_Session__c');
    const [baselineSession] = await records(separate, 'Scope_AR_Session__c');
    assert.equal(session?.Link_Status__c, baselineSession?.Link_Status__c);
    assert.equal(session?.Case__c === null, baselineSession?.Case__c === null);
    const log = await writes(composite);
    const sessionWrites = collectionsUpserts(log, 'Scope_AR_Session__c');
    assert.deepEqual(
      sessionWrites.map((w) => w.status),
      [200, 200],
      'refused per record, then the fallback'
    );
    assert.equal(log.length, 2, 'two Composite calls, no separate steps call');
    const stepRows = await records(composite, STEP_OBJECT);
    assert.ok(stepRows.length > 0);
    assert.ok(stepRows.every((r) => r.Scope_AR_Session__c === session?.Id));
    assert.deepEqual(await stepView(composite), await stepView(separate));
  });

  it('a session Salesforce cannot lock is retried as before; its steps land with the retry', async () => {
    const [opened] = await openBoth([
      launchLink({ asset: 'HVAC-7', work_order_number: '00000102' })
    ]);
    const scopeId = opened[0]?.id ?? '';
    await composite.salesforceFaults({ lockRowIds: [scopeId] });
    const [locked] = await composite.processor.process(
      opened.map((o) => eventFor(o))
    );
    assert.equal(locked?.status, 'retry', locked?.reason);
    assert.match(locked?.reason ?? '', /UNABLE_TO_LOCK_ROW/);
    assert.deepEqual(await records(composite, STEP_OBJECT), []);
    await composite.salesforceFaults({ lockRowIds: [] });
    const [retried] = await composite.processor.process(
      opened.map((o) => eventFor(o))
    );
    assert.equal(retried?.status, 'written');
    const [session] = await records(composite, 'Scope_AR_Session__c');
    const stepRows = await records(composite, STEP_OBJECT);
    assert.ok(stepRows.length > 0);
    assert.ok(stepRows.every((r) => r.Scope_AR_Session__c === session?.Id));
  });
});

// The setup check on an injected clock and field checker: what it reports, how often it asks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SETUP_CHECK_INTERVAL_MS,
  SETUP_RECHECK_PROBLEMS_MS,
  createSetupCheck
} from '../../../connector/src/health/setup-check.ts';
import type { FieldCheck } from '../../../connector/src/salesforce/check-writable-fields.ts';
import { SalesforceApiError } from '../../../connector/src/salesforce/salesforce-error.ts';

function harness(answers: Record<string, FieldCheck[] | Error>) {
  let clock = Date.parse('2026-12-03T09:00:00Z');
  const asked: string[] = [];
  const check = createSetupCheck({
    targets: [
      { sobject: 'Scope_AR_Session__c', fields: ['Work_Order__c', 'Name'] },
      { sobject: 'WorkLink_Connector_Status__c', fields: ['Queue_Depth__c'] }
    ],
    checkFields: async (_fields, sobject) => {
      asked.push(sobject);
      const answer = answers[sobject] ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    },
    now: () => clock
  });
  return { check, asked, advance: (ms: number) => (clock += ms) };
}

describe('setup check', () => {
  it('reports no problem when every field is writable, stamped with the time of the check', async () => {
    const h = harness({});
    const state = await h.check.current();
    assert.deepEqual(state.problems, []);
    assert.equal(state.checkedAt.toISOString(), '2026-12-03T09:00:00.000Z');
    assert.deepEqual(h.asked, [
      'Scope_AR_Session__c',
      'WorkLink_Connector_Status__c'
    ]);
  });

  it('names each field with its object and problem', async () => {
    const h = harness({
      Scope_AR_Session__c: [
        { field: 'Work_Order__c', problem: 'not-updateable' },
        { field: 'Name', problem: 'missing' }
      ]
    });
    assert.deepEqual((await h.check.current()).problems, [
      'Scope_AR_Session__c.Work_Order__c: not-updateable',
      'Scope_AR_Session__c.Name: missing'
    ]);
  });

  it('a failed describe is a problem naming the error code, not its message, and the other object is still checked', async () => {
    const h = harness({
      Scope_AR_Session__c: new SalesforceApiError(
        'describe: secret-looking body',
        { errorCode: 'INVALID_TYPE', status: 404 }
      )
    });
    const { problems } = await h.check.current();
    assert.deepEqual(problems, [
      'Scope_AR_Session__c: could not describe (INVALID_TYPE)'
    ]);
    assert.equal(h.asked.length, 2);
  });

  it('asks Salesforce again only once the interval has passed', async () => {
    const h = harness({});
    const first = await h.check.current();
    h.advance(SETUP_CHECK_INTERVAL_MS - 1);
    assert.equal(await h.check.current(), first, 'the cached result');
    assert.equal(h.asked.length, 2);
    h.advance(1);
    const second = await h.check.current();
    assert.equal(h.asked.length, 4);
    assert.ok(second.checkedAt > first.checkedAt);
  });

  it('while a problem lasts it asks again hourly, so that a fix shows soon', async () => {
    const answers: Record<string, FieldCheck[]> = {
      Scope_AR_Session__c: [{ field: 'Case__c', problem: 'missing' }]
    };
    const h = harness(answers);
    assert.equal((await h.check.current()).problems.length, 1);
    h.advance(SETUP_RECHECK_PROBLEMS_MS - 1);
    await h.check.current();
    assert.equal(h.asked.length, 2, 'not yet');
    answers.Scope_AR_Session__c = [];
    h.advance(1);
    assert.deepEqual((await h.check.current()).problems, []);
    h.advance(SETUP_RECHECK_PROBLEMS_MS);
    await h.check.current();
    assert.equal(
      h.asked.length,
      4,
      'all well again: back to the long interval'
    );
  });
});

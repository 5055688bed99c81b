import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SalesforceApiError } from '../../../connector/src/salesforce/salesforce-error.ts';
import { ScopeApiError } from '../../../connector/src/scope/scope-error.ts';
import {
  classifyError,
  classifyRecordErrors
} from '../../../connector/src/worker/classify-error.ts';

const sf = (errorCode: string, status?: number) =>
  new SalesforceApiError('m', { errorCode, status });
const scope = (
  kind: ScopeApiError['kind'],
  status?: number,
  retryAfterSeconds?: number
) => new ScopeApiError('m', { kind, status, retryAfterSeconds });

describe('classifyError', () => {
  const table: [string, unknown, 'retry' | 'dead'][] = [
    ['Salesforce 503', sf('SERVER_UNAVAILABLE', 503), 'retry'],
    ['Salesforce HTML 502', sf('ERROR_HTTP_502'), 'retry'],
    ['Salesforce 500 unknown code', sf('SOMETHING', 500), 'retry'],
    ['Salesforce 429', sf('ERROR_HTTP_429', 429), 'retry'],
    ['UNABLE_TO_LOCK_ROW', sf('UNABLE_TO_LOCK_ROW', 400), 'retry'],
    ['REQUEST_LIMIT_EXCEEDED', sf('REQUEST_LIMIT_EXCEEDED', 403), 'retry'],
    [
      'INVALID_SESSION_ID after re-auth',
      sf('INVALID_SESSION_ID', 401),
      'retry'
    ],
    ['network', sf('NETWORK_ERROR'), 'retry'],
    ['validation', sf('FIELD_CUSTOM_VALIDATION_EXCEPTION', 400), 'dead'],
    ['malformed query', sf('MALFORMED_QUERY', 400), 'dead'],
    ['missing field', sf('INVALID_FIELD', 400), 'dead'],
    ['Scope network', scope('network'), 'retry'],
    ['Scope 500', scope('http', 500), 'retry'],
    ['Scope 429', scope('http', 429), 'retry'],
    ['Scope 401', scope('auth', 401), 'retry'],
    ['Scope 400', scope('http', 400), 'dead'],
    ['Scope schema rejected the query', scope('schema', 200), 'dead'],
    ['Scope internal GraphQL error', scope('graphql', 200), 'retry'],
    ['a plain bug', new TypeError('x is undefined'), 'retry']
  ];
  for (const [name, error, expected] of table) {
    it('marks only the connector’s own budget refusal as an uncounted attempt', () => {
      const budget = classifyError(sf('API_BUDGET_EXHAUSTED'));
      assert.equal(budget.kind, 'retry');
      assert.equal(budget.kind === 'retry' && budget.uncounted, true);
      const limit = classifyError(sf('REQUEST_LIMIT_EXCEEDED', 403));
      assert.equal(limit.kind === 'retry' && limit.uncounted, undefined);
    });

    it(`${name} → ${expected}`, () =>
      assert.equal(classifyError(error).kind, expected));
  }
  it('passes on Retry-After and suggests a wait for the daily limit', () => {
    assert.deepEqual(classifyError(scope('http', 429, 12)), {
      kind: 'retry',
      reason: 'm',
      retryAfterSeconds: 12
    });
    const limit = classifyError(sf('REQUEST_LIMIT_EXCEEDED', 403));
    assert.equal(
      limit.kind === 'retry' ? limit.retryAfterSeconds : undefined,
      300
    );
  });
});

describe('classifyRecordErrors', () => {
  it('retries a locked row and dead-letters a validation error with the reason', () => {
    assert.equal(
      classifyRecordErrors([
        { statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', fields: [] }
      ]).kind,
      'retry'
    );
    assert.deepEqual(
      classifyRecordErrors([
        {
          statusCode: 'STRING_TOO_LONG',
          message: 'State: data value too large',
          fields: ['State__c']
        }
      ]),
      {
        kind: 'dead',
        reason:
          'Salesforce STRING_TOO_LONG: State: data value too large [State__c]'
      }
    );
  });
});

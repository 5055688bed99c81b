// Sessions and their steps in one Composite call: the sessions' Collections upsert by Scope_Id__c, then
// the steps' by Step_Key__c, each step naming its session by external id (`Scope_AR_Session__r`), so
// it needs no Id from the first answer. allOrNone false everywhere: one result per record, as the two
// separate Collections calls answer.
import {
  SESSION_EXTERNAL_ID_FIELD,
  SESSION_OBJECT
} from '../mapping/session-record.ts';
import type { SessionRecord } from '../mapping/session-record.ts';
import { STEP_EXTERNAL_ID_FIELD, STEP_OBJECT } from '../mapping/step-record.ts';
import type { MappedStep } from '../mapping/step-record.ts';
import { COLLECTIONS_LIMIT, toUpsertResult } from './collections-upsert.ts';
import type { SaveResult, UpsertResult } from './collections-upsert.ts';
import {
  COMPOSITE_COLLECTIONS_LIMIT,
  sendComposite,
  subrequestError
} from './composite-request.ts';
import type {
  CompositeAnswer,
  CompositeSubrequest
} from './composite-request.ts';
import { SalesforceApiError } from './salesforce-error.ts';
import type { SalesforceHttp } from './salesforce-http.ts';

/** A step to write with its session: the session's Scope_Id__c instead of its Id. */
export interface StepOfSession extends MappedStep {
  sessionScopeId: string;
}

/** Steps one composite carries with its ≤ 200 sessions: the other Collections subrequests' worth. */
export const COMPOSITE_STEP_LIMIT =
  (COMPOSITE_COLLECTIONS_LIMIT - 1) * COLLECTIONS_LIMIT;

export interface SessionsWithSteps {
  sessions: UpsertResult[];
  /** One result per step, or the error that failed the whole steps subrequest. */
  steps: UpsertResult[] | SalesforceApiError;
}

const collectionsUpsert = (
  referenceId: string,
  sobject: string,
  field: string,
  records: readonly object[]
): CompositeSubrequest => ({
  method: 'PATCH',
  url: `/composite/sobjects/${sobject}/${field}`,
  referenceId,
  body: {
    allOrNone: false,
    records: records.map((r) => ({ attributes: { type: sobject }, ...r }))
  }
});

/** ≤ 200 sessions and ≤ 800 steps; a failed sessions subrequest throws as the separate call would. */
export async function upsertSessionsWithSteps(
  http: SalesforceHttp,
  apiVersion: string,
  sessions: readonly SessionRecord[],
  steps: readonly StepOfSession[]
): Promise<SessionsWithSteps> {
  if (
    sessions.length > COLLECTIONS_LIMIT ||
    steps.length > COMPOSITE_STEP_LIMIT
  )
    throw new RangeError(
      `one composite carries ≤ ${COLLECTIONS_LIMIT} sessions and ≤ ${COMPOSITE_STEP_LIMIT} steps (${sessions.length}, ${steps.length} given)`
    );
  const stepRecords = steps.map(({ sessionScopeId, ...step }) => ({
    ...step,
    Scope_AR_Session__r: { [SESSION_EXTERNAL_ID_FIELD]: sessionScopeId }
  }));
  const subrequests = [
    collectionsUpsert(
      'sessions',
      SESSION_OBJECT,
      SESSION_EXTERNAL_ID_FIELD,
      sessions
    )
  ];
  for (let i = 0; i < stepRecords.length; i += COLLECTIONS_LIMIT)
    subrequests.push(
      collectionsUpsert(
        `steps${i / COLLECTIONS_LIMIT}`,
        STEP_OBJECT,
        STEP_EXTERNAL_ID_FIELD,
        stepRecords.slice(i, i + COLLECTIONS_LIMIT)
      )
    );
  const [sessionAnswer, ...stepAnswers] = await sendComposite(
    http,
    apiVersion,
    'upsertComposite',
    subrequests
  );
  return {
    sessions: resultsOf(
      'upsert',
      sessionAnswer as CompositeAnswer,
      sessions.map((s) => s.Scope_Id__c)
    ),
    steps: stepResults(stepAnswers, steps)
  };
}

function stepResults(
  answers: readonly CompositeAnswer[],
  steps: readonly StepOfSession[]
): UpsertResult[] | SalesforceApiError {
  const results: UpsertResult[] = [];
  try {
    answers.forEach((answer, n) => {
      const chunk = steps.slice(
        n * COLLECTIONS_LIMIT,
        (n + 1) * COLLECTIONS_LIMIT
      );
      results.push(
        ...resultsOf(
          'upsertSteps',
          answer,
          chunk.map((s) => s.Step_Key__c)
        )
      );
    });
  } catch (error) {
    if (error instanceof SalesforceApiError) return error;
    throw error;
  }
  return results;
}

function resultsOf(
  operation: string,
  answer: CompositeAnswer,
  keys: readonly string[]
): UpsertResult[] {
  if (answer.httpStatusCode >= 400) throw subrequestError(operation, answer);
  const body = answer.body;
  if (!Array.isArray(body) || body.length !== keys.length)
    throw new SalesforceApiError(
      `${operation}: the composite's Collections subrequest answered with an unexpected body`,
      { errorCode: 'UNEXPECTED_RESPONSE', status: answer.httpStatusCode }
    );
  return keys.map((key, i) => toUpsertResult(key, body[i] as SaveResult));
}

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
import type { MappedStep, StepRecord } from '../mapping/step-record.ts';
import {
  COLLECTIONS_LIMIT,
  toUpsertResult,
  upsertStepRecords
} from './collections-upsert.ts';
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

/** Steps one Composite call carries on its own: 5 Collections subrequests of 200. */
export const COMPOSITE_STEPS_PER_CALL =
  COMPOSITE_COLLECTIONS_LIMIT * COLLECTIONS_LIMIT;

/**
 * Steps by Step_Key__c under their session Ids, ≤ 1,000 per Composite call: one API call where
 * separate Collections calls take five. ≤ 200 steps: the one Collections call. A subrequest refused
 * as a whole fails its 200 records with its error, as that Collections call would have.
 */
export async function upsertStepsInComposites(
  http: SalesforceHttp,
  apiVersion: string,
  records: readonly StepRecord[]
): Promise<UpsertResult[]> {
  if (records.length <= COLLECTIONS_LIMIT)
    return upsertStepRecords(http, records);
  const results: UpsertResult[] = [];
  for (let i = 0; i < records.length; i += COMPOSITE_STEPS_PER_CALL) {
    const parts: StepRecord[][] = [];
    const call = records.slice(i, i + COMPOSITE_STEPS_PER_CALL);
    for (let j = 0; j < call.length; j += COLLECTIONS_LIMIT)
      parts.push(call.slice(j, j + COLLECTIONS_LIMIT));
    const answers = await sendComposite(
      http,
      apiVersion,
      'upsertSteps',
      parts.map((part, n) =>
        collectionsUpsert(
          `steps${n}`,
          STEP_OBJECT,
          STEP_EXTERNAL_ID_FIELD,
          part
        )
      )
    );
    answers.forEach((answer, n) =>
      results.push(...partResults(answer, parts[n] ?? []))
    );
  }
  return results;
}

function partResults(
  answer: CompositeAnswer,
  part: readonly StepRecord[]
): UpsertResult[] {
  const keys = part.map((r) => r.Step_Key__c);
  if (answer.httpStatusCode < 400)
    return resultsOf('upsertSteps', answer, keys);
  const error = subrequestError('upsertSteps', answer);
  return keys.map((key) => ({
    scopeId: key,
    success: false,
    errors: [
      {
        statusCode: error.errorCode,
        message: error.message,
        fields: [...error.fields]
      }
    ]
  }));
}

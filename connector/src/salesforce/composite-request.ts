// The Composite resource (POST /composite): up to 25 subrequests run in order in one request, which
// counts as ONE call toward the org's API limits (and the connector's budget). At most 5 of them may be
// queries or sObject Collections. A subrequest's failure is its own answer (httpStatusCode ≥ 400),
// not a failed request.
import { SalesforceApiError } from './salesforce-error.ts';
import type { SalesforceHttp } from './salesforce-http.ts';

export const COMPOSITE_SUBREQUEST_LIMIT = 25;
export const COMPOSITE_COLLECTIONS_LIMIT = 5;

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to `/services/data/vXX.X`, like SalesforceHttp's urls. */
  url: string;
  referenceId: string;
  body?: unknown;
}

export interface CompositeAnswer {
  referenceId: string;
  httpStatusCode: number;
  body: unknown;
}

export async function sendComposite(
  http: SalesforceHttp,
  apiVersion: string,
  operation: string,
  subrequests: readonly CompositeSubrequest[],
  allOrNone = false
): Promise<CompositeAnswer[]> {
  if (subrequests.length > COMPOSITE_SUBREQUEST_LIMIT)
    throw new RangeError(
      `a composite request carries at most ${COMPOSITE_SUBREQUEST_LIMIT} subrequests (${subrequests.length} given)`
    );
  const prefix = `/services/data/v${apiVersion}`;
  const response = await http.request<{ compositeResponse?: unknown }>(
    operation,
    'POST',
    '/composite',
    {
      allOrNone,
      collateSubrequests: false,
      compositeRequest: subrequests.map((s) => ({
        ...s,
        url: `${prefix}${s.url}`
      }))
    }
  );
  const answers = response?.compositeResponse;
  if (!Array.isArray(answers) || answers.length !== subrequests.length)
    throw new SalesforceApiError('Composite answered with an unexpected body', {
      errorCode: 'UNEXPECTED_RESPONSE',
      status: 200
    });
  return answers as CompositeAnswer[];
}

/** A subrequest's failure as the error the same request would have thrown on its own. */
export function subrequestError(
  operation: string,
  answer: CompositeAnswer
): SalesforceApiError {
  const [first] = Array.isArray(answer.body)
    ? (answer.body as {
        errorCode?: string;
        message?: string;
        fields?: string[];
      }[])
    : [];
  const errorCode = first?.errorCode ?? `ERROR_HTTP_${answer.httpStatusCode}`;
  return new SalesforceApiError(
    `Salesforce ${operation}: ${errorCode}: ${first?.message ?? 'subrequest failed'}`,
    {
      errorCode,
      status: answer.httpStatusCode,
      fields: first?.fields ?? []
    }
  );
}

import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import {
  substituteBody,
  substituteUrl,
  UnresolvedReference
} from './composite-references.ts';
import type { ReferenceResults } from './composite-references.ts';
import type { Request, Response } from 'express';
import type { SandboxState } from '../state.ts';
import type {
  Subrequest,
  SubrequestAnswer,
  SubrequestContext
} from './subrequest-dispatch.ts';

export const MAX_SUBREQUESTS = 25;
/** Subrequests that are queries or sObject Collections: at most 5 in one composite request. */
export const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const INHERITED_HEADERS = ['accept', 'authorization', 'content-type'];
const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

const compositeBody = z.object({
  allOrNone: z.boolean().optional(),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z.array(
    z.object({
      method: z.string(),
      url: z.string(),
      referenceId: z.string(),
      body: z.unknown().optional(),
      httpHeaders: z.record(z.string()).optional()
    })
  )
});
type CompositeSubrequest = z.infer<
  typeof compositeBody
>['compositeRequest'][number];

export interface CompositeResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const invalid = (message: string) =>
  new ApiError(400, 'INVALID_INPUT', message);

const halted = (message: string) => [
  { errorCode: 'PROCESSING_HALTED', message }
];
const ROLLED_BACK =
  'The transaction was rolled back since another operation in the same transaction failed.';

function isQueryOrCollection(url: string, prefix: string): boolean {
  const rest = url.slice(prefix.length).split('?')[0] ?? '';
  return /^(query|queryAll|composite\/sobjects)(\/|$)/.test(rest);
}

function checkSubrequest(
  sub: CompositeSubrequest,
  prefix: string,
  seen: Set<string>
): void {
  if (!REFERENCE_ID.test(sub.referenceId))
    throw invalid(
      `Provided referenceId ('${sub.referenceId}') must start with a letter, and it can contain only letters, numbers and underscores ('_').`
    );
  if (seen.has(sub.referenceId))
    throw invalid(`Duplicate referenceId provided: ${sub.referenceId}`);
  seen.add(sub.referenceId);
  if (!METHODS.includes(sub.method))
    throw invalid(
      `Invalid HTTP method ${sub.method} for subrequest ${sub.referenceId}: use one of ${METHODS.join(', ')}`
    );
  if (!sub.url.startsWith(prefix))
    throw invalid(
      `The subrequest url ${sub.url} must start with ${prefix}: every subrequest uses the version of the composite request`
    );
  const rest = sub.url.slice(prefix.length).split('?')[0] ?? '';
  if (/^composite(\/(?!sobjects(\/|$))|$)/.test(rest))
    throw invalid(
      `A composite request cannot contain another composite request: ${sub.url}`
    );
  const forbidden = Object.keys(sub.httpHeaders ?? {}).find((h) =>
    INHERITED_HEADERS.includes(h.toLowerCase())
  );
  if (forbidden)
    throw invalid(
      `The ${forbidden} header of subrequest ${sub.referenceId} is inherited from the composite request and cannot be set`
    );
}

/** The request body, checked against the platform's limits before any subrequest runs. */
export function parseComposite(body: unknown, version: string) {
  const parsed = compositeBody.safeParse(body);
  if (!parsed.success)
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be {"allOrNone": boolean, "collateSubrequests": boolean, "compositeRequest": [{"method", "url", "referenceId", "body"?, "httpHeaders"?}]}'
    );
  const subs = parsed.data.compositeRequest;
  if (subs.length === 0)
    throw invalid('compositeRequest must contain at least one subrequest');
  if (subs.length > MAX_SUBREQUESTS)
    throw invalid(
      `Limit Exceeded: a composite request may contain at most ${MAX_SUBREQUESTS} subrequests; this one has ${subs.length}`
    );
  const prefix = `/services/data/${version}/`;
  const seen = new Set<string>();
  for (const sub of subs) checkSubrequest(sub, prefix, seen);
  const heavy = subs.filter((s) => isQueryOrCollection(s.url, prefix)).length;
  if (heavy > MAX_QUERY_OR_COLLECTION_SUBREQUESTS)
    throw invalid(
      `Limit Exceeded: a composite request may contain at most ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS} query or sObject Collections subrequests; this one has ${heavy}`
    );
  return { allOrNone: parsed.data.allOrNone ?? false, subs };
}

type Dispatch = (
  context: SubrequestContext,
  sub: Subrequest
) => Promise<SubrequestAnswer>;

/** Runs the subrequests in order; the first failure with allOrNone stops the rest and rolls back. */
async function runSubrequests(
  subs: CompositeSubrequest[],
  allOrNone: boolean,
  context: SubrequestContext,
  dispatch: Dispatch
): Promise<{ results: CompositeResult[]; records: number; failed: boolean }> {
  const answers: ReferenceResults = new Map();
  const results: CompositeResult[] = [];
  let records = 0;
  let failed = false;
  for (const sub of subs) {
    const result = (status: number, body: unknown, headers = {}) =>
      results.push({
        body,
        httpHeaders: headers,
        httpStatusCode: status,
        referenceId: sub.referenceId
      });
    if (failed && allOrNone) {
      result(400, halted(ROLLED_BACK));
      continue;
    }
    let request: Subrequest;
    try {
      request = {
        method: sub.method,
        url: substituteUrl(sub.url, answers),
        body: substituteBody(sub.body, answers),
        headers: sub.httpHeaders ?? {}
      };
    } catch (error) {
      if (!(error instanceof UnresolvedReference)) throw error;
      result(400, halted(error.message));
      failed = true;
      continue;
    }
    const answer = await dispatch(context, request);
    records += answer.records;
    result(answer.status, answer.body, withLocation(request, answer));
    if (answer.status >= 400) failed = true;
    else answers.set(sub.referenceId, answer.body);
  }
  return { results, records, failed };
}

/** POST /services/data/vXX.X/composite: up to 25 subrequests in order, one API call. */
export function createCompositeRoutes(
  state: SandboxState,
  dispatch: Dispatch
): Router {
  const router = Router({ mergeParams: true });
  router.post('/', async (req: Request, res: Response) => {
    const version = String(req.params.version);
    const { allOrNone, subs } = parseComposite(req.body, version);
    const context = { userId: String(res.locals.userId) };
    if (allOrNone) state.dml.beginJournal();
    let run: Awaited<ReturnType<typeof runSubrequests>>;
    let rollBack = true;
    try {
      run = await runSubrequests(subs, allOrNone, context, dispatch);
      rollBack = run.failed;
    } finally {
      if (allOrNone) state.dml.endJournal(rollBack);
    }
    res.locals.records = run.records;
    res.locals.subrequests = subs.map((s, i) => ({
      method: s.method,
      path: s.url.split('?')[0],
      status: run.results[i]?.httpStatusCode
    }));
    const results =
      allOrNone && run.failed ? haltAll(run.results) : run.results;
    res.json({ compositeResponse: results });
  });
  return router;
}

/** A record created through /sobjects/{type} names its URL, as the composite response reports it. */
function withLocation(
  request: Subrequest,
  answer: SubrequestAnswer
): Record<string, string> {
  const id = (answer.body as { id?: unknown } | null)?.id;
  const path = request.url.split('?')[0] ?? '';
  if (
    answer.status !== 201 ||
    typeof id !== 'string' ||
    !/\/sobjects\/[^/]+$/.test(path) ||
    answer.headers.Location
  )
    return answer.headers;
  return { ...answer.headers, Location: `${path}/${id}` };
}

/** With allOrNone, every subrequest but the one that failed reports the rollback. */
function haltAll(results: CompositeResult[]): CompositeResult[] {
  const failedAt = results.findIndex((r) => r.httpStatusCode >= 400);
  return results.map((r, i) =>
    i === failedAt
      ? r
      : {
          body: halted(ROLLED_BACK),
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: r.referenceId
        }
  );
}

// SOQL queries started in the same turn of the event loop (a batch's work-order lookup and its
// stored-session read) share one Composite call: one API call where each query took one. A Composite
// request carries at most 5 queries; more go in further calls. A query alone is sent as it is. Each
// query's answer is its own: a refused subrequest rejects that query only, with the error the query
// alone would have thrown, and further pages are read with queryMore (nextRecordsUrl) as usual.
import {
  COMPOSITE_COLLECTIONS_LIMIT,
  sendComposite,
  subrequestError
} from './composite-request.ts';
import type { CompositeAnswer } from './composite-request.ts';
import { queryPages, queryRecords } from './query-records.ts';
import type { QueryPage } from './query-records.ts';
import type { SalesforceHttp } from './salesforce-http.ts';
import type { SoqlReader } from './soql.ts';
import { queryPath } from './soql.ts';

interface Pending {
  operation: string;
  soql: string;
  resolve(records: unknown[]): void;
  reject(error: unknown): void;
}

export function createBatchedReader(
  http: SalesforceHttp,
  apiVersion: string
): SoqlReader {
  let pending: Pending[] = [];
  const flush = () => {
    const queued = pending;
    pending = [];
    for (let i = 0; i < queued.length; i += COMPOSITE_COLLECTIONS_LIMIT)
      void send(
        http,
        apiVersion,
        queued.slice(i, i + COMPOSITE_COLLECTIONS_LIMIT)
      );
  };
  return {
    query<T>(operation: string, soql: string): Promise<T[]> {
      return new Promise<unknown[]>((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ operation, soql, resolve, reject });
      }) as Promise<T[]>;
    }
  };
}

async function send(
  http: SalesforceHttp,
  apiVersion: string,
  group: readonly Pending[]
): Promise<void> {
  const [only] = group;
  if (group.length === 1 && only) {
    await queryRecords(http, only.operation, only.soql).then(
      only.resolve,
      only.reject
    );
    return;
  }
  let answers: CompositeAnswer[];
  try {
    answers = await sendComposite(
      http,
      apiVersion,
      'lookups',
      group.map((q, n) => ({
        method: 'GET',
        url: queryPath(q.soql),
        referenceId: `query${n}`
      }))
    );
  } catch (error) {
    for (const q of group) q.reject(error);
    return;
  }
  await Promise.all(
    group.map(async (q, n) => {
      const answer = answers[n];
      if (!answer || answer.httpStatusCode >= 400) {
        q.reject(
          answer
            ? subrequestError(q.operation, answer)
            : new Error('Composite answered without this query')
        );
        return;
      }
      await queryPages(http, q.operation, answer.body as QueryPage).then(
        q.resolve,
        q.reject
      );
    })
  );
}

// sObject operation: a read-only SOQL query, every record of every page (follows nextRecordsUrl),
// without the `attributes` envelope. Each page is one API call counted under the operation's name.
import type { SalesforceHttp } from './salesforce-http.ts';
import { queryPath } from './soql.ts';

export interface QueryPage {
  records: unknown[];
  done: boolean;
  nextRecordsUrl?: string;
}

export async function queryRecords<T>(
  http: SalesforceHttp,
  operation: string,
  soql: string
): Promise<T[]> {
  const first: QueryPage = await http.request(
    operation,
    'GET',
    queryPath(soql)
  );
  return queryPages<T>(http, operation, first);
}

/** The records of `first` and of every page after it. */
export async function queryPages<T>(
  http: SalesforceHttp,
  operation: string,
  first: QueryPage
): Promise<T[]> {
  const records: T[] = [];
  let page: QueryPage | undefined = first;
  while (page) {
    for (const record of page.records) {
      const { attributes: _attributes, ...fields } = record as {
        attributes?: unknown;
      };
      records.push(fields as T);
    }
    page =
      page.done || !page.nextRecordsUrl
        ? undefined
        : await http.request<QueryPage>(operation, 'GET', page.nextRecordsUrl);
  }
  return records;
}

// sObject operation: a read-only SOQL query, every record of every page (follows nextRecordsUrl),
// without the `attributes` envelope. Each page is one API call counted under the operation's name.
import type { SalesforceHttp } from './salesforce-http.ts';
import { queryPath } from './soql.ts';

interface QueryPage {
  records: unknown[];
  done: boolean;
  nextRecordsUrl?: string;
}

export async function queryRecords<T>(
  http: SalesforceHttp,
  operation: string,
  soql: string
): Promise<T[]> {
  const records: T[] = [];
  let url: string | undefined = queryPath(soql);
  while (url) {
    const page: QueryPage = await http.request(operation, 'GET', url);
    for (const record of page.records) {
      const { attributes: _attributes, ...fields } = record as {
        attributes?: unknown;
      };
      records.push(fields as T);
    }
    url = page.done ? undefined : page.nextRecordsUrl;
  }
  return records;
}

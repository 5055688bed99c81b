import { queryError } from './field-path.ts';
import type { Query, WhereClause } from '@jetstreamapp/soql-parser-js';

/** The fields Salesforce accepts as the required filter of a ContentDocumentLink query. */
const LINK_FILTERS = new Set(['contentdocumentid', 'linkedentityid']);
const ID_OPERATORS = new Set(['=', 'IN']);

/** Whether an AND-chain of the WHERE clause filters a link field by = or IN. */
function filtersLinks(where: WhereClause | undefined, alias?: string): boolean {
  let clause: WhereClause | undefined = where;
  while (clause) {
    const left = clause.left as { field?: string; operator?: string } | null;
    const field = (left?.field ?? '')
      .toLowerCase()
      .replace(alias ? `${alias.toLowerCase()}.` : /^$/, '');
    if (
      LINK_FILTERS.has(field) &&
      ID_OPERATORS.has(String(left?.operator ?? '').toUpperCase())
    )
      return true;
    if (!('right' in clause) || clause.operator === 'OR') return false;
    clause = clause.right;
  }
  return false;
}

/**
 * Salesforce refuses a ContentDocumentLink query that does not name the documents or the records
 * whose links it wants: an "implementation restriction", not a permission.
 */
export function checkContentLinkFilter(soql: string, q: Query): void {
  if (q.sObject?.toLowerCase() !== 'contentdocumentlink') return;
  if (filtersLinks(q.where, q.sObjectAlias)) return;
  throw queryError(
    soql,
    q.sObject,
    'MALFORMED_QUERY',
    "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator."
  );
}

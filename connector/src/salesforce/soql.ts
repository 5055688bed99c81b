// SOQL string literals: backslash-escape \ and ' and the control characters SOQL defines escapes for
// ("Quoted String Escape Sequences", SOQL and SOSL Reference), so no value can end the literal early.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f'
};

export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => ESCAPES[ch] ?? ch)}'`;
}

export const WORK_ORDER_SELECT =
  'SELECT Id, WorkOrderNumber, CaseId, AssetId FROM WorkOrder';

/**
 * One query per chunk: `WHERE Id IN (...) OR WorkOrderNumber IN (...)`. Chunks keep the URL-encoded
 * query under `maxEncodedLength` (REST GET URIs are limited to 16,384 bytes), so a normal batch is one query.
 */
export function buildWorkOrderQueries(
  ids: readonly string[],
  numbers: readonly string[],
  maxEncodedLength = 15_000
): string[] {
  const items: { by: 'Id' | 'WorkOrderNumber'; literal: string }[] = [
    ...[...new Set(ids)].map((v) => ({
      by: 'Id' as const,
      literal: soqlString(v)
    })),
    ...[...new Set(numbers)].map((v) => ({
      by: 'WorkOrderNumber' as const,
      literal: soqlString(v)
    }))
  ];
  const render = (chunk: typeof items): string => {
    const clauses: string[] = [];
    for (const by of ['Id', 'WorkOrderNumber'] as const) {
      const literals = chunk
        .filter((item) => item.by === by)
        .map((item) => item.literal);
      if (literals.length > 0)
        clauses.push(`${by} IN (${literals.join(', ')})`);
    }
    return `${WORK_ORDER_SELECT} WHERE ${clauses.join(' OR ')}`;
  };
  // Upper bound of the encoded length: both clauses' frame plus each literal and its separator.
  const frame = encodeURIComponent(
    `${WORK_ORDER_SELECT} WHERE Id IN () OR WorkOrderNumber IN ()`
  ).length;
  const separator = encodeURIComponent(', ').length;
  const queries: string[] = [];
  let current: typeof items = [];
  let length = frame;
  for (const item of items) {
    const added = encodeURIComponent(item.literal).length + separator;
    if (current.length > 0 && length + added > maxEncodedLength) {
      queries.push(render(current));
      current = [];
      length = frame;
    }
    current.push(item);
    length += added;
  }
  if (current.length > 0) queries.push(render(current));
  return queries;
}

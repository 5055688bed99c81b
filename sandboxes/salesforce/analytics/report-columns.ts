// Report column tokens (`WorkOrder$WorkLink_Resolution_Hours__c`, `WorkOrder.Scope_AR_Sessions__r$Kind__c`,
// `WorkOrder$Asset.Product2.Name`) resolved against the report type: a report may use only the columns
// its report type lists, on the base table or the joined child.
import { resolveFieldPath } from '../soql/field-path.ts';
import { ApiError } from '../errors.ts';
import type { SandboxState } from '../state.ts';
import type { FieldDef } from '../schema/types.ts';
import { badRequest, childOf } from './report-rows.ts';
import type { ResolvedColumn } from './report-rows.ts';
import type { ReportTypeDef } from './report-metadata.ts';

/** Analytics API data types by describe type. */
const DATA_TYPES: Record<string, string> = {
  id: 'id',
  string: 'string',
  textarea: 'textarea',
  picklist: 'picklist',
  boolean: 'boolean',
  double: 'double',
  percent: 'percent',
  currency: 'currency',
  int: 'int',
  date: 'date',
  datetime: 'datetime',
  reference: 'reference',
  email: 'email',
  phone: 'phone',
  url: 'url'
};

function dataType(field: FieldDef): string {
  // Number(p, 0) fields are doubles in describe but whole numbers in reports.
  return DATA_TYPES[field.type] ?? 'string';
}

const invalidColumn = (token: string) =>
  badRequest(
    `The column ${token} is invalid or does not exist in this report type.`
  );

/** Resolves a column token of a report on this report type; unknown or foreign tokens are refused. */
export function resolveColumn(
  state: SandboxState,
  type: ReportTypeDef,
  token: string
): ResolvedColumn {
  const [table = '', path = ''] = token.split('$');
  const listed = type.columns.find(
    (c) =>
      c.table.toLowerCase() === table.toLowerCase() &&
      c.field.toLowerCase() === path.toLowerCase()
  );
  if (!listed) throw invalidColumn(token);
  const child = table.toLowerCase() !== type.baseObject.toLowerCase();
  const object = child
    ? childOf(state, type)?.object
    : state.schema.getObject(type.baseObject);
  if (!object) throw invalidColumn(token);
  try {
    // Resolved against the full schema: what the acting user may read is decided when the report runs.
    const resolved = resolveFieldPath(state.openSchema(), object, path, path);
    return {
      token,
      child,
      path,
      object,
      label: listed.label ?? resolved.field.label,
      dataType: dataType(resolved.field)
    };
  } catch (error) {
    if (error instanceof ApiError) throw invalidColumn(token);
    throw error;
  }
}

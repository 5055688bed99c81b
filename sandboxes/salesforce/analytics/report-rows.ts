// The rows of a report type as the acting user sees them: the base object's records by SOQL through
// the sandbox's own engine (so sharing and field-level security apply exactly as to a query), joined
// to the child relationship of the report type (inner or outer), with formula fields computed.
import { ApiError } from '../errors.ts';
import { resolveFieldPath } from '../soql/field-path.ts';
import type { SandboxState } from '../state.ts';
import type { SObjectDef } from '../schema/types.ts';
import type { SRecord } from '../store/record-store.ts';
import type { CompiledFormulaField } from './formula-fields.ts';
import type { ReportTypeDef } from './report-metadata.ts';

/** A report column token resolved: `WorkOrder$Asset.Name` → table WorkOrder, path Asset.Name. */
export interface ResolvedColumn {
  token: string;
  /** Base table (false) or the joined child (true). */
  child: boolean;
  path: string;
  object: SObjectDef;
  label: string;
  dataType: string;
}

/** One report row: column token → value. */
export type ReportRow = Map<string, unknown>;

export const badRequest = (message: string): ApiError =>
  new ApiError(400, 'BAD_REQUEST', message);

function queryAll(state: SandboxState, soql: string): SRecord[] {
  const records: SRecord[] = [];
  let page = state.query.query(soql, 2000);
  records.push(...page.records);
  while (!page.done && page.nextRecordsUrl) {
    page = state.query.queryMore(page.nextRecordsUrl.split('/').at(-1) ?? '');
    records.push(...page.records);
  }
  return records;
}

function readNested(record: SRecord, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object') return null;
    const entry = Object.entries(current as SRecord).find(
      ([k]) => k.toLowerCase() === part.toLowerCase()
    );
    current = entry?.[1];
  }
  return current ?? null;
}

/** The child object and the lookup to its parent behind a child relationship name. */
export function childOf(
  state: SandboxState,
  type: ReportTypeDef
): { object: SObjectDef; lookup: string } | undefined {
  if (!type.join) return undefined;
  const name = type.join.relationship.toLowerCase();
  for (const object of state.schema.objects.values())
    for (const field of object.fields.values())
      if (
        field.referenceTo.some(
          (t) => t.toLowerCase() === type.baseObject.toLowerCase()
        ) &&
        field.childRelationshipName?.toLowerCase() === name
      )
        return { object, lookup: field.name };
  return undefined;
}

/** Whether the acting user may read a column (the same rule as SOQL: unreadable = absent). */
export function readable(state: SandboxState, column: ResolvedColumn): boolean {
  try {
    resolveFieldPath(state.userSchema, column.object, column.path, column.path);
    return true;
  } catch (error) {
    if (error instanceof ApiError) return false;
    throw error;
  }
}

function selectList(
  columns: ResolvedColumn[],
  formulas: Map<string, CompiledFormulaField> | undefined,
  extra: string[]
): string {
  const fields = new Set(['Id', ...extra]);
  for (const c of columns) {
    fields.add(c.path);
    const formula = formulas?.get(c.path.toLowerCase());
    for (const input of formula?.inputs ?? []) fields.add(input);
  }
  return [...fields].join(', ');
}

function withFormulas(
  record: SRecord,
  formulas: Map<string, CompiledFormulaField> | undefined
): SRecord {
  if (!formulas) return record;
  const out = { ...record };
  for (const formula of formulas.values())
    if (formula.field in out || formula.field.toLowerCase() in out)
      out[formula.field] = formula.evaluate(record);
  return out;
}

/** Reads the rows of a report type: base records, joined to their children when it has a join. */
export function readReportRows(
  state: SandboxState,
  type: ReportTypeDef,
  columns: ResolvedColumn[],
  formulas: Map<string, Map<string, CompiledFormulaField>>
): ReportRow[] {
  const base = state.userSchema.getObject(type.baseObject);
  if (!base || !state.userSchema.access.objectAccess(base.name).read)
    throw new ApiError(
      403,
      'INSUFFICIENT_PRIVILEGES',
      "You don't have sufficient privileges to perform this operation."
    );
  const baseColumns = columns.filter((c) => !c.child);
  const baseFormulas = formulas.get(base.name.toLowerCase());
  const parents = queryAll(
    state,
    `SELECT ${selectList(baseColumns, baseFormulas, [])} FROM ${base.name}`
  ).map((r) => withFormulas(r, baseFormulas));
  const toRow = (parent: SRecord, child?: SRecord): ReportRow =>
    new Map(
      columns.map((c) => [
        c.token,
        c.child
          ? child
            ? readNested(child, c.path)
            : null
          : readNested(parent, c.path)
      ])
    );
  const child = childOf(state, type);
  if (!type.join || !child) return parents.map((p) => toRow(p));
  const childColumns = columns.filter((c) => c.child);
  const childFormulas = formulas.get(child.object.name.toLowerCase());
  const byParent = new Map<string, SRecord[]>();
  for (const row of queryAll(
    state,
    `SELECT ${selectList(childColumns, childFormulas, [child.lookup])} FROM ${child.object.name} WHERE ${child.lookup} != null`
  )) {
    const key = String(row[child.lookup]);
    byParent.set(key, [
      ...(byParent.get(key) ?? []),
      withFormulas(row, childFormulas)
    ]);
  }
  return parents.flatMap((p) => {
    const children = byParent.get(String(p.Id)) ?? [];
    if (children.length === 0) return type.join?.outerJoin ? [toRow(p)] : [];
    return children.map((c) => toRow(p, c));
  });
}

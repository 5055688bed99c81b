// Formula fields (a CustomField with <formula>): compiled once with the formula subset when the schema
// loads, read-only (system: never createable or updateable, so a write is INVALID_FIELD_FOR_INSERT_UPDATE
// as in Salesforce), and computed into the stored record on every save. The subset only reads the
// record's own fields (no NOW(), no cross-object references), so a value computed at save equals one
// computed on each read: queries, GET and Collections retrieve all see it, and WHERE can filter on it.
import { compileFormula, DAY_MS, FormulaError } from './formula.ts';
import type { FormulaValue } from './formula.ts';
import type { FieldDef, SObjectDef } from './types.ts';
import { formatDateTime } from '../store/values.ts';

/** Compiles every formula field of `def`; an unsupported formula stops the sandbox, naming the field. */
export function compileFormulaFields(def: SObjectDef): void {
  for (const field of def.fields.values()) {
    if (field.formula === undefined) continue;
    try {
      const evaluate = compileFormula(field.formula, def);
      field.calculate = (record) => storedValue(field, evaluate(record));
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      throw new Error(
        `Formula field ${def.name}.${field.name}: the Salesforce sandbox cannot evaluate this formula (${error.message}); it refuses to start rather than guess`
      );
    }
  }
}

/** The formula's result in the field's stored representation (datetimes as Salesforce's JSON text). */
function storedValue(field: FieldDef, value: FormulaValue): unknown {
  if (value === null || value === '') return null;
  switch (field.type) {
    case 'datetime':
      return typeof value === 'number'
        ? formatDateTime(Math.round(value * DAY_MS))
        : null;
    case 'date':
      return typeof value === 'number'
        ? formatDateTime(Math.round(value * DAY_MS)).slice(0, 10)
        : null;
    case 'double':
    case 'percent':
    case 'currency': {
      if (typeof value !== 'number') return null;
      const f = 10 ** field.scale;
      return Math.round(value * f) / f;
    }
    case 'boolean':
      return value === true;
    default:
      return String(value);
  }
}

/** Sets every formula field of the record from its other fields (after the platform's derived fields). */
export function applyFormulaFields(
  def: SObjectDef,
  record: Record<string, unknown>
): void {
  for (const field of def.fields.values()) {
    if (field.calculate) record[field.name] = field.calculate(record);
  }
}

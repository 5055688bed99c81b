import { compileFormula, FormulaError } from './formula.ts';
import type { SObjectDef, ValidationRule } from './types.ts';

type XmlNode = Record<string, unknown>;
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/**
 * A `ValidationRule` metadata document as the sandbox evaluates it. A rule whose formula is outside
 * the supported subset stops the sandbox at start: silently skipping it would accept writes the org
 * refuses.
 */
export function readValidationRule(
  node: XmlNode,
  fileName: string,
  def: SObjectDef
): ValidationRule {
  const name = text(node.fullName) ?? fileName;
  const where = `Validation rule ${def.name}.${name}`;
  const message = text(node.errorMessage);
  const formula = text(node.errorConditionFormula);
  if (!message || !formula)
    throw new Error(
      `${where}: errorConditionFormula and errorMessage are required`
    );
  const displayField = text(node.errorDisplayField);
  if (displayField && !def.fields.has(displayField))
    throw new Error(
      `${where}: errorDisplayField ${displayField} is not a field of ${def.name}`
    );
  let evaluate;
  try {
    evaluate = compileFormula(formula, def);
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    throw new Error(
      `${where}: the Salesforce sandbox cannot evaluate this formula (${error.message}); it refuses to start rather than ignore the rule`
    );
  }
  return {
    name,
    active: text(node.active) === 'true',
    message,
    displayField,
    violated: (record) => evaluate(record) === true
  };
}

// sObject operation: a describe-based check that each field exists and the integration user may
// create and update it (`doctor`, readiness).
import { SESSION_EXTERNAL_ID_FIELD } from '../mapping/session-record.ts';
import {
  STEP_EXTERNAL_ID_FIELD,
  STEP_PARENT_FIELD
} from '../mapping/step-record.ts';
import type { SalesforceHttp } from './salesforce-http.ts';

export interface FieldCheck {
  field: string;
  problem: 'missing' | 'not-createable' | 'not-updateable';
}

interface DescribedField {
  name: string;
  createable: boolean;
  updateable: boolean;
}

const SET_ONCE_FIELDS = new Set<string>([
  SESSION_EXTERNAL_ID_FIELD,
  STEP_EXTERNAL_ID_FIELD,
  STEP_PARENT_FIELD
]);

export async function checkWritableFields(
  http: SalesforceHttp,
  fields: readonly string[],
  sobject: string
): Promise<FieldCheck[]> {
  const describe = await http.request<{ fields: DescribedField[] }>(
    'describe',
    'GET',
    `/sobjects/${sobject}/describe`
  );
  const byName = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
  const problems: FieldCheck[] = [];
  for (const field of fields) {
    const found = byName.get(field.toLowerCase());
    if (!found) problems.push({ field, problem: 'missing' });
    else if (!found.createable)
      problems.push({ field, problem: 'not-createable' });
    // External ids are only matched on and a step's session (Master-Detail, not reparentable) is set
    // once; every other field is rewritten.
    else if (!found.updateable && !SET_ONCE_FIELDS.has(field))
      problems.push({ field, problem: 'not-updateable' });
  }
  return problems;
}

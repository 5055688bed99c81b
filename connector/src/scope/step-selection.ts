// What a session's steps add to its selection, from the fields the tenant's schema has (the one
// introspection, scope-capabilities.ts): the steps viewed (`steps`, reference §4), the ones completed
// (`completedSteps { nodes { id } }`) and, for the photos count, the PHOTO events with their step
// (`events(valueTypes: [PHOTO])`, §4 ScenarioSessionEvent). A tenant whose schema lacks `steps` gets no
// step block, and no Scope_AR_Session_Step__c records are written (mapping/map-session-steps.ts).
import type { NodeSelection } from './build-node-query.ts';

/** Page size of each nested step connection; a scenario with more steps is cut at this many. */
export const STEP_PAGE = 100;
/** The alias under which the PHOTO events travel (the selection already has `events(last: 1)`). */
export const STEP_PHOTOS_ALIAS = 'stepPhotos';

type Types = ReadonlyMap<string, ReadonlySet<string>>;

function has(types: Types, type: string, field: string): boolean {
  return types.get(type)?.has(field) ?? false;
}

/** `scenarioStep { id name orderIndex scenarioSequence { name } }`, with what the tenant has. */
function scenarioStepFields(types: Types): string {
  const sequence = has(types, 'ScenarioSequence', 'name')
    ? ' scenarioSequence { name }'
    : '';
  const own = ['name', 'orderIndex'].filter((f) =>
    has(types, 'ScenarioStep', f)
  );
  return `id ${own.join(' ')}${has(types, 'ScenarioStep', 'scenarioSequence') ? sequence : ''}`;
}

function sessionStepFields(types: Types, wanted: readonly string[]): string {
  return wanted.filter((f) => has(types, 'ScenarioSessionStep', f)).join(' ');
}

/** The step block for this tenant, or '' when its ScenarioSession has no `steps` connection. */
export function stepBlock(types: Types, sessionType: string): string {
  if (!has(types, sessionType, 'steps') || !types.has('ScenarioSessionStep'))
    return '';
  const step = has(types, 'ScenarioSessionStep', 'scenarioStep')
    ? ` scenarioStep { ${scenarioStepFields(types)} }`
    : '';
  const parts = [
    `steps(first: ${STEP_PAGE}) { nodes { id ${sessionStepFields(types, ['viewedAt', 'completedAt'])}${step} } }`
  ];
  if (has(types, sessionType, 'completedSteps'))
    parts.push(
      `completedSteps(first: ${STEP_PAGE}) { nodes { id ${sessionStepFields(types, ['completedAt'])}${step ? ' scenarioStep { id }' : ''} } }`
    );
  if (
    has(types, sessionType, 'events') &&
    has(types, 'ScenarioSessionEvent', 'scenarioSessionStep')
  )
    parts.push(
      `${STEP_PHOTOS_ALIAS}: events(first: ${STEP_PAGE}, valueTypes: [PHOTO]) { nodes { id scenarioSessionStep { id${step ? ' scenarioStep { id }' : ''} } } }`
    );
  return parts.join('\n  ');
}

/** The session selection with the step block appended (and its nested nodes counted). */
export function withStepSelection(
  selection: NodeSelection,
  types: Types
): NodeSelection {
  const block = stepBlock(types, selection.typeName);
  if (!block) return selection;
  const connections = block.split('\n').length;
  return {
    ...selection,
    selection: `${selection.selection}  ${block}\n`,
    nestedNodes: selection.nestedNodes + connections * STEP_PAGE
  };
}

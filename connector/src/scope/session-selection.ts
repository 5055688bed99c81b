// The ScenarioSession selection, built only from fields the reference documents (§4, §5.1), and where
// the mapping finds each value in it. Tenants differ: `connector doctor` reports selected fields that
// the tenant's schema lacks (see check-schema.ts).
import type { NodeFieldPaths } from '../mapping/map-scope-node.ts';

export const SESSION_TYPE = 'ScenarioSession';

export const SESSION_SELECTION = `
  id
  databaseId
  state
  startedAt
  endedAt
  duration
  idleDuration
  numberOfStepsPossible
  numberOfStepsViewed
  percentOfStepsViewed
  externalData
  scenarioRelease { version scenario { name } }
  email
  parts(first: 1) { nodes { createdBy { name email } } }
  events(last: 1) { nodes { createdAt receivedAt } }
`;

/** Nodes one item of this selection may cost against Scope's 500,000-node limit (1 part + 1 event). */
export const SESSION_NESTED_NODES = 2;

export const SESSION_PATHS: NodeFieldPaths = {
  databaseId: ['databaseId'],
  state: ['state'],
  startedAt: ['startedAt'],
  // `finishedAt` is the older name of endedAt; kept in case a payload query still asks for it.
  endedAt: ['endedAt', 'finishedAt'],
  duration: ['duration'],
  idleDuration: ['idleDuration'],
  stepsPossible: ['numberOfStepsPossible'],
  stepsViewed: ['numberOfStepsViewed'],
  percentViewed: ['percentOfStepsViewed'],
  scenarioName: ['scenarioRelease.scenario.name'],
  scenarioVersion: ['scenarioRelease.version'],
  // The technician: who created the session's first part, else the session's `email` (both documented);
  // `user` covers custom payload queries and tenants that expose it.
  technician: [
    'user.name',
    'parts.nodes.0.createdBy.name',
    'user.email',
    'parts.nodes.0.createdBy.email',
    'email'
  ],
  technicianEmail: ['user.email', 'parts.nodes.0.createdBy.email', 'email'],
  expert: [],
  externalData: ['externalData'],
  updatedAt: ['updatedAt'],
  eventTimes: ['events.nodes.*.createdAt', 'events.nodes.*.receivedAt']
};

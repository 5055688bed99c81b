// The Call type is undocumented (reference §4 "Call / call session", Unknown 8): this selection is a
// guess, kept in this one file so that adjusting it to a tenant's schema (`connector doctor` lists the
// selected fields the tenant lacks; SCOPE_CALL_FIELDS overrides the selection) is a one-file change.
// The type's name is configured or discovered (call-schema.ts); CALL_TYPE is only the first guess.
import type { NodeFieldPaths } from '../mapping/map-scope-node.ts';
import { DEFAULT_CALL_TYPE } from './call-schema.ts';

export const CALL_TYPE = DEFAULT_CALL_TYPE;

export const CALL_SELECTION = `
  id
  databaseId
  state
  startedAt
  endedAt
  duration
  externalData
  caller { name email }
  expert { name email }
`;

export const CALL_NESTED_NODES = 0;

export const CALL_PATHS: NodeFieldPaths = {
  databaseId: ['databaseId'],
  state: ['state', 'status'],
  startedAt: ['startedAt'],
  endedAt: ['endedAt', 'finishedAt'],
  duration: ['duration'],
  idleDuration: [],
  stepsPossible: [],
  stepsViewed: [],
  percentViewed: [],
  scenarioName: [],
  scenarioVersion: [],
  // For calls the technician is the caller and the expert the user called.
  technician: ['caller.name', 'caller.email'],
  technicianEmail: ['caller.email'],
  expert: ['expert.name', 'expert.email', 'callee.name', 'callee.email'],
  // External data from the call deeplink is "stored within the session data" (reference §1.3).
  externalData: [
    'externalData',
    'session.externalData',
    'sessionData.externalData'
  ],
  updatedAt: ['updatedAt'],
  eventTimes: []
};

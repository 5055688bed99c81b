// Every guess the sandbox makes about Scope behaviour the reference marks Unknown (§7), in one place so
// that a check against a live tenant (introspection, one real delivery) corrects it here and nowhere else.

/** ScenarioSession.state values (Unknown #15). */
export const SESSION_STATES = {
  inProgress: 'IN_PROGRESS',
  completed: 'COMPLETED',
  abandoned: 'ABANDONED'
} as const;

/** ScenarioSession.sessionType values (Unknown #15). */
export const SESSION_TYPES = ['STANDARD', 'TRAINING'] as const;

/** ScenarioSessionEvent.type values; PHOTO is documented (ScenarioStepItemTypeEnum), the rest are guesses. */
export const EVENT_TYPES = [
  'STEP_VIEWED',
  'PHOTO',
  'TEXT',
  'VIDEO',
  'SIGNATURE'
] as const;

/** Call lifecycle (Unknown #8): created → connected → ended. */
export const CALL_STATES = {
  created: 'CREATED',
  connected: 'CONNECTED',
  ended: 'ENDED'
} as const;

/** Call participant roles (Unknown #8). */
export const PARTICIPANT_ROLES = {
  caller: 'CALLER',
  expert: 'EXPERT'
} as const;

/** The Call type, the participants and the root `calls` connection: all field names are guesses (Unknown #8). */
export const CALL_SDL = /* GraphQL */ `
  type Call implements Node {
    id: ID!
    databaseId: String!
    state: String!
    createdAt: DateTime!
    startedAt: DateTime
    endedAt: DateTime
    duration: Float
    externalData: JSON
    caller: User
    expert: User
    participants(first: Int, last: Int, after: String, before: String): CallParticipantConnection!
    __UPDATED_AT__
  }

  type CallParticipant implements Node {
    id: ID!
    databaseId: String!
    role: String!
    user: User
    joinedAt: DateTime
    leftAt: DateTime
  }
`;

/** Field name of the root calls connection (Unknown #8). */
export const CALLS_ROOT_FIELD = 'calls';

/** Generation-2 topics. The scenario_session ones are documented; updated and every call topic are ours. */
export const WEBHOOK_TOPICS: readonly {
  key: string;
  version: string;
  resourceType: 'ScenarioSession' | 'Call';
}[] = [
  {
    key: 'scenario_session/created',
    version: '1.0',
    resourceType: 'ScenarioSession'
  },
  {
    key: 'scenario_session/created',
    version: '1.1',
    resourceType: 'ScenarioSession'
  },
  {
    key: 'scenario_session/updated',
    version: '1.1',
    resourceType: 'ScenarioSession'
  },
  {
    key: 'scenario_session/completed',
    version: '1.1',
    resourceType: 'ScenarioSession'
  },
  { key: 'call/created', version: '1.1', resourceType: 'Call' },
  { key: 'call/updated', version: '1.1', resourceType: 'Call' },
  { key: 'call/completed', version: '1.1', resourceType: 'Call' }
];

/** Generation-1 `event` verbs per change (docs mention create/update and "finished"; Unknown #7). */
export const GENERATION1_EVENTS = {
  created: 'create',
  updated: 'update',
  completed: 'finished'
} as const;

/**
 * Default generation-2 body. `id` and `url` are documented; `type` is our guess (Unknown #7).
 */
export function defaultGeneration2Body(
  id: string,
  url: string,
  type: string
): Record<string, unknown> {
  return { data: { id, url, type } };
}

/** How the webhook signature is computed (Unknown #5): base64 HMAC-SHA256 of the raw body, Shopify style. */
export const SIGNATURE_ENCODING: 'base64' | 'hex' = 'base64';

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

/** Default name of the Call type (Unknown #8; the reference suggests trying `CallSession`, `RemoteAssistanceCall`). */
export const CALL_TYPE_NAME = 'Call';

/** Default field name of the root calls connection (Unknown #8, reference §3.4: "field name/args Unknown"). */
export const CALLS_ROOT_FIELD = 'calls';

/** The Call type and its participants: every field name is a guess (Unknown #8). */
export function callSdl(typeName: string, updatedAt: string): string {
  return /* GraphQL */ `
  type ${typeName} implements Node {
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
    ${updatedAt}
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
}

/**
 * Connections exempt from "every connection must get `first` or `last`" when that rule is enforced
 * (option schema.requireFirstOrLast). A guess: the documented sample queries omit `first` on these
 * (`completedSteps { nodes }`, `events { nodes }`, `steps { nodes }`), so Scope must accept them somehow.
 * `Call.participants` stands for the renamed Call type too.
 */
export const BOUNDED_CONNECTION_FIELDS: ReadonlySet<string> = new Set([
  'ScenarioSession.steps',
  'ScenarioSession.completedSteps',
  'ScenarioSession.parts',
  'ScenarioSession.events',
  'Scenario.releases',
  'Call.participants'
]);

/** Page size of a connection asked without `first`/`last` (our guess; graphql-ruby has no fixed default). */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Schema parts the reference does not document, which the sandbox offers anyway (`Type.field`; `Query.x`
 * are root fields). Every entry is a guess; a test checks each one exists, so this list stays complete
 * for what it names. The Call type (callSdl) is wholly a guess and is not repeated here.
 */
export const UNDOCUMENTED_FIELDS: readonly string[] = [
  // Roots: subscriptions exist as objects (reference §2.2) but no query field for them is documented.
  'Query.webhookTopics',
  'Query.webhookSubscriptions',
  // ScenarioSession.user: the reference documents `email` and `parts.createdBy`, not `user`.
  'ScenarioSession.user',
  'ScenarioSessionStep.viewedAt',
  'ScenarioSessionStep.databaseId',
  'ScenarioSessionEvent.databaseId',
  // Part fields beyond `id databaseId createdBy externalData`.
  'ScenarioSessionPart.name',
  'ScenarioSessionPart.createdAt',
  // User / Organization extras beyond `name lastName email` and the documented organization connections.
  'User.username',
  'User.organization',
  'User.group',
  'Organization.databaseId',
  'Organization.name',
  'Organization.permalink',
  'Attachment.databaseId',
  'Attachment.fileUrl',
  // Connection extras: `before` and `hasPreviousPage` (documented: first/last/after, hasNextPage,
  // startCursor, endCursor, nodes, edges, totalCount).
  'PageInfo.hasPreviousPage',
  'WebhookSubscription.createdAt'
];

/** HTTP statuses the sandbox answers where Scope documents none (our guesses). */
export const GUESSED_STATUS = {
  /** REST v2 sign-in with a wrong password. */
  signInRejected: 401,
  /** REST v2 "simulate create" with a malformed body. */
  simulateCreateInvalid: 422,
  /** An unknown ar_content id, resource-url id, deeplink asset or user (DeeplinkError's 404). */
  notFound: 404,
  /** resource-url of a node the caller may not read. */
  resourceForbidden: 403,
  /** GraphQL or REST without a valid token (Scope's demo re-signs in on 401, reference §3.2). */
  unauthenticated: 401
} as const;

/**
 * REST v2 "simulate create" answers 200: the demo's client raises unless the status is 200 (reference
 * §3.6 [DEMO-job]) and its "simulate create" flow expects success (§3.7 [DEMO-ss]).
 */
export const SIMULATE_CREATE_STATUS = 200;

/** Generation-2 topics. The scenario_session ones are documented; `updated` and every call topic are guesses. */
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

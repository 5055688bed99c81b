import type { SandboxConfig } from '../options.ts';
import { EVENT_TYPES, callSdl } from './undocumented.ts';

// The GraphQL schema as SDL, built from reference §3–§5. Optional parts (updatedAt, updatedSince) are
// switched by options because whether Scope has them is Unknown; clients detect them by introspection.

const PAGE_ARGS = 'first: Int, last: Int, after: String, before: String';

function connection(type: string): string {
  return `
  type ${type}Connection {
    nodes: [${type}!]!
    edges: [${type}Edge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  type ${type}Edge {
    cursor: String!
    node: ${type}!
  }`;
}

export function buildSdl(schema: SandboxConfig['schema']): string {
  const updatedAt = schema.exposeUpdatedAt ? 'updatedAt: DateTime!' : '';
  const updatedSince = schema.updatedSinceFilter
    ? ', updatedSince: DateTime'
    : '';
  const callType = schema.callTypeName;
  return `
  "ISO-8601 date-time in UTC."
  scalar DateTime
  "Arbitrary JSON (external data, event data)."
  scalar JSON
  "Letters and digits (the external-data filter value)."
  scalar Alphanumeric

  interface Node {
    id: ID!
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  "Filter on a key of externalData: MATCH (key equals value) or CONTAINS (value is an element of an array)."
  input ExternalDataFilter {
    type: String!
    key: String!
    value: Alphanumeric!
  }

  enum OrderDirection {
    ASC
    DESC
  }

  input OrderBy {
    attribute: String!
    direction: OrderDirection!
  }

  enum ScenarioStepItemTypeEnum {
    ${EVENT_TYPES.join('\n    ')}
  }

  type Query {
    node(id: ID!): Node
    viewer: User
    scenarioSessions(${PAGE_ARGS}, externalData: ExternalDataFilter${updatedSince}): ScenarioSessionConnection!
    scenarioSessionEvents(${PAGE_ARGS}, valueTypes: [ScenarioStepItemTypeEnum!], scenarioSessionId: ID): ScenarioSessionEventConnection!
    ${schema.callsRootField}(${PAGE_ARGS}, externalData: ExternalDataFilter${updatedSince}): ${callType}Connection!
    webhookTopics(${PAGE_ARGS}): WebhookTopicConnection!
    webhookSubscriptions(${PAGE_ARGS}): WebhookSubscriptionConnection!
  }

  type Mutation {
    "Both documented shapes: (webhookSubscription: {...}) and (input: {webhookSubscription: {...}})."
    createWebhookSubscription(
      webhookSubscription: WebhookSubscriptionInput
      input: CreateWebhookSubscriptionInput
    ): CreateWebhookSubscriptionPayload!
  }

  type Organization implements Node {
    id: ID!
    databaseId: String!
    name: String!
    permalink: String!
    groups(${PAGE_ARGS}): GroupConnection!
    members(${PAGE_ARGS}): UserConnection!
    scenarios(${PAGE_ARGS}): ScenarioConnection!
    scenarioSessions(${PAGE_ARGS}, externalData: ExternalDataFilter${updatedSince}): ScenarioSessionConnection!
  }

  type User implements Node {
    id: ID!
    databaseId: String!
    name: String
    lastName: String
    email: String
    username: String
    organization: Organization
    group: Group
  }

  type Group implements Node {
    id: ID!
    databaseId: String!
    name: String!
    members(${PAGE_ARGS}): UserConnection!
  }

  type Scenario implements Node {
    id: ID!
    databaseId: String!
    name: String!
    description: String
    author: User
    originGroup: Group
    publishedAt: DateTime
    releases(${PAGE_ARGS}): ScenarioReleaseConnection!
  }

  type ScenarioRelease implements Node {
    id: ID!
    databaseId: String!
    author: User
    publishedAt: DateTime
    type: String
    version: String
    scenario: Scenario
  }

  type ScenarioSequence implements Node {
    id: ID!
    databaseId: String!
    name: String!
  }

  type ScenarioStep implements Node {
    id: ID!
    databaseId: String!
    name: String!
    orderIndex: Int!
    scenarioSequence: ScenarioSequence
    externalData: JSON
  }

  type ScenarioSessionStep implements Node {
    id: ID!
    databaseId: String!
    scenarioStep: ScenarioStep
    viewedAt: DateTime
    externalData: JSON
  }

  type ScenarioSessionPart implements Node {
    id: ID!
    databaseId: String!
    name: String
    createdAt: DateTime
    createdBy: User
    externalData: JSON
  }

  type Attachment implements Node {
    id: ID!
    databaseId: String!
    name: String
    author: User
    fileContentType: String
    fileDownloadCount: Int
    fileFingerprint: String
    fileName: String
    fileSize: Int
    fileUpdatedAt: DateTime
    fileUrl: String
    fileURL: String
    fileURLExpiresAt: DateTime
    organization: Organization
    owner: Node
    type: String
  }

  type ScenarioSessionEvent implements Node {
    id: ID!
    databaseId: String!
    type: String!
    createdAt: DateTime
    receivedAt: DateTime
    externalData: JSON
    eventData: JSON
    photo: Attachment
    scenarioSessionStep: ScenarioSessionStep
  }

  type ScenarioSession implements Node {
    id: ID!
    databaseId: String!
    startedAt: DateTime
    endedAt: DateTime
    duration: Float
    idleDuration: Float
    numberOfStepsPossible: Int
    numberOfStepsViewed: Int
    percentOfStepsViewed: Float
    state: String
    externalData: JSON
    sessionType: String
    email: String
    user: User
    scenarioRelease: ScenarioRelease
    completedSteps(${PAGE_ARGS}): ScenarioSessionStepConnection!
    steps(${PAGE_ARGS}): ScenarioSessionStepConnection!
    parts(${PAGE_ARGS}, orderBy: OrderBy): ScenarioSessionPartConnection!
    events(${PAGE_ARGS}, valueTypes: [ScenarioStepItemTypeEnum!]): ScenarioSessionEventConnection!
    ${updatedAt}
  }

  ${callSdl(callType, updatedAt)}

  type WebhookTopic implements Node {
    id: ID!
    key: String!
    version: String!
  }

  type WebhookSubscription implements Node {
    id: ID!
    topic: WebhookTopic!
    callbackUrl: String!
    sharedSecret: String
    query: String
    createdAt: DateTime!
  }

  input WebhookTopicInput {
    key: String
    version: String
    id: ID
  }

  input WebhookSubscriptionInput {
    topic: WebhookTopicInput!
    callbackUrl: String!
    sharedSecret: String
    query: String
  }

  input CreateWebhookSubscriptionInput {
    webhookSubscription: WebhookSubscriptionInput!
    clientMutationId: String
  }

  type UserError {
    field: String
    message: String!
    fullMessage: String!
    path: [String!]
  }

  type CreateWebhookSubscriptionPayload {
    errors: [UserError!]!
    webhookSubscription: WebhookSubscription
    clientMutationId: String
  }

  ${[
    'Group',
    'User',
    'Scenario',
    'ScenarioRelease',
    'ScenarioSession',
    'ScenarioSessionStep',
    'ScenarioSessionPart',
    'ScenarioSessionEvent',
    callType,
    'CallParticipant',
    'WebhookTopic',
    'WebhookSubscription'
  ]
    .map(connection)
    .join('\n')}
  `;
}

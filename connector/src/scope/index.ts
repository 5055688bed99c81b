// The Scope side's public surface: the client, its auth and errors, the selections and schema checks.
export { createScopeClient, DEFAULT_SELECTIONS } from './scope-client.ts';
export type {
  ScopeClient,
  ScopeClientOptions,
  NodeRequest,
  NodeResult,
  Page,
  GraphQLResult
} from './scope-client.ts';
export { SINCE_ARGUMENT_NAMES } from './scope-capabilities.ts';
export type {
  ConnectionCapabilities,
  ScopeCapabilities
} from './scope-capabilities.ts';
export { buildPageQuery, requestPage } from './scope-queries.ts';
export type { Execute } from './scope-transport.ts';
export { createScopeAuth, formatAuthorization } from './scope-auth.ts';
export type {
  ScopeAuth,
  ScopeAuthOptions,
  ScopeAuthScheme
} from './scope-auth.ts';
export { ScopeApiError } from './scope-error.ts';
export {
  buildNodeQuery,
  maxNodesPerRequest,
  SCOPE_NODE_LIMIT
} from './build-node-query.ts';
export type { NodeSelection } from './build-node-query.ts';
export { SESSION_PATHS, SESSION_SELECTION } from './session-selection.ts';
export { CALL_PATHS, CALL_SELECTION } from './call-fields.ts';
export { checkScopeSchema, selectedFields } from './check-schema.ts';
export type { SelectionReport } from './check-schema.ts';
export {
  CALL_TYPE_CANDIDATES,
  describeCallSchema,
  resolveCallSchema
} from './call-schema.ts';
export type { CallSchema, CallSchemaConfig } from './call-schema.ts';
export { scopeUpdatedAt } from './updated-at.ts';
export { subscriptionQueryProblems } from './subscription-query-rule.ts';
export { listWebhookSubscriptions } from './webhook-subscriptions.ts';
export type { WebhookSubscriptionInfo } from './webhook-subscriptions.ts';

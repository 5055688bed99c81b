// The Salesforce module: OAuth, the layered REST client, SOQL text and the IN-list helper, typed errors.
export {
  createSalesforceClient,
  COLLECTIONS_LIMIT
} from './salesforce-client.ts';
export type {
  SalesforceClient,
  SalesforceClientOptions,
  SoqlReader,
  UpsertResult,
  RecordUpdate,
  UpdateResult,
  FieldCheck
} from './salesforce-client.ts';
export { createSalesforceAuth } from './salesforce-auth.ts';
export type {
  SalesforceAuth,
  SalesforceAuthOptions,
  SalesforceToken
} from './salesforce-auth.ts';
export { createJwtAssertion } from './jwt-assertion.ts';
export { SalesforceApiError } from './salesforce-error.ts';
export {
  soqlString,
  buildInListQueries,
  queryInLists,
  queryPath,
  workOrderQuery
} from './soql.ts';
export { parseLimitInfo } from './limit-info.ts';

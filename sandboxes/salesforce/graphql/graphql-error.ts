// GraphQL errors in the shape Salesforce's GraphQL API answers them: HTTP 200 with
// `{data: null, errors: [{message, locations, paths, extensions: {ErrorType, classification}}]}`
// for a query that does not validate against the user's schema, as graphql-java (which the platform
// runs) reports it.
import type { ASTNode } from 'graphql';

export interface GraphQLErrorEntry {
  message: string;
  locations: { line: number; column: number }[];
  paths: string[];
  extensions: { ErrorType: string; classification: string };
}

export class GraphQLRequestError extends Error {
  readonly entry: GraphQLErrorEntry;

  constructor(
    message: string,
    node: ASTNode | undefined,
    classification = 'ValidationError'
  ) {
    super(message);
    const loc = node?.loc?.startToken;
    this.entry = {
      message,
      locations: loc ? [{ line: loc.line, column: loc.column }] : [],
      paths: [],
      extensions: { ErrorType: classification, classification }
    };
  }
}

/** `Validation error of type FieldUndefined: Field 'X' in type 'WorkOrder' is undefined @ 'uiapi/…'`. */
export function fieldUndefined(
  field: string,
  type: string,
  path: string[],
  node: ASTNode
): GraphQLRequestError {
  return new GraphQLRequestError(
    `Validation error of type FieldUndefined: Field '${field}' in type '${type}' is undefined @ '${[...path, field].join('/')}'`,
    node
  );
}

/** What the sandbox does not implement, said plainly rather than answered wrongly. */
export function unsupported(what: string, node?: ASTNode): GraphQLRequestError {
  return new GraphQLRequestError(
    `The Salesforce sandbox does not support ${what} in GraphQL`,
    node
  );
}

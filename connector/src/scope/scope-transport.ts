// The Scope GraphQL transport: sends one authenticated request (permalink in the body or the query
// string, the optional PrivateAccessCode header, a timeout), signs in again once when a sign-in session
// expired (401), and turns every failure into a typed ScopeApiError (http, network, auth, schema,
// graphql). It knows nothing about nodes or connections: the queries (scope-queries.ts) build on it.
import { ClientError, GraphQLClient } from 'graphql-request';
import type { Logger } from '../logger.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import type { ScopeAuth } from './scope-auth.ts';
import { ScopeApiError, parseRetryAfter } from './scope-error.ts';

export interface GraphQLError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResult<T> {
  data: T | null | undefined;
  errors: readonly GraphQLError[];
}

/** One authenticated GraphQL request; `operation` names it in metrics, logs and errors. */
export type Execute = <T>(
  operation: string,
  query: string,
  variables?: Record<string, unknown>
) => Promise<GraphQLResult<T>>;

export interface ScopeTransportOptions {
  /** e.g. https://cms.scopear.com; the GraphQL endpoint is /api/v3/graphql below it. */
  baseUrl: string;
  auth: ScopeAuth;
  permalink?: string;
  permalinkIn?: 'body' | 'query' | 'none';
  privateAccessCode?: string;
  timeoutMs?: number;
  metrics?: Pick<ProcessingMetrics, 'apiCall'>;
  logger?: Pick<Logger, 'info'>;
}

/** Messages graphql-js / graphql-ruby give when a document does not fit the schema. */
const VALIDATION_MESSAGE =
  /doesn't exist on type|Cannot query field|Unknown (argument|type|fragment)|Syntax Error|Parse error|must have (a )?selections|isn't a defined input type|was provided invalid value|of required type .* was not provided|Fragment .* cannot be spread/i;
const VALIDATION_CODES = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'undefinedField',
  'argumentNotAccepted'
]);

function isValidationError(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  return (
    (typeof code === 'string' && VALIDATION_CODES.has(code)) ||
    VALIDATION_MESSAGE.test(error.message)
  );
}

/** The graphql-request client for the endpoint; the demo's `permalink` rides in the JSON body (§3.1). */
function createGraphQLClient(options: ScopeTransportOptions): GraphQLClient {
  const permalinkIn = options.permalinkIn ?? 'body';
  const endpoint = new URL('/api/v3/graphql', options.baseUrl);
  if (options.permalink && permalinkIn === 'query')
    endpoint.searchParams.set('permalink', options.permalink);
  const permalink = permalinkIn === 'body' ? options.permalink : undefined;
  return new GraphQLClient(endpoint.toString(), {
    errorPolicy: 'all',
    jsonSerializer: {
      stringify: (value: unknown) =>
        JSON.stringify(
          permalink &&
            typeof value === 'object' &&
            value !== null &&
            !Array.isArray(value)
            ? { permalink, ...value }
            : value
        ),
      parse: (text: string) => JSON.parse(text) as unknown
    }
  });
}

/** A thrown graphql-request error as a ScopeApiError (HTTP status, or no response at all). */
function toScopeApiError(
  error: unknown,
  operation: string,
  metrics: ScopeTransportOptions['metrics']
): ScopeApiError {
  if (error instanceof ClientError) {
    const status = error.response.status;
    metrics?.apiCall('scope', operation, status);
    return new ScopeApiError(
      `Scope GraphQL ${operation} answered HTTP ${status}`,
      {
        kind: status === 401 || status === 403 ? 'auth' : 'http',
        status,
        retryAfterSeconds: parseRetryAfter(
          error.response.headers?.get?.('retry-after')
        ),
        cause: error
      }
    );
  }
  metrics?.apiCall('scope', operation, 'network');
  const message = error instanceof Error ? error.message : String(error);
  return new ScopeApiError(`Scope GraphQL ${operation} failed: ${message}`, {
    kind: 'network',
    cause: error
  });
}

interface Request {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
}

/** One HTTP round trip with the given Authorization header. */
async function send<T>(
  client: GraphQLClient,
  options: ScopeTransportOptions,
  request: Request,
  authorization: string
) {
  const headers: Record<string, string> = {
    authorization,
    accept: 'application/json'
  };
  if (options.privateAccessCode)
    headers.privateaccesscode = `Token token=${options.privateAccessCode}`;
  try {
    const response = await client.rawRequest<T>({
      query: request.query,
      variables: request.variables,
      requestHeaders: headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000)
    });
    options.metrics?.apiCall('scope', request.operation, response.status);
    return response;
  } catch (error) {
    throw toScopeApiError(error, request.operation, options.metrics);
  }
}

/** Sends the request; on a 401 of a session the auth can renew, signs in once more and resends. */
async function sendWithReauth<T>(
  client: GraphQLClient,
  options: ScopeTransportOptions,
  request: Request
) {
  const authorization = await options.auth.authorization();
  try {
    return await send<T>(client, options, request, authorization);
  } catch (error) {
    if (
      !(error instanceof ScopeApiError) ||
      error.status !== 401 ||
      !options.auth.invalidate(authorization)
    )
      throw error;
    options.logger?.info(
      { operation: request.operation },
      'Scope answered 401: signing in again'
    );
    return send<T>(
      client,
      options,
      request,
      await options.auth.authorization()
    );
  }
}

/** The answer's data and errors; no data at all is a failed query (schema = rejected by validation). */
function readResult<T>(
  operation: string,
  response: { data?: T | null; errors?: readonly GraphQLError[] }
): GraphQLResult<T> {
  const errors = (response.errors ?? []).map((e) => ({
    message: e.message,
    path: e.path,
    extensions: e.extensions
  }));
  if (response.data === null || response.data === undefined) {
    const message = errors.map((e) => e.message).join('; ') || 'no data';
    const kind = errors.some(isValidationError) ? 'schema' : 'graphql';
    throw new ScopeApiError(
      `Scope ${kind === 'schema' ? 'rejected the' : 'failed the'} ${operation} query: ${message}`,
      { kind, status: 200 }
    );
  }
  return { data: response.data, errors };
}

/** The transport's one operation: an authenticated GraphQL request with typed failures. */
export function createScopeTransport(options: ScopeTransportOptions): Execute {
  const client = createGraphQLClient(options);
  return async <T>(
    operation: string,
    query: string,
    variables: Record<string, unknown> = {}
  ): Promise<GraphQLResult<T>> => {
    const response = await sendWithReauth<T>(client, options, {
      operation,
      query,
      variables
    });
    return readResult<T>(operation, response);
  };
}

import {
  GraphQLError,
  execute,
  getNamedType,
  getNullableType,
  isLeafType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema
} from 'graphql';
import type { Caller } from './auth/authenticate.ts';
import type { SandboxConfig } from './options.ts';
import type { GraphqlContext } from './schema/context.ts';
import type { PhotoFiles } from './files/photo-files.ts';
import { measureQueryCost } from './schema/query-cost.ts';
import type { Stats } from './stats.ts';
import type { Store } from './store/store.ts';
import type { Subscriptions } from './webhooks/subscriptions.ts';

// Parse → validate → node-limit check → execute, shared by the HTTP endpoint, the thin REST
// `resource-url` endpoint and custom webhook payload queries.

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface GraphqlRuntime {
  schema: GraphQLSchema;
  /** `observed: false` keeps the request out of the operation statistics (the control plane's reads). */
  run(
    caller: Caller,
    request: GraphqlRequest,
    options?: { observed?: boolean }
  ): Promise<ExecutionResult>;
  /** First-level scalar attributes of a node, for `resource-url`. */
  attributes(
    caller: Caller,
    typename: string,
    id: string
  ): Promise<ExecutionResult>;
  validateQuery(source: string): string[];
}

export interface RuntimeDeps {
  schema: GraphQLSchema;
  store: Store;
  config: SandboxConfig;
  subscriptions: Subscriptions;
  stats: Stats;
  baseUrl: () => string;
  photos: PhotoFiles;
}

function operationKey(
  document: DocumentNode,
  operationName: string | null | undefined
): string {
  if (operationName) return operationName;
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') {
      if (definition.name) return definition.name.value;
      const fields = definition.selectionSet.selections.map((selection) =>
        selection.kind === 'Field' ? selection.name.value : '…'
      );
      return `${definition.operation}:${fields.join(',')}`;
    }
  }
  return 'unknown';
}

export function createGraphqlRuntime(deps: RuntimeDeps): GraphqlRuntime {
  const { schema } = deps;
  const counts = new Map<string, number>();
  const validateQuery = (source: string): string[] => {
    try {
      return validate(schema, parse(source), specifiedRules).map(
        (error) => error.message
      );
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
  };
  const run = async (
    caller: Caller,
    request: GraphqlRequest,
    { observed = true }: { observed?: boolean } = {}
  ): Promise<ExecutionResult> => {
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      deps.stats.rejected('syntax');
      return {
        errors: [
          error instanceof GraphQLError
            ? error
            : new GraphQLError(String(error))
        ]
      };
    }
    const validationErrors = validate(schema, document, specifiedRules);
    if (validationErrors.length > 0) {
      deps.stats.rejected('validation');
      return { errors: validationErrors };
    }
    const variables = request.variables ?? {};
    const cost = measureQueryCost(
      schema,
      document,
      request.operationName ?? undefined,
      variables,
      deps.config.schema
    );
    if (cost.errors.length > 0) {
      deps.stats.rejected('limits');
      return { errors: cost.errors };
    }
    if (observed)
      deps.stats.operation(
        operationKey(document, request.operationName),
        cost.nodes
      );
    if (counts.size > 1000) counts.clear();
    const context: GraphqlContext = {
      caller,
      store: deps.store,
      config: deps.config,
      subscriptions: deps.subscriptions,
      baseUrl: deps.baseUrl(),
      photos: deps.photos,
      counts,
      validateQuery
    };
    return execute({
      schema,
      document,
      variableValues: variables,
      operationName: request.operationName ?? undefined,
      contextValue: context
    });
  };
  return {
    schema,
    run,
    validateQuery,
    attributes(caller, typename, id) {
      const type = schema.getType(typename);
      if (!isObjectType(type))
        return Promise.resolve({
          errors: [new GraphQLError(`Unknown type ${typename}`)]
        });
      const fields = Object.values(type.getFields())
        .filter(
          (field) =>
            field.args.length === 0 &&
            isLeafType(getNamedType(getNullableType(field.type)))
        )
        .map((field) => field.name);
      return run(caller, {
        query: `query Resource($id: ID!) { node(id: $id) { __typename ... on ${typename} { ${fields.join(' ')} } } }`,
        variables: { id }
      });
    }
  };
}

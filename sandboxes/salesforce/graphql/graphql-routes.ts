// `POST /services/data/vXX.X/graphql`: the subset of Salesforce's UI API GraphQL that WorkLink's
// components use (record connections with where/orderBy/first/after, edges/node/cursor, totalCount,
// pageInfo). Each connection runs as SOQL through the sandbox's own engine as the calling user, so the
// answer sees exactly the fields and records a REST query would. Validation problems answer HTTP 200
// with `errors`, as the platform does.
import { Router } from 'express';
import { ApiError } from '../errors.ts';
import { GraphQLRequestError } from './graphql-error.ts';
import {
  connectionQueries,
  readOperation,
  withDefaults
} from './uiapi-document.ts';
import { connectionSoql, encodeCursor } from './to-soql.ts';
import { uiDisplayValue, uiValue } from './ui-values.ts';
import type { GraphQLErrorEntry } from './graphql-error.ts';
import type { ConnectionQuery, NodeSelection } from './uiapi-document.ts';
import type { SandboxState } from '../state.ts';
import type { SRecord } from '../store/record-store.ts';

export interface GraphQLAnswer {
  data: Record<string, unknown> | null;
  errors?: GraphQLErrorEntry[];
}

type Json = Record<string, unknown>;

function nodeOf(selection: NodeSelection, row: SRecord): Json {
  const node: Json = {};
  for (const key of selection.idKeys) node[key] = row.Id ?? null;
  for (const key of selection.typenameKeys) node[key] = selection.def.name;
  for (const f of selection.fields) {
    const raw = row[f.field.name];
    const out: Json = {};
    for (const p of f.parts)
      out[p.key] =
        p.part === 'value'
          ? uiValue(f.field, raw)
          : uiDisplayValue(f.field, raw);
    node[f.key] = out;
  }
  for (const p of selection.parents) {
    const parent = row[p.lookup.relationshipName ?? p.lookup.name];
    node[p.key] =
      parent && typeof parent === 'object'
        ? nodeOf(p.node, parent as SRecord)
        : null;
  }
  return Object.fromEntries(selection.order.map((key) => [key, node[key]]));
}

/** The SOQL engine's error, told as GraphQL: its last line is the message (the rest repeats the SOQL). */
function fromSoqlError(
  error: ApiError,
  query: ConnectionQuery
): GraphQLRequestError {
  const message = error.message.trim().split('\n').at(-1) ?? error.message;
  return new GraphQLRequestError(
    `${error.errorCode}: ${message}`,
    query.at,
    'DataFetchingException'
  );
}

function runConnection(
  state: SandboxState,
  query: ConnectionQuery
): { value: Json; records: number } {
  const { soql, countSoql, offset } = connectionSoql(state.userSchema, query);
  let rows: SRecord[];
  let total: number | undefined;
  try {
    rows = state.query.query(soql, 2000).records;
    if (query.totalCountKeys.length || query.pageInfo.length)
      total = state.query.query(countSoql).totalSize;
  } catch (error) {
    if (error instanceof ApiError) throw fromSoqlError(error, query);
    throw error;
  }
  const value: Json = {};
  for (const edges of query.edges)
    value[edges.key] = rows.map((row, i) => {
      const edge: Json = {};
      if (edges.nodeKey && edges.node)
        edge[edges.nodeKey] = nodeOf(edges.node, row);
      if (edges.cursorKey) edge[edges.cursorKey] = encodeCursor(offset + i);
      return edge;
    });
  for (const key of query.totalCountKeys) value[key] = total;
  const info: Json = {
    hasNextPage: total !== undefined && offset + rows.length < total,
    hasPreviousPage: offset > 0,
    startCursor: rows.length ? encodeCursor(offset) : null,
    endCursor: rows.length ? encodeCursor(offset + rows.length - 1) : null
  };
  for (const page of query.pageInfo)
    value[page.key] = Object.fromEntries(
      page.fields.map((f) => [f.key, info[f.name]])
    );
  return { value, records: rows.length };
}

function place(data: Json, path: string[], value: unknown): void {
  let target = data;
  for (const key of path.slice(0, -1)) {
    target[key] ??= {};
    target = target[key] as Json;
  }
  target[path.at(-1) as string] = value;
}

/** Runs one GraphQL request body ({query, variables, operationName}) as the acting user. */
export function executeGraphQL(
  state: SandboxState,
  body: unknown
): { answer: GraphQLAnswer; records: number } {
  const request = (body ?? {}) as {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
  };
  try {
    if (typeof request.query !== 'string' || request.query.trim() === '')
      throw new GraphQLRequestError(
        'Query must be a non-empty string',
        undefined,
        'InvalidSyntax'
      );
    const operation = readOperation(
      request.query,
      typeof request.operationName === 'string'
        ? request.operationName
        : undefined
    );
    const variables = withDefaults(
      operation,
      request.variables && typeof request.variables === 'object'
        ? (request.variables as Json)
        : {}
    );
    const queries = connectionQueries(state.userSchema, operation, variables);
    const data: Json = {};
    let records = 0;
    for (const query of queries) {
      const result = runConnection(state, query);
      place(data, query.path, result.value);
      records += result.records;
    }
    return { answer: { data }, records };
  } catch (error) {
    if (error instanceof GraphQLRequestError)
      return { answer: { data: null, errors: [error.entry] }, records: 0 };
    throw error;
  }
}

export function createGraphQLRoutes(state: SandboxState): Router {
  const router = Router({ mergeParams: true });
  router.post('/graphql', (req, res) => {
    const { answer, records } = executeGraphQL(state, req.body);
    res.locals.records = records;
    res.json(answer);
  });
  return router;
}

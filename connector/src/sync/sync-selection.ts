// The GraphQL page queries of the sync. Each node carries two parts:
//  - the processing engineer's selection (scope.currentSelections(), with `updatedAt` when the tenant has
//    it), unchanged, so that reconciliation hands the worker exactly the node shape its webhook path
//    fetches and maps, and both judge "updated" by the same scopeUpdatedAt;
//  - analytics extras under `wl_` aliases (ignored by the mapping, stripped before reconciliation), each
//    included only when introspection shows the tenant's type has the field.
import type { ResourceKind } from '../contracts.ts';
import { buildPageQuery as buildConnectionQuery } from '../scope/index.ts';
import type {
  ConnectionCapabilities,
  NodeSelection,
  ScopeCapabilities
} from '../scope/index.ts';

export const EXTRA_PREFIX = 'wl_';
/** Nested page sizes: with 25 sessions a page costs 25 × ~205 nodes, far below the 500,000 limit. */
export const NESTED_PAGE = 100;

type Fields = ScopeCapabilities['fields'];

function pick(
  fields: Fields,
  type: string,
  wanted: readonly string[],
  nested: Record<string, string> = {}
): string {
  const has = fields[type];
  if (!has || has.size === 0) return '';
  return wanted
    .filter((name) => has.has(name))
    .map((name) =>
      nested[name] === undefined
        ? name
        : nested[name]
          ? `${name} ${nested[name]}`
          : ''
    )
    .filter(Boolean)
    .join(' ');
}

function object(
  fields: Fields,
  type: string,
  wanted: readonly string[],
  nested: Record<string, string> = {}
): string {
  const inner = pick(fields, type, wanted, nested);
  return inner ? `{ ${inner} }` : '';
}

function alias(fields: Fields, type: string, field: string, rest = ''): string {
  return fields[type]?.has(field)
    ? `${EXTRA_PREFIX}${field}: ${field}${rest}`
    : '';
}

function userSelection(fields: Fields): string {
  return object(fields, 'User', ['id', 'databaseId', 'name', 'email']);
}

function releaseSelection(fields: Fields): string {
  const scenario = object(fields, 'Scenario', [
    'id',
    'databaseId',
    'name',
    'description',
    'publishedAt'
  ]);
  return object(
    fields,
    'ScenarioRelease',
    ['id', 'databaseId', 'version', 'publishedAt', 'scenario'],
    { scenario }
  );
}

function stepSelection(fields: Fields): string {
  const scenarioStep = object(
    fields,
    'ScenarioStep',
    ['id', 'databaseId', 'name', 'orderIndex', 'scenarioSequence'],
    { scenarioSequence: object(fields, 'ScenarioSequence', ['name']) }
  );
  return object(
    fields,
    'ScenarioSessionStep',
    ['id', 'databaseId', 'viewedAt', 'scenarioStep'],
    { scenarioStep }
  );
}

function eventSelection(fields: Fields): string {
  const photo = object(fields, 'Attachment', [
    'id',
    'fileName',
    'fileContentType',
    'fileSize'
  ]);
  const eventStep = object(
    fields,
    'ScenarioSessionStep',
    ['id', 'scenarioStep'],
    { scenarioStep: '{ id name }' }
  );
  return object(
    fields,
    'ScenarioSessionEvent',
    [
      'id',
      'databaseId',
      'type',
      'createdAt',
      'receivedAt',
      'eventData',
      'photo',
      'scenarioSessionStep'
    ],
    { photo, scenarioSessionStep: eventStep }
  );
}

/** A nested connection's first page, aliased, when its node selection is not empty. */
function nestedPage(fields: Fields, field: string, nodes: string): string {
  return nodes
    ? alias(
        fields,
        'ScenarioSession',
        field,
        `(first: ${NESTED_PAGE}) { nodes ${nodes} pageInfo { hasNextPage } }`
      )
    : '';
}

export function sessionExtras(fields: Fields): string {
  const user = userSelection(fields);
  const release = releaseSelection(fields);
  const createdBy = user ? `{ nodes { createdBy ${user} } }` : '';
  return [
    alias(fields, 'ScenarioSession', 'sessionType'),
    user ? alias(fields, 'ScenarioSession', 'user', ` ${user}`) : '',
    release
      ? alias(fields, 'ScenarioSession', 'scenarioRelease', ` ${release}`)
      : '',
    createdBy
      ? alias(fields, 'ScenarioSession', 'parts', `(first: 1) ${createdBy}`)
      : '',
    nestedPage(fields, 'steps', stepSelection(fields)),
    nestedPage(fields, 'events', eventSelection(fields))
  ]
    .filter(Boolean)
    .join('\n  ');
}

export function callExtras(fields: Fields): string {
  const user = userSelection(fields);
  return [
    alias(fields, 'Call', 'createdAt'),
    user ? alias(fields, 'Call', 'caller', ` ${user}`) : '',
    user ? alias(fields, 'Call', 'expert', ` ${user}`) : '',
    alias(
      fields,
      'Call',
      'participants',
      `(first: ${NESTED_PAGE}) { nodes { id } }`
    )
  ]
    .filter(Boolean)
    .join('\n  ');
}

export interface PageQuery {
  query: string;
  /** Variables besides first/after: the "since" filter when used. */
  sinceVariable?: string;
}

export function buildPageQuery(
  kind: ResourceKind,
  rootField: string,
  base: NodeSelection,
  extras: string,
  connection: ConnectionCapabilities,
  useSince: boolean
): PageQuery {
  const since = useSince && connection.sinceArgument ? connection : undefined;
  const query = buildConnectionQuery({
    name: kind === 'Call' ? 'WorkLinkSyncCalls' : 'WorkLinkSyncSessions',
    rootField,
    typeName: base.typeName,
    fragments: [
      { name: 'Base', selection: base.selection },
      { name: 'Extras', selection: extras ? `\n  ${extras}\n` : '' }
    ],
    ...(since?.sinceArgument
      ? {
          since: {
            argument: since.sinceArgument,
            type: since.sinceType ?? 'DateTime'
          }
        }
      : {})
  });
  return { query, ...(since ? { sinceVariable: 'since' } : {}) };
}

export function buildCountQuery(rootField: string): string {
  return `query WorkLinkSyncCount { count: ${rootField}(first: 1) { totalCount } }`;
}

/** The node as the webhook path would see it: analytics aliases removed. */
export function baseNode(
  node: Record<string, unknown>
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node))
    if (!key.startsWith(EXTRA_PREFIX)) copy[key] = value;
  return copy;
}

import { GraphQLError } from 'graphql';

// Relay cursor connections over any id-ordered source. Rows the caller may not read are removed after
// the page is cut, so a page can hold fewer rows than asked for with no error (reference §3.6).

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface OrderedSource<T> {
  ascending(afterId?: number): Iterable<T>;
  descending(beforeId?: number): Iterable<T>;
}

export interface Connection<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: () => number;
}

export function encodeCursor(id: number): string {
  return Buffer.from(`cursor:v1:${id}`).toString('base64');
}

export function decodeCursor(cursor: string): number {
  const match = /^cursor:v1:(-?\d+)$/.exec(
    Buffer.from(cursor, 'base64').toString('utf8')
  );
  if (!match?.[1])
    throw new GraphQLError(`Invalid cursor: ${JSON.stringify(cursor)}`);
  return Number(match[1]);
}

export interface PaginateOptions<T> {
  idOf: (item: T) => number;
  /** Rows that exist for this query (company, filters); they count in totalCount. */
  matches?: (item: T) => boolean;
  /** Rows the caller may read; others are dropped silently from the page. */
  visible?: (item: T) => boolean;
  totalCount?: () => number;
  /** Page size when neither `first` nor `last` is given (the sandbox's schema.defaultPageSize). */
  defaultSize?: number;
}

const DEFAULT_PAGE = 100;

export function paginate<T>(
  args: PageArgs,
  source: OrderedSource<T>,
  options: PaginateOptions<T>
): Connection<T> {
  const { idOf, matches = () => true, visible = () => true } = options;
  if (args.first != null && args.last != null) {
    throw new GraphQLError(
      'Passing both `first` and `last` to paginate a connection is not supported.'
    );
  }
  const afterId = args.after ? decodeCursor(args.after) : undefined;
  const beforeId = args.before ? decodeCursor(args.before) : undefined;
  const backwards = args.last != null;
  const size =
    (backwards ? args.last : args.first) ?? options.defaultSize ?? DEFAULT_PAGE;
  const taken: T[] = [];
  let more = false;
  if (!backwards) {
    for (const item of source.ascending(afterId)) {
      if (beforeId !== undefined && idOf(item) >= beforeId) break;
      if (!matches(item)) continue;
      if (taken.length === size) {
        more = true;
        break;
      }
      taken.push(item);
    }
  } else {
    for (const item of source.descending(beforeId)) {
      if (afterId !== undefined && idOf(item) <= afterId) break;
      if (!matches(item)) continue;
      if (taken.length === size) {
        more = true;
        break;
      }
      taken.push(item);
    }
    taken.reverse();
  }
  const firstItem = taken[0];
  const lastItem = taken[taken.length - 1];
  const shown = taken.filter(visible);
  return {
    nodes: shown,
    edges: shown.map((node) => ({ cursor: encodeCursor(idOf(node)), node })),
    pageInfo: {
      hasNextPage: backwards ? beforeId !== undefined : more,
      hasPreviousPage: backwards ? more : afterId !== undefined,
      startCursor:
        firstItem === undefined ? null : encodeCursor(idOf(firstItem)),
      endCursor: lastItem === undefined ? null : encodeCursor(idOf(lastItem))
    },
    totalCount:
      options.totalCount ??
      (() => {
        let count = 0;
        for (const item of source.ascending()) if (matches(item)) count += 1;
        return count;
      })
  };
}

/** An in-memory list as an ordered source (ids ascending). */
export function arraySource<T>(
  items: readonly T[],
  idOf: (item: T) => number
): OrderedSource<T> {
  const sorted = [...items].sort((a, b) => idOf(a) - idOf(b));
  return {
    ascending: (afterId) =>
      sorted.filter((item) => afterId === undefined || idOf(item) > afterId),
    descending: (beforeId) =>
      sorted
        .filter((item) => beforeId === undefined || idOf(item) < beforeId)
        .reverse()
  };
}

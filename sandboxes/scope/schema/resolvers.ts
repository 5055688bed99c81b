import { createHash } from 'node:crypto';
import type { SignedUrl } from '../files/photo-files.ts';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { canRead } from '../auth/authenticate.ts';
import { decodeNodeId } from '../node-id.ts';
import {
  GROUPS,
  SCENARIOS,
  USERS,
  findCompany,
  findScenario,
  findUser
} from '../seed/fixtures.ts';
import type { ScenarioFixture, ScenarioStepFixture } from '../seed/fixtures.ts';
import type {
  CallRecord,
  ExternalData,
  SessionRecord
} from '../store/records.ts';
import { externalDataValue } from '../store/external-data.ts';
import type { Table } from '../store/store.ts';
import {
  TOPICS,
  findTopic,
  type Subscription
} from '../webhooks/subscriptions.ts';
import {
  arraySource,
  paginate,
  type OrderedSource,
  type PageArgs,
  type PaginateOptions
} from './connection.ts';
import { tag, type GraphqlContext } from './context.ts';
import {
  CHILDREN_PER_SESSION,
  callParticipants,
  completedSessionSteps,
  sessionEvents,
  sessionParts,
  sessionSteps,
  type ParticipantView,
  type SessionEventView,
  type SessionPartView,
  type SessionStepView
} from './derived.ts';
import { loadNodeById, nodeId, readable, sequenceId } from './nodes.ts';
import type { SandboxConfig } from '../options.ts';

// Field resolvers by type. Fields not listed resolve to the property of the same name.

type Resolver = GraphQLFieldResolver<
  never,
  GraphqlContext,
  Record<string, unknown>
>;
export type ResolverMap = Record<string, Record<string, Resolver>>;

interface ExternalDataFilter {
  type: string;
  key: string;
  value: string;
}

type ListArgs = PageArgs & {
  externalData?: ExternalDataFilter | null;
  updatedSince?: number | null;
};

const byId = (item: { databaseId: number }): number => item.databaseId;

const photoOf = (source: unknown, context: GraphqlContext) =>
  context.photos.spec((source as SessionEventView).databaseId);
/** One signature per photo per request, so fileURL and fileURLExpiresAt always agree. */
const signedThisRequest = new WeakMap<GraphqlContext, Map<number, SignedUrl>>();
const signedPhoto = (source: unknown, context: GraphqlContext): SignedUrl => {
  const id = (source as SessionEventView).databaseId;
  let signed = signedThisRequest.get(context);
  if (!signed) {
    signed = new Map();
    signedThisRequest.set(context, signed);
  }
  let url = signed.get(id);
  if (!url) {
    url = context.photos.sign(context.baseUrl, id);
    signed.set(id, url);
  }
  return url;
};

/** One page of an in-memory list, in databaseId order. */
function listPage<T extends { databaseId: number }>(
  args: Record<string, unknown>,
  items: readonly T[],
  options: Omit<PaginateOptions<T>, 'idOf'> = {}
) {
  return paginate(args as PageArgs, arraySource(items, byId), {
    idOf: byId,
    ...options
  });
}

/** A root list without `first`/`last` gets the configured default page size (schema.defaultPageSize). */
function rootPage<T extends { databaseId: number }>(
  context: GraphqlContext,
  args: Record<string, unknown>,
  items: readonly T[]
) {
  return listPage(args, items, {
    defaultSize: context.config.schema.defaultPageSize
  });
}

function externalDataMatches(
  data: ExternalData,
  filter: ExternalDataFilter
): boolean {
  const value = externalDataValue(data, filter.key);
  if (filter.type === 'MATCH')
    return (
      value !== undefined && value !== null && String(value) === filter.value
    );
  return (
    Array.isArray(value) && value.some((item) => String(item) === filter.value)
  );
}

function listRows<
  T extends {
    databaseId: number;
    company: string;
    groupId: number;
    externalData: ExternalData;
    updatedAt: number;
  }
>(
  context: GraphqlContext,
  table: Table<T>,
  name: string,
  args: ListArgs,
  company: string
) {
  const filter = args.externalData ?? null;
  if (filter && filter.type !== 'MATCH' && filter.type !== 'CONTAINS') {
    throw new GraphQLError(
      `externalData.type must be MATCH or CONTAINS, got ${JSON.stringify(filter.type)}.`
    );
  }
  const since = args.updatedSince ?? null;
  const matches = (row: T): boolean =>
    row.company === company &&
    (filter === null || externalDataMatches(row.externalData, filter)) &&
    (since === null || row.updatedAt >= since);
  const countKey = `${name}|${company}|${JSON.stringify(filter)}|${since}|${table.version}`;
  return paginate(args, table, {
    idOf: byId,
    defaultSize: context.config.schema.defaultPageSize,
    matches,
    visible: (row) => canRead(context.caller, row),
    totalCount: () => {
      const cached = context.counts.get(countKey);
      if (cached !== undefined) return cached;
      let count = 0;
      for (const row of table.ascending()) if (matches(row)) count += 1;
      context.counts.set(countKey, count);
      return count;
    }
  });
}

/** All events of all sessions in id order, generated while paging (ids are session id × 100 + step). */
function eventSource(
  context: GraphqlContext,
  sessionId: number | null
): OrderedSource<SessionEventView> {
  const sessions = context.store.sessions;
  const of = (session: SessionRecord | undefined): SessionEventView[] =>
    session ? sessionEvents(session) : [];
  return {
    *ascending(afterId) {
      if (sessionId !== null) {
        yield* of(sessions.get(sessionId)).filter(
          (event) => afterId === undefined || event.databaseId > afterId
        );
        return;
      }
      const afterSession =
        afterId === undefined
          ? undefined
          : Math.floor(afterId / CHILDREN_PER_SESSION) - 1;
      for (const session of sessions.ascending(afterSession)) {
        yield* sessionEvents(session).filter(
          (event) => afterId === undefined || event.databaseId > afterId
        );
      }
    },
    *descending(beforeId) {
      if (sessionId !== null) {
        yield* of(sessions.get(sessionId))
          .filter(
            (event) => beforeId === undefined || event.databaseId < beforeId
          )
          .reverse();
        return;
      }
      const beforeSession =
        beforeId === undefined
          ? undefined
          : Math.floor(beforeId / CHILDREN_PER_SESSION) + 1;
      for (const session of sessions.descending(beforeSession)) {
        yield* sessionEvents(session)
          .filter(
            (event) => beforeId === undefined || event.databaseId < beforeId
          )
          .reverse();
      }
    }
  };
}

function sessionIdArgument(
  value: unknown,
  context: GraphqlContext
): number | null {
  if (value === undefined || value === null) return null;
  const text = String(value);
  // The documented example passes a numeric-looking id; whether it is the databaseId is Unknown: accept both.
  if (/^\d+$/.test(text)) return Number(text);
  const decoded = decodeNodeId(text, context.config.schema.nodeIdStyle);
  if (!decoded || decoded.type !== 'ScenarioSession')
    throw new GraphQLError(
      `Invalid scenarioSessionId ${JSON.stringify(text)}.`
    );
  return Number(decoded.databaseId);
}

function duration(
  context: GraphqlContext,
  seconds: number | null
): number | null {
  if (seconds === null) return null;
  return context.config.schema.durationUnit === 'milliseconds'
    ? seconds * 1000
    : seconds;
}

function tagAll<T extends object>(typename: string, items: T[]): T[] {
  return items.map((item) => tag(typename, item));
}

function webhookSubscriptionInput(args: Record<string, unknown>) {
  const wrapped = args.input as
    | { webhookSubscription?: unknown; clientMutationId?: string }
    | null
    | undefined;
  const input = (wrapped?.webhookSubscription ?? args.webhookSubscription) as
    | {
        topic: { key?: string; version?: string; id?: string };
        callbackUrl: string;
        sharedSecret?: string;
        query?: string;
      }
    | undefined;
  return { input, clientMutationId: wrapped?.clientMutationId ?? null };
}

function userError(field: string | null, message: string) {
  return {
    field,
    message,
    fullMessage: field ? `${field} ${message}` : message,
    path: field ? [field] : null
  };
}

const ownNode =
  (typename: string): Resolver =>
  (source, _args, context) =>
    nodeId(context, typename, (source as { databaseId: number }).databaseId);
const asString: Resolver = (source) =>
  String((source as { databaseId: number }).databaseId);

function withIds(
  typename: string,
  fields: Record<string, Resolver> = {}
): Record<string, Resolver> {
  return { id: ownNode(typename), databaseId: asString, ...fields };
}

/** Resolvers by public type name: the Call type and the calls root carry their configured names. */
export function createResolvers(
  schema: Pick<SandboxConfig['schema'], 'callTypeName' | 'callsRootField'>
): ResolverMap {
  const session = (source: never) => source as unknown as SessionRecord;
  const call = (source: never) => source as unknown as CallRecord;
  return {
    Query: {
      node: (_source, args, context) => {
        const loaded = loadNodeById(context, String(args.id));
        if (!loaded) return null;
        if (!loaded.readable)
          throw new GraphQLError('Not authorized to read object');
        return loaded.value;
      },
      viewer: (_source, _args, context) =>
        readable(
          context,
          'User',
          context.caller.userId ??
            USERS.find(
              (user) =>
                user.company === context.caller.company && user.role === 'admin'
            )?.databaseId
        ),
      scenarioSessions: (_source, args, context) =>
        listRows(
          context,
          context.store.sessions,
          'sessions',
          args as ListArgs,
          context.caller.company
        ),
      [schema.callsRootField]: (_source, args, context) =>
        listRows(
          context,
          context.store.calls,
          'calls',
          args as ListArgs,
          context.caller.company
        ),
      scenarioSessionEvents: (_source, args, context) => {
        const types = (args.valueTypes as string[] | null | undefined) ?? null;
        return paginate(
          args as PageArgs,
          eventSource(
            context,
            sessionIdArgument(args.scenarioSessionId, context)
          ),
          {
            idOf: byId,
            defaultSize: context.config.schema.defaultPageSize,
            matches: (event) =>
              (types === null || types.includes(event.type)) &&
              event.session.company === context.caller.company,
            visible: (event) => canRead(context.caller, event.session)
          }
        );
      },
      webhookTopics: (_source, args, context) =>
        rootPage(context, args, tagAll('WebhookTopic', [...TOPICS])),
      webhookSubscriptions: (_source, args, context) =>
        rootPage(
          context,
          args,
          tagAll(
            'WebhookSubscription',
            context.subscriptions.list(context.caller.company)
          )
        )
    },
    Mutation: {
      createWebhookSubscription: (_source, args, context) => {
        const { input, clientMutationId } = webhookSubscriptionInput(args);
        if (!input)
          throw new GraphQLError(
            'Provide `webhookSubscription` or `input: { webhookSubscription }`.'
          );
        const failed = (errors: ReturnType<typeof userError>[]) => ({
          errors,
          webhookSubscription: null,
          clientMutationId
        });
        if (context.caller.groupIds !== null) {
          return failed([
            userError(
              null,
              'You are not authorized to manage webhook subscriptions.'
            )
          ]);
        }
        const topicId = input.topic.id
          ? decodeNodeId(input.topic.id, context.config.schema.nodeIdStyle)
          : null;
        const topic = topicId
          ? TOPICS.find(
              (item) =>
                topicId.type === 'WebhookTopic' &&
                item.databaseId === Number(topicId.databaseId)
            )
          : findTopic(input.topic.key, input.topic.version);
        const errors = [];
        if (!topic) errors.push(userError('topic', 'does not exist'));
        let url: URL | null = null;
        try {
          url = new URL(input.callbackUrl);
        } catch {
          url = null;
        }
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
          errors.push(userError('callbackUrl', 'is invalid'));
        if (input.query) {
          for (const message of context.validateQuery(input.query))
            errors.push(userError('query', `is invalid: ${message}`));
        }
        if (!topic || errors.length > 0) return failed(errors);
        const row: Subscription = context.subscriptions.add({
          company: context.caller.company,
          topic,
          callbackUrl: input.callbackUrl,
          sharedSecret: input.sharedSecret ?? null,
          query: input.query ?? null
        });
        return {
          errors: [],
          webhookSubscription: tag('WebhookSubscription', row),
          clientMutationId
        };
      }
    },
    Organization: withIds('Organization', {
      groups: (source, args, context) =>
        listPage(
          args,
          tagAll(
            'Group',
            GROUPS.filter(
              (group) =>
                group.company === (source as { permalink: string }).permalink
            )
          ),
          {
            visible: (group) =>
              context.caller.groupIds === null ||
              context.caller.groupIds.includes(group.databaseId)
          }
        ),
      members: (source, args) =>
        listPage(
          args,
          tagAll(
            'User',
            USERS.filter(
              (user) =>
                user.company === (source as { permalink: string }).permalink
            )
          )
        ),
      scenarios: (source, args) =>
        listPage(
          args,
          tagAll(
            'Scenario',
            SCENARIOS.filter(
              (scenario) =>
                scenario.company === (source as { permalink: string }).permalink
            )
          )
        ),
      scenarioSessions: (source, args, context) =>
        listRows(
          context,
          context.store.sessions,
          'sessions',
          args as ListArgs,
          (source as { permalink: string }).permalink
        )
    }),
    User: withIds('User', {
      username: (source) => (source as { email: string }).email,
      organization: (source, _args, context) => {
        const company = findCompany((source as { company: string }).company);
        return company
          ? readable(context, 'Organization', company.databaseId)
          : null;
      },
      group: (source, _args, context) =>
        readable(context, 'Group', (source as { groupId: number }).groupId)
    }),
    Group: withIds('Group', {
      members: (source, args) =>
        listPage(
          args,
          tagAll(
            'User',
            USERS.filter(
              (user) =>
                user.groupId === (source as { databaseId: number }).databaseId
            )
          )
        )
    }),
    Scenario: withIds('Scenario', {
      author: (source, _args, context) =>
        readable(context, 'User', (source as ScenarioFixture).authorId),
      originGroup: (source, _args, context) =>
        readable(context, 'Group', (source as ScenarioFixture).originGroupId),
      releases: (source, args) => {
        const scenario = source as ScenarioFixture;
        return listPage(
          args,
          scenario.releases.map((release) =>
            tag('ScenarioRelease', { ...release, scenario })
          )
        );
      }
    }),
    ScenarioRelease: withIds('ScenarioRelease', {
      author: (source, _args, context) =>
        readable(
          context,
          'User',
          (source as { scenario: ScenarioFixture }).scenario.authorId
        ),
      scenario: (source) =>
        tag('Scenario', (source as { scenario: ScenarioFixture }).scenario)
    }),
    ScenarioSequence: withIds('ScenarioSequence'),
    ScenarioStep: withIds('ScenarioStep', {
      scenarioSequence: (source) => {
        const step = source as ScenarioStepFixture;
        return tag('ScenarioSequence', {
          databaseId: sequenceId(
            Math.floor(step.databaseId / 100),
            step.sequence
          ),
          name: step.sequence
        });
      },
      externalData: () => ({})
    }),
    ScenarioSessionStep: withIds('ScenarioSessionStep', {
      scenarioStep: (source) =>
        tag('ScenarioStep', (source as SessionStepView).step),
      externalData: () => ({})
    }),
    ScenarioSessionPart: withIds('ScenarioSessionPart', {
      createdBy: (source, _args, context) =>
        readable(context, 'User', (source as SessionPartView).session.userId),
      externalData: (source) => ({
        partNumber: (source as SessionPartView).partNumber
      })
    }),
    Attachment: withIds('Attachment', {
      name: (source, _args, context) => photoOf(source, context).fileName,
      fileName: (source, _args, context) => photoOf(source, context).fileName,
      fileContentType: (source, _args, context) =>
        photoOf(source, context).contentType,
      fileSize: (source, _args, context) => photoOf(source, context).size,
      // Every read signs a fresh URL: a client whose link expired queries the event again.
      fileUrl: (source, _args, context) => signedPhoto(source, context).url,
      fileURL: (source, _args, context) => signedPhoto(source, context).url,
      fileURLExpiresAt: (source, _args, context) =>
        signedPhoto(source, context).expiresAt,
      // The technician who took the photo; the file is the session's, so the session owns it.
      author: (source, _args, context) =>
        readable(context, 'User', (source as SessionEventView).session.userId),
      owner: (source, _args, context) =>
        readable(
          context,
          'ScenarioSession',
          (source as SessionEventView).session.databaseId
        ),
      organization: (source, _args, context) => {
        const company = findCompany(
          (source as SessionEventView).session.company
        );
        return company
          ? readable(context, 'Organization', company.databaseId)
          : null;
      },
      type: () => 'PHOTO',
      fileDownloadCount: () => 0,
      fileFingerprint: (source) =>
        createHash('md5')
          .update(`photo-${(source as SessionEventView).databaseId}`)
          .digest('hex'),
      fileUpdatedAt: (source) => (source as SessionEventView).createdAt
    }),
    ScenarioSessionEvent: withIds('ScenarioSessionEvent', {
      receivedAt: (source) => (source as SessionEventView).createdAt + 2000,
      externalData: () => ({}),
      eventData: (source) => {
        const event = source as SessionEventView;
        return {
          user_name: findUser(event.session.userId)?.name ?? null,
          step_name: event.step.step.name,
          ...(event.type === 'PHOTO'
            ? { caption: `Photo of "${event.step.step.name}"` }
            : {})
        };
      },
      photo: (source) =>
        (source as SessionEventView).type === 'PHOTO'
          ? tag('Attachment', source as SessionEventView)
          : null,
      scenarioSessionStep: (source) =>
        tag('ScenarioSessionStep', (source as SessionEventView).step)
    }),
    ScenarioSession: withIds('ScenarioSession', {
      duration: (source, _args, context) =>
        duration(context, session(source).durationSeconds),
      idleDuration: (source, _args, context) =>
        duration(context, session(source).idleDurationSeconds),
      numberOfStepsPossible: (source) => session(source).stepsPossible,
      numberOfStepsViewed: (source) => session(source).stepsViewed,
      percentOfStepsViewed: (source, _args, context) => {
        const row = session(source);
        const fraction =
          row.stepsPossible === 0 ? 0 : row.stepsViewed / row.stepsPossible;
        return context.config.schema.percentScale === 'percent'
          ? Math.round(fraction * 10_000) / 100
          : Math.round(fraction * 10_000) / 10_000;
      },
      email: (source) => findUser(session(source).userId)?.email ?? null,
      user: (source, _args, context) =>
        readable(context, 'User', session(source).userId),
      scenarioRelease: (source) => {
        const row = session(source);
        const scenario = findScenario(row.scenarioId);
        const release = scenario?.releases.find(
          (item) => item.databaseId === row.releaseId
        );
        return scenario && release
          ? tag('ScenarioRelease', { ...release, scenario })
          : null;
      },
      steps: (source, args) =>
        listPage(
          args,
          tagAll('ScenarioSessionStep', sessionSteps(session(source)))
        ),
      completedSteps: (source, args) =>
        listPage(
          args,
          tagAll('ScenarioSessionStep', completedSessionSteps(session(source)))
        ),
      parts: (source, args) => {
        const order = args.orderBy as
          { attribute: string; direction: 'ASC' | 'DESC' } | null | undefined;
        const parts = tagAll(
          'ScenarioSessionPart',
          sessionParts(session(source))
        );
        const connection = listPage(args, parts);
        if (order?.direction === 'DESC') connection.nodes.reverse();
        return connection;
      },
      events: (source, args) => {
        const types = (args.valueTypes as string[] | null | undefined) ?? null;
        return listPage(
          args,
          tagAll('ScenarioSessionEvent', sessionEvents(session(source))),
          {
            matches: (event) => types === null || types.includes(event.type)
          }
        );
      }
    }),
    [schema.callTypeName]: withIds('Call', {
      duration: (source, _args, context) =>
        duration(context, call(source).durationSeconds),
      caller: (source, _args, context) =>
        readable(context, 'User', call(source).callerId),
      expert: (source, _args, context) =>
        readable(context, 'User', call(source).expertId),
      participants: (source, args) =>
        listPage(
          args,
          tagAll('CallParticipant', callParticipants(call(source)))
        )
    }),
    CallParticipant: withIds('CallParticipant', {
      user: (source, _args, context) =>
        readable(context, 'User', (source as ParticipantView).userId)
    }),
    WebhookTopic: { id: ownNode('WebhookTopic') },
    WebhookSubscription: {
      id: ownNode('WebhookSubscription'),
      topic: (source) => tag('WebhookTopic', (source as Subscription).topic)
    }
  };
}

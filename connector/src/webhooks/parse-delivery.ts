// Turns a verified, JSON-parsed delivery of either generation into what the connector stores and
// queues. Shapes follow the reference (§2.1, §2.2); the spellings the docs leave open are all accepted.
import { z } from 'zod';
import type { ResourceKind } from '../contracts.ts';

/** One resource event as a delivery announces it, of either generation. */
export interface DeliveryEvent {
  generation: 1 | 2;
  resourceId: string;
  resourceType: ResourceKind;
  event: string;
  topic?: string;
  sentAt?: string;
  node?: Record<string, unknown>;
}

export type ParsedDelivery =
  | ({ kind: 'event' } & DeliveryEvent)
  | { kind: 'ignored'; generation: 1 | 2; reason: string; resourceId?: string }
  | { kind: 'invalid'; message: string; field?: string };

/** GraphQL type names, compared without case, '_' , '-' or spaces (gen-1 docs show `scenario`, `Scenario`, `ScenarioSession`). */
const TYPE_NAMES: Record<string, ResourceKind> = {
  scenariosession: 'ScenarioSession',
  call: 'Call',
  // The Call type's real name is unknown (reference, Unknowns #8); these are the documented guesses.
  callsession: 'Call',
  remoteassistancecall: 'Call'
};

export function normalizeResourceType(
  name: string | undefined
): ResourceKind | undefined {
  if (!name) return undefined;
  return TYPE_NAMES[name.toLowerCase().replace(/[\s_-]/g, '')];
}

/** `scenario_session/created` → ScenarioSession + created. */
export function parseTopic(topic: string | undefined): {
  type?: ResourceKind;
  subject?: string;
  action?: string;
} {
  if (!topic) return {};
  const [subject, action] = topic.trim().split('/', 2);
  return { type: normalizeResourceType(subject), subject, action };
}

// Global node ids are opaque printable tokens; anything else (spaces, quotes, control characters) is refused.
const nodeId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(512, 'too long')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const shortText = z.string().trim().max(200);

const gen1Schema = z.object({
  time: z.string().max(64).optional(),
  event: shortText.min(1),
  type: shortText,
  data: z
    .object({
      'resource-id': nodeId.optional(),
      resource_id: nodeId.optional(),
      'resource-url': z.string().max(2048).optional(),
      resource_url: z.string().max(2048).optional(),
      'resource-type': shortText.optional(),
      resource_type: shortText.optional()
    })
    .passthrough()
});

const gen2DefaultSchema = z.object({
  data: z
    .object({
      id: nodeId,
      url: z.string().max(2048).optional(),
      type: shortText.optional(),
      __typename: shortText.optional()
    })
    .passthrough()
});

const gen2NodeSchema = z.object({
  data: z.object({
    node: z.union([
      z.object({ id: nodeId, __typename: shortText.optional() }).passthrough(),
      z.null()
    ])
  })
});

function firstIssue(
  error: z.ZodError,
  prefix = ''
): { message: string; field?: string } {
  const issue = error.issues[0];
  const field =
    issue && issue.path.length ? prefix + issue.path.join('.') : undefined;
  return {
    message: field
      ? `${field}: ${issue?.message}`
      : (issue?.message ?? 'invalid body'),
    field
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function looksLikeGen1(
  body: Record<string, unknown>,
  hasGen2Headers: boolean
): boolean {
  const data = body.data;
  if (
    isObject(data) &&
    ['resource-id', 'resource_id', 'resource-type', 'resource_type'].some(
      (k) => k in data
    )
  )
    return true;
  return (
    !hasGen2Headers &&
    (body.type !== undefined ||
      body.event !== undefined ||
      body.time !== undefined)
  );
}

function parseGen1(body: unknown): ParsedDelivery {
  const parsed = gen1Schema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', ...firstIssue(parsed.error) };
  const { data, event, time, type } = parsed.data;
  const resourceId = data['resource-id'] ?? data.resource_id;
  const typeName = data['resource-type'] ?? data.resource_type;
  if (!resourceId)
    return {
      kind: 'invalid',
      message: 'data.resource-id is required',
      field: 'data.resource-id'
    };
  const sentAt = time === undefined ? undefined : Date.parse(time);
  if (sentAt !== undefined && Number.isNaN(sentAt)) {
    return { kind: 'invalid', message: 'time: not a date-time', field: 'time' };
  }
  if (type.toLowerCase() !== 'resource') {
    return {
      kind: 'ignored',
      generation: 1,
      reason: `payload type "${type}" is not handled`,
      resourceId
    };
  }
  const resourceType = normalizeResourceType(typeName);
  if (!resourceType) {
    return {
      kind: 'ignored',
      generation: 1,
      reason: `resource type "${typeName ?? '(none)'}" is not handled`,
      resourceId
    };
  }
  return {
    kind: 'event',
    generation: 1,
    resourceId,
    resourceType,
    event,
    sentAt: sentAt === undefined ? undefined : new Date(sentAt).toISOString()
  };
}

function parseGen2(
  body: Record<string, unknown>,
  topicHeader: string | undefined
): ParsedDelivery {
  const topic = parseTopic(topicHeader);
  const event = topic.action || 'delivered';
  const data = body.data;
  if (isObject(data) && 'node' in data) {
    const parsed = gen2NodeSchema.safeParse(body);
    if (!parsed.success)
      return { kind: 'invalid', ...firstIssue(parsed.error) };
    const node = parsed.data.data.node;
    if (node === null) {
      return {
        kind: 'ignored',
        generation: 2,
        reason:
          'custom query returned data.node = null (not authorized or deleted)'
      };
    }
    const resourceType = normalizeResourceType(node.__typename) ?? topic.type;
    if (!resourceType)
      return ignoredType(node.__typename ?? topic.subject, node.id);
    return {
      kind: 'event',
      generation: 2,
      resourceId: node.id,
      resourceType,
      event,
      topic: topicHeader,
      node
    };
  }
  const parsed = gen2DefaultSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', ...firstIssue(parsed.error) };
  const { id, type, __typename } = parsed.data.data;
  const named = type ?? __typename;
  const resourceType =
    named !== undefined ? normalizeResourceType(named) : topic.type;
  if (!resourceType) {
    if (named === undefined && !topicHeader) {
      return {
        kind: 'invalid',
        message:
          'resource type unknown: no X-Scope-Topic header and no data.type',
        field: 'X-Scope-Topic'
      };
    }
    return ignoredType(named ?? topic.subject, id);
  }
  return {
    kind: 'event',
    generation: 2,
    resourceId: id,
    resourceType,
    event,
    topic: topicHeader
  };
}

function ignoredType(
  name: string | undefined,
  resourceId: string
): ParsedDelivery {
  return {
    kind: 'ignored',
    generation: 2,
    reason: `resource type "${name ?? '(none)'}" is not handled`,
    resourceId
  };
}

/**
 * Generation 1 is recognised by its `data.resource-*` keys (or, without any X-Scope-* header, by its
 * top-level `type`/`event`/`time`); everything else is generation 2 (default body or custom-query node).
 */
export function parseDelivery(
  body: unknown,
  headers: { topic?: string; hasGen2Headers: boolean }
): ParsedDelivery {
  if (!isObject(body))
    return { kind: 'invalid', message: 'body must be a JSON object' };
  if (!isObject(body.data))
    return {
      kind: 'invalid',
      message: 'data must be an object',
      field: 'data'
    };
  if (looksLikeGen1(body, headers.hasGen2Headers)) return parseGen1(body);
  return parseGen2(body, headers.topic);
}

// Turns a verified, JSON-parsed delivery of either generation into what the connector stores and
// queues. Shapes follow the reference (§2.1, §2.2); the spellings the docs leave open are all accepted.
import { z } from 'zod';
import type { ResourceKind } from '../contracts.ts';

/** One resource event as a delivery announces it, of either generation. */
export interface DeliveryEvent {
  generation: 1 | 2;
  resourceId: string;
  /** Absent when the delivery does not say: the worker asks Scope for the node's __typename. */
  resourceType?: ResourceKind;
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

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

export function normalizeResourceType(
  name: string | undefined
): ResourceKind | undefined {
  if (!name) return undefined;
  return TYPE_NAMES[squash(name)];
}

/** Labels the docs use for a session although `Scenario` is a type of its own (reference §2.1, §4). */
const AMBIGUOUS_LABELS = new Set(['scenario']);

function isAmbiguousLabel(name: string | undefined): boolean {
  return name !== undefined && AMBIGUOUS_LABELS.has(squash(name));
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

/**
 * Generation-1 `time` is when Scope sent the hook, so it is after 1970; PostgreSQL timestamptz (and
 * JavaScript's ISO form) cannot hold every value Date.parse accepts (year 0, negative years, +275760).
 */
const EARLIEST_SENT_AT = Date.UTC(1970, 0, 1);
const LATEST_SENT_AT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const sentTime = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const at = Date.parse(value);
    if (Number.isNaN(at)) {
      ctx.addIssue({ code: 'custom', message: 'not a date-time' });
      return z.NEVER;
    }
    if (at < EARLIEST_SENT_AT || at > LATEST_SENT_AT) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be between 1970-01-01 and 9999-12-31 (UTC)'
      });
      return z.NEVER;
    }
    return new Date(at).toISOString();
  });

const gen1Schema = z.object({
  time: sentTime.optional(),
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

/** The default body, and the envelope fields that may accompany a custom-query node. */
const gen2EnvelopeSchema = z
  .object({
    id: nodeId.optional(),
    url: z.string().max(2048).optional(),
    type: shortText.optional(),
    __typename: shortText.optional()
  })
  .passthrough();

const payloadNodeSchema = z
  .object({ id: nodeId.optional(), __typename: shortText.optional() })
  .passthrough();

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
  const label = data['resource-type'] ?? data.resource_type;
  if (!resourceId)
    return {
      kind: 'invalid',
      message: 'data.resource-id is required',
      field: 'data.resource-id'
    };
  if (type.toLowerCase() !== 'resource') {
    return {
      kind: 'ignored',
      generation: 1,
      reason: `payload type "${type}" is not handled`,
      resourceId
    };
  }
  // An unknown or ambiguous label (one docs example calls a session `scenario`) leaves the type
  // unresolved: the worker asks Scope for the node's __typename instead of dropping the event.
  const resourceType = normalizeResourceType(label);
  return {
    kind: 'event',
    generation: 1,
    resourceId,
    ...(resourceType ? { resourceType } : {}),
    event,
    ...(time ? { sentAt: time } : {})
  };
}

type KindDecision = { resourceType?: ResourceKind } | { ignored: string };

/**
 * The signed body decides the kind; the unsigned X-Scope-Topic header is only a hint that the fetch
 * corrects (a replayed body under another topic can never change what is written). A topic naming a
 * subject we do not handle makes the delivery ignored; no label, or an ambiguous one, leaves the kind
 * to Scope.
 */
function decideKind(
  bodyTypename: string | undefined,
  bodyLabel: string | undefined,
  topicHeader: string | undefined
): KindDecision {
  if (bodyTypename !== undefined) {
    const resourceType = normalizeResourceType(bodyTypename);
    return resourceType
      ? { resourceType }
      : { ignored: `resource type "${bodyTypename}" is not handled` };
  }
  const labelled = normalizeResourceType(bodyLabel);
  if (labelled) return { resourceType: labelled };
  const topic = parseTopic(topicHeader);
  if (topic.type) return { resourceType: topic.type };
  if (
    bodyLabel === undefined &&
    topic.subject &&
    !isAmbiguousLabel(topic.subject)
  )
    return { ignored: `topic "${topicHeader}" is not handled` };
  return {};
}

function parseGen2(
  body: Record<string, unknown>,
  topicHeader: string | undefined
): ParsedDelivery {
  const event = parseTopic(topicHeader).action || 'delivered';
  const data = body.data as Record<string, unknown>;
  const envelope = gen2EnvelopeSchema.safeParse(data);
  if (!envelope.success)
    return { kind: 'invalid', ...firstIssue(envelope.error, 'data.') };
  const envelopeLabel = envelope.data.type ?? envelope.data.__typename;

  if (!('node' in data)) {
    const resourceId = envelope.data.id;
    if (!resourceId)
      return {
        kind: 'invalid',
        message: 'data.id is required',
        field: 'data.id'
      };
    return eventOf(
      resourceId,
      decideKind(undefined, envelopeLabel, topicHeader),
      event,
      topicHeader
    );
  }

  if (data.node === null) {
    return {
      kind: 'ignored',
      generation: 2,
      reason:
        'custom query returned data.node = null (not authorized or deleted)',
      ...(envelope.data.id ? { resourceId: envelope.data.id } : {})
    };
  }
  const parsedNode = payloadNodeSchema.safeParse(data.node);
  if (!parsedNode.success && isObject(data.node))
    return { kind: 'invalid', ...firstIssue(parsedNode.error, 'data.node.') };
  const node = parsedNode.success ? parsedNode.data : undefined;
  // Scope's own documented payload query selects neither id nor __typename: the envelope may still
  // name the node; without any id the delivery cannot be stored usefully and is refused.
  const resourceId = node?.id ?? envelope.data.id;
  if (!resourceId) {
    return {
      kind: 'invalid',
      message:
        'data.node.id is required: the subscription query must select id and __typename',
      field: 'data.node.id'
    };
  }
  const decision = decideKind(node?.__typename, envelopeLabel, topicHeader);
  const parsed = eventOf(resourceId, decision, event, topicHeader);
  // Only a node that names itself (id and a handled __typename) may stand in for a fetch.
  const usable =
    node?.id === resourceId &&
    'resourceType' in decision &&
    decision.resourceType !== undefined &&
    normalizeResourceType(node.__typename) === decision.resourceType;
  return parsed.kind === 'event' && usable ? { ...parsed, node } : parsed;
}

function eventOf(
  resourceId: string,
  decision: KindDecision,
  event: string,
  topic: string | undefined
): ParsedDelivery {
  if ('ignored' in decision)
    return {
      kind: 'ignored',
      generation: 2,
      reason: decision.ignored,
      resourceId
    };
  return {
    kind: 'event',
    generation: 2,
    resourceId,
    ...(decision.resourceType ? { resourceType: decision.resourceType } : {}),
    event,
    ...(topic !== undefined ? { topic } : {})
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

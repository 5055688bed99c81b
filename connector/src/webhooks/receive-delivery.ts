// The receiving pipeline, free of HTTP and storage: media type → authenticity → depth → JSON → schema.
// The HTTP adapter maps the result to a status; only an 'accepted' result is ever stored.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { exceedsJsonDepth } from './json-depth.ts';
import { parseDelivery } from './parse-delivery.ts';
import type { DeliveryEvent } from './parse-delivery.ts';
import { verifyPathToken, verifySignature } from './verify-signature.ts';
import type { SignatureEncoding } from './verify-signature.ts';

export const MAX_JSON_DEPTH = 32;

/** What is kept of the request headers (the signature itself is not). */
const STORED_HEADERS = [
  'content-type',
  'user-agent',
  'x-scope-topic',
  'x-scope-topic-version',
  'x-scope-api-version',
  'x-scope-domain',
  'x-scope-webhook-type',
  'x-scope-webhook-id'
] as const;

export interface ReceivePolicy {
  secrets: readonly string[];
  encoding: SignatureEncoding;
  mode: 'enforce' | 'log-only';
  pathToken?: string;
  allowUnsigned: boolean;
}

/** The parsed event with what identifies and accompanied its delivery. */
export interface DeliveryRecord extends DeliveryEvent {
  deliveryId: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Authentication =
  | 'signature'
  | 'path-token'
  | 'unsigned-allowed'
  | 'log-only-bad-signature'
  | 'log-only-unsigned';

export type RejectionKind = 'signature' | 'malformed' | 'media_type';

export type ReceiveResult =
  | {
      kind: 'rejected';
      rejection: RejectionKind;
      code: string;
      message: string;
      field?: string;
    }
  | {
      kind: 'ignored';
      reason: string;
      generation: 1 | 2;
      resourceId?: string;
      authentication: Authentication;
    }
  | {
      kind: 'accepted';
      record: DeliveryRecord;
      authentication: Authentication;
    };

export interface IncomingDelivery {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  /** The `/webhooks/scope/<token>` segment, when the request came on that route. */
  pathToken?: string;
}

const header = (
  headers: IncomingHttpHeaders,
  name: string
): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return (
    type === 'application/json' ||
    (type.startsWith('application/') && type.endsWith('+json'))
  );
}

function reject(
  rejection: RejectionKind,
  code: string,
  message: string,
  field?: string
): ReceiveResult {
  return {
    kind: 'rejected',
    rejection,
    code,
    message,
    ...(field ? { field } : {})
  };
}

function authenticate(
  input: IncomingDelivery,
  policy: ReceivePolicy
): Authentication | ReceiveResult {
  const signature = header(input.headers, 'x-scope-hmac-sha256');
  if (signature !== undefined && policy.secrets.length > 0) {
    if (
      verifySignature(input.rawBody, signature, policy.secrets, policy.encoding)
    )
      return 'signature';
    if (policy.mode === 'log-only') return 'log-only-bad-signature';
    return reject(
      'signature',
      'invalid_signature',
      'X-Scope-Hmac-Sha256 does not match the body',
      'X-Scope-Hmac-Sha256'
    );
  }
  if (input.pathToken !== undefined) {
    if (verifyPathToken(input.pathToken, policy.pathToken)) return 'path-token';
    return reject('signature', 'invalid_path_token', 'unknown webhook path');
  }
  if (policy.allowUnsigned) return 'unsigned-allowed';
  if (policy.mode === 'log-only') return 'log-only-unsigned';
  return signature === undefined
    ? reject(
        'signature',
        'missing_signature',
        'X-Scope-Hmac-Sha256 is required',
        'X-Scope-Hmac-Sha256'
      )
    : reject(
        'signature',
        'no_secret_configured',
        'signed deliveries cannot be verified: no secret is configured'
      );
}

// PostgreSQL jsonb holds neither U+0000 nor unpaired surrogates; they become U+FFFD so that the
// delivery is still stored rather than failing the batch it is committed with.
const UNSTORABLE =
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAY_HOLD_UNSTORABLE = /\\u(0000|d[89a-f])/i;

export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        storableJson(k) as string,
        storableJson(v)
      ])
    );
  }
  return value;
}

/** The body as stored: parsed JSON, its unstorable code points replaced; or the rejection. */
function parseBody(rawBody: Buffer): { body: unknown } | ReceiveResult {
  if (rawBody.length === 0)
    return reject('malformed', 'empty_body', 'the body is empty');
  if (exceedsJsonDepth(rawBody, MAX_JSON_DEPTH)) {
    return reject(
      'malformed',
      'too_deep',
      `JSON nested deeper than ${MAX_JSON_DEPTH} levels`
    );
  }
  const text = rawBody.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return reject(
      'malformed',
      'invalid_json',
      `body is not valid JSON (${(error as Error).message})`
    );
  }
  return { body: MAY_HOLD_UNSTORABLE.test(text) ? storableJson(body) : body };
}

function storedHeaders(headers: IncomingDelivery['headers']) {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = header(headers, name);
    if (value !== undefined) stored[name] = value.slice(0, 500);
  }
  return stored;
}

export function receiveDelivery(
  input: IncomingDelivery,
  policy: ReceivePolicy
): ReceiveResult {
  const contentType = header(input.headers, 'content-type');
  if (!isJsonMediaType(contentType)) {
    return reject(
      'media_type',
      'unsupported_media_type',
      `expected application/json, got ${contentType ?? 'none'}`,
      'Content-Type'
    );
  }
  const authentication = authenticate(input, policy);
  if (typeof authentication !== 'string') return authentication;
  const parsedBody = parseBody(input.rawBody);
  if (!('body' in parsedBody)) return parsedBody;
  const { body } = parsedBody;

  const webhookId = header(input.headers, 'x-scope-webhook-id');
  if (webhookId !== undefined && !/^[\x21-\x7e]{1,200}$/.test(webhookId)) {
    return reject(
      'malformed',
      'invalid_webhook_id',
      'X-Scope-Webhook-Id must be 1-200 printable characters',
      'X-Scope-Webhook-Id'
    );
  }
  const topic = header(input.headers, 'x-scope-topic');
  const hasGen2Headers = Boolean(
    topic ?? webhookId ?? header(input.headers, 'x-scope-hmac-sha256')
  );
  const parsed = parseDelivery(body, { topic, hasGen2Headers });
  if (parsed.kind === 'invalid')
    return reject('malformed', 'invalid_body', parsed.message, parsed.field);
  if (parsed.kind === 'ignored') {
    const { reason, generation, resourceId } = parsed;
    return { kind: 'ignored', reason, generation, resourceId, authentication };
  }
  // Generation 2 names each delivery; generation 1 does not, so the body itself identifies it
  // (it carries the send time, so a re-sent update is a new delivery while an exact retry is not).
  const deliveryId =
    parsed.generation === 2 && webhookId
      ? webhookId
      : `sha256:${createHash('sha256').update(input.rawBody).digest('hex')}`;
  return {
    kind: 'accepted',
    authentication,
    record: {
      deliveryId,
      generation: parsed.generation,
      resourceId: parsed.resourceId,
      resourceType: parsed.resourceType,
      event: parsed.event,
      topic: parsed.topic,
      sentAt: parsed.sentAt,
      headers: storedHeaders(input.headers),
      body,
      node: parsed.node
    }
  };
}

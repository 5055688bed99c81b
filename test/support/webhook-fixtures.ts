// Realistic deliveries of both generations, shaped as the reference documents them (§2.1, §2.2).
import { randomUUID } from 'node:crypto';
import { signBody } from '../../connector/src/webhooks/verify-signature.ts';

export const SECRET = 'whsec-primary-0123456789';
export const OLD_SECRET = 'whsec-rotating-out-987654';
export const PATH_TOKEN = 'gen1-path-token-abcdef0123456789';

/** A Scope GraphQL global node id (base64 of "ScenarioSession/<n>" style). */
export function nodeId(type: string, n: number): string {
  return Buffer.from(`${type}/${n}`).toString('base64').replace(/=+$/, '');
}

export function gen1Body(options: {
  id: string;
  type?: string;
  event?: string;
  time?: string;
  underscore?: boolean;
}) {
  const type = options.type ?? 'ScenarioSession';
  const data = options.underscore
    ? {
        resource_id: options.id,
        resource_url: `https://cms.scopear.com/api/v3/graphql/object/${options.id}`,
        resource_type: type
      }
    : {
        'resource-id': options.id,
        'resource-url': `https://cms.scopear.com/api/v3/graphql/object/${options.id}`,
        'resource-type': type
      };
  return {
    time: options.time ?? '2020-10-20T18:06:02Z',
    event: options.event ?? 'create',
    type: 'resource',
    data
  };
}

export function gen2DefaultBody(id: string) {
  return {
    data: { id, url: `https://cms.scopear.com/api/v3/graphql/object/${id}` }
  };
}

export function gen2NodeBody(
  id: string,
  externalData: Record<string, unknown> = {
    work_order_id: '0WOxx0000000001AAA'
  }
) {
  return {
    data: {
      node: {
        id,
        __typename: 'ScenarioSession',
        startedAt: '2024-05-01T10:00:00Z',
        endedAt: '2024-05-01T10:12:30Z',
        duration: 750,
        idleDuration: 30,
        numberOfStepsPossible: 6,
        numberOfStepsViewed: 6,
        percentOfStepsViewed: 100,
        state: 'completed',
        externalData,
        scenarioRelease: { author: { id: 'VXNlci81MDE', name: 'Dana Reyes' } }
      }
    }
  };
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export function gen2Request(
  body: unknown,
  options: {
    topic?: string;
    secret?: string;
    webhookId?: string;
    encoding?: 'base64' | 'hex';
    signature?: string | null;
  } = {}
): SignedRequest {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-scope-topic': options.topic ?? 'scenario_session/completed',
    'x-scope-topic-version': '1.1',
    'x-scope-api-version': '3',
    'x-scope-domain': 'scopear.com',
    'x-scope-webhook-type': 'node',
    'x-scope-webhook-id': options.webhookId ?? randomUUID()
  };
  if (options.signature !== null) {
    headers['x-scope-hmac-sha256'] =
      options.signature ??
      signBody(raw, options.secret ?? SECRET, options.encoding ?? 'base64');
  }
  return { headers, body: raw };
}

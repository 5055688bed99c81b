import { z } from 'zod';

export interface SubscribeOptions {
  scopeBaseUrl: string;
  apiToken: string;
  permalink?: string;
  callbackUrl: string;
  sharedSecret: string;
}

const FALLBACK_TOPIC_KEYS = [
  'scenario_session/created',
  'scenario_session/updated',
  'scenario_session/completed',
  'call/created',
  'call/updated',
  'call/completed'
];
const WANTED_TOPIC = /^(scenario_session|call)\//;

const graphqlResponseSchema = z.object({
  data: z.record(z.unknown()).nullable().optional(),
  errors: z.array(z.object({ message: z.string() })).optional()
});
const topicsSchema = z.object({
  webhookTopics: z.object({
    nodes: z.array(z.object({ key: z.string(), version: z.string() }))
  })
});
const createdSchema = z.object({
  createWebhookSubscription: z.object({
    errors: z.array(z.object({ message: z.string() })),
    webhookSubscription: z.object({ id: z.string() }).nullable()
  })
});

const CREATE_MUTATION = /* GraphQL */ `
  mutation Subscribe($input: CreateWebhookSubscriptionInput!) {
    createWebhookSubscription(input: $input) {
      errors {
        message
      }
      webhookSubscription {
        id
      }
    }
  }
`;

/**
 * Subscribes the connector to every session and call topic (generation 2, reference §2.2) with the
 * company API token, the way an admin would set up a tenant. Returns the subscription ids.
 */
export async function subscribeConnectorWebhooks(
  options: SubscribeOptions
): Promise<string[]> {
  const graphql = async (
    query: string,
    variables: Record<string, unknown> = {}
  ) => {
    const response = await fetch(
      new URL('/api/v3/graphql', options.scopeBaseUrl),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Token token=${options.apiToken}`
        },
        body: JSON.stringify({ permalink: options.permalink, query, variables })
      }
    );
    if (!response.ok)
      throw new Error(`Scope GraphQL answered HTTP ${response.status}`);
    const body = graphqlResponseSchema.parse(await response.json());
    if (body.errors?.length)
      throw new Error(
        `Scope GraphQL: ${body.errors.map((e) => e.message).join('; ')}`
      );
    return body.data ?? {};
  };

  let topicKeys: string[];
  try {
    const { webhookTopics } = topicsSchema.parse(
      await graphql('{ webhookTopics(first: 100) { nodes { key version } } }')
    );
    topicKeys = [
      ...new Set(
        webhookTopics.nodes
          .map((topic) => topic.key)
          .filter((key) => WANTED_TOPIC.test(key))
      )
    ];
  } catch {
    topicKeys = FALLBACK_TOPIC_KEYS;
  }

  const ids: string[] = [];
  for (const key of topicKeys) {
    const data = createdSchema.parse(
      await graphql(CREATE_MUTATION, {
        input: {
          // No version: the latest version of the key (reference §2.2).
          webhookSubscription: {
            topic: { key },
            callbackUrl: options.callbackUrl,
            sharedSecret: options.sharedSecret
          }
        }
      })
    );
    const { errors, webhookSubscription } = data.createWebhookSubscription;
    if (errors.length > 0 || !webhookSubscription) {
      throw new Error(
        `Subscribing to ${key} failed: ${errors.map((e) => e.message).join('; ') || 'no subscription'}`
      );
    }
    ids.push(webhookSubscription.id);
  }
  return ids;
}

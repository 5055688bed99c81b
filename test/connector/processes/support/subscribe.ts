// Generation-2 subscriptions through Scope's public GraphQL mutation, optionally with a custom `query`
// whose result becomes the delivery body (reference §2.2: "custom query payloads that carry the node").
import { SESSION_SELECTION } from '../../../../connector/src/scope/session-selection.ts';
import { E2E_SECRET, SCOPE_TOKEN, json } from './e2e-world.ts';

const CREATE = /* GraphQL */ `
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

export async function subscribeTopics(
  scopeUrl: string,
  callbackUrl: string,
  topics: readonly string[],
  query?: string
): Promise<void> {
  for (const key of topics) {
    const result = await json<{
      data?: {
        createWebhookSubscription: {
          errors: { message: string }[];
          webhookSubscription: { id: string } | null;
        };
      };
      errors?: { message: string }[];
    }>(`${scopeUrl}/api/v3/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Token token=${SCOPE_TOKEN}`
      },
      body: JSON.stringify({
        permalink: 'sandbox',
        query: CREATE,
        variables: {
          input: {
            webhookSubscription: {
              topic: { key },
              callbackUrl,
              sharedSecret: E2E_SECRET,
              ...(query ? { query } : {})
            }
          }
        }
      })
    });
    const created = result.data?.createWebhookSubscription;
    if (!created?.webhookSubscription || created.errors.length > 0)
      throw new Error(
        `subscribing to ${key} failed: ${JSON.stringify(result.errors ?? created?.errors)}`
      );
  }
}

/** A custom payload query that carries every field the connector's default selection reads. */
export const SESSION_PAYLOAD_QUERY = /* GraphQL */ `
  query Payload($nodeId: ID!) {
    node(id: $nodeId) {
      __typename
      ... on ScenarioSession {
        ${SESSION_SELECTION}
      }
    }
  }
`;

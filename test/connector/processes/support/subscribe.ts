// Generation-2 subscriptions through Scope's public GraphQL mutation, optionally with a custom `query`
// whose result becomes the delivery body (reference §2.2: "custom query payloads that carry the node").
import { SESSION_SELECTION } from '../../../../connector/src/scope/session-selection.ts';
import { subscribeTopics as subscribeTopicsAsAdmin } from '../../../../demo/subscribe-webhooks.ts';
import { E2E_SECRET, SCOPE_TOKEN } from './e2e-world.ts';

/** Subscribes `callbackUrl` to each topic with the e2e shared secret (and a custom payload query). */
export async function subscribeTopics(
  scopeUrl: string,
  callbackUrl: string,
  topics: readonly string[],
  query?: string
): Promise<void> {
  await subscribeTopicsAsAdmin(
    {
      scopeBaseUrl: scopeUrl,
      apiToken: SCOPE_TOKEN,
      permalink: 'sandbox',
      callbackUrl,
      sharedSecret: E2E_SECRET
    },
    topics,
    query
  );
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

// The tenant's generation-2 webhook subscriptions (reference §2.2). The root field that lists them is
// not documented: `webhookSubscriptions` is our guess, so a tenant without it is reported, not fatal.
import type { ScopeClient } from './scope-client.ts';
import { requestPage } from './scope-queries.ts';

export interface WebhookSubscriptionInfo {
  id: string;
  topic: string | null;
  callbackUrl: string | null;
  query: string | null;
}

const PAGE = 100;
const MAX_PAGES = 50;

const LIST_QUERY = `query WorkLinkSubscriptions($first: Int!, $after: String) {
  page: webhookSubscriptions(first: $first, after: $after) {
    nodes { id callbackUrl query topic { key version } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface SubscriptionNode {
  id: string;
  callbackUrl?: string | null;
  query?: string | null;
  topic?: { key?: string | null; version?: string | null } | null;
}

function subscriptionInfo(node: SubscriptionNode): WebhookSubscriptionInfo {
  const topic = node.topic?.key
    ? `${node.topic.key}${node.topic.version ? ` v${node.topic.version}` : ''}`
    : null;
  return {
    id: node.id,
    topic,
    callbackUrl: node.callbackUrl ?? null,
    query: node.query ?? null
  };
}

/** Pages through the listing with the client's pager (scope-queries.ts), up to MAX_PAGES pages. */
export async function listWebhookSubscriptions(
  client: Pick<ScopeClient, 'execute'>
): Promise<WebhookSubscriptionInfo[]> {
  const found: WebhookSubscriptionInfo[] = [];
  let after: string | null = null;
  for (let count = 0; count < MAX_PAGES; count += 1) {
    const { page } = await requestPage(
      client.execute,
      'listWebhookSubscriptions',
      LIST_QUERY,
      { first: PAGE, after }
    );
    if (!page) break;
    for (const node of page.nodes)
      found.push(subscriptionInfo(node as unknown as SubscriptionNode));
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }
  return found;
}

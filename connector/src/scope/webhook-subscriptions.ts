// The tenant's generation-2 webhook subscriptions (reference §2.2). The root field that lists them is
// not documented: `webhookSubscriptions` is our guess, so a tenant without it is reported, not fatal.
import type { GraphQLResult, ScopeClient } from './scope-client.ts';

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

interface ListPage {
  page: {
    nodes: ({
      id: string;
      callbackUrl?: string | null;
      query?: string | null;
      topic?: { key?: string | null; version?: string | null } | null;
    } | null)[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

export async function listWebhookSubscriptions(
  client: Pick<ScopeClient, 'execute'>
): Promise<WebhookSubscriptionInfo[]> {
  const found: WebhookSubscriptionInfo[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result: GraphQLResult<ListPage> = await client.execute<ListPage>(
      'listWebhookSubscriptions',
      LIST_QUERY,
      { first: PAGE, after }
    );
    const connection: ListPage['page'] | undefined = result.data?.page;
    if (!connection) break;
    for (const node of connection.nodes) {
      if (!node) continue;
      const topic = node.topic?.key
        ? `${node.topic.key}${node.topic.version ? ` v${node.topic.version}` : ''}`
        : null;
      found.push({
        id: node.id,
        topic,
        callbackUrl: node.callbackUrl ?? null,
        query: node.query ?? null
      });
    }
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return found;
}

// The baseline: the reference demo's design, really executed against the same sandboxes: for every
// delivery (re-sends included), one GraphQL node fetch and one single-record upsert by external id —
// no deduplication, no coalescing, no batching — as fast as 10 lanes go.
import { percentile } from '../../connector/src/report/ttr-stats.ts';
import { json } from './sandboxes.ts';
import type { Counters, Sandboxes } from './sandboxes.ts';
import type { ScheduledDelivery } from './schedule.ts';

const NAIVE_LANES = 10;

export interface NaiveRun extends Counters {
  label: string;
  deliveries: number;
  drainSeconds: number;
  p95PerDeliveryMs: number;
}

interface Token {
  access_token: string;
  instance_url: string;
}

async function token(sb: Sandboxes): Promise<Token> {
  return json<Token>(`${sb.sfUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sb.clientId,
      client_secret: sb.clientSecret
    }).toString()
  });
}

type NaiveNode = {
  state: string | null;
  idleDuration: number | null;
  numberOfStepsViewed: number | null;
};

async function processOne(
  sb: Sandboxes,
  auth: Token,
  id: string
): Promise<void> {
  const body = await json<{ data: { node: NaiveNode | null } }>(
    `${sb.scopeUrl}/api/v3/graphql`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Token token=sandbox-company-token'
      },
      body: JSON.stringify({
        permalink: 'sandbox',
        query:
          'query($id: ID!) { node(id: $id) { ... on ScenarioSession { state idleDuration numberOfStepsViewed } } }',
        variables: { id }
      })
    }
  );
  const node = body.data.node;
  await json(
    `${auth.instance_url}/services/data/v${sb.apiVersion}/sobjects/Scope_AR_Session__c/Scope_Id__c/${encodeURIComponent(id)}`,
    {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${auth.access_token}`
      },
      body: JSON.stringify({
        Kind__c: 'Scenario Session',
        Link_Status__c: 'Unmatched',
        State__c: node?.state ?? null,
        Idle_Duration_Seconds__c: node?.idleDuration ?? null,
        Steps_Viewed__c: node?.numberOfStepsViewed ?? null,
        Last_Synced_At__c: new Date().toISOString()
      })
    }
  );
}

export async function runNaive(
  sb: Sandboxes,
  ids: readonly string[],
  schedule: readonly ScheduledDelivery[][]
): Promise<NaiveRun> {
  const deliveries = schedule
    .flat()
    .flatMap((d) => (d.resent ? [d, d] : [d]))
    .sort((x, y) => x.atMs - y.atMs);
  await sb.resetSalesforce();
  await sb.clearCounters();
  const started = Date.now();
  const auth = await token(sb);
  const perDelivery: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: NAIVE_LANES }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++] as ScheduledDelivery;
        const t0 = Date.now();
        await processOne(sb, auth, ids[d.sessionIndex] as string);
        perDelivery.push(Date.now() - t0);
      }
    })
  );
  const drainSeconds = (Date.now() - started) / 1000;
  perDelivery.sort((x, y) => x - y);
  return {
    label: 'naive (reference demo design)',
    ...(await sb.counters()),
    deliveries: deliveries.length,
    drainSeconds,
    p95PerDeliveryMs: percentile(perDelivery, 0.95) ?? Number.NaN
  };
}

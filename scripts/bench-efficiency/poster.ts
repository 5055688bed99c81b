// The benchmark's load generator: every session's deliveries are sent at their scheduled times (one
// async lane per session, so a session's changes stay in order), each preceded by the change in Scope it
// reports; a re-sent delivery follows its acknowledgement with the same X-Scope-Webhook-Id. It records
// each acknowledgement and how late each send started against the schedule.
import { Agent, request } from 'node:http';
import { gen2Request } from '../../test/support/webhook-fixtures.ts';
import type { Sandboxes } from './sandboxes.ts';
import type { DeliveryKind, ScheduledDelivery } from './schedule.ts';

export const SECRET = 'bench-secret-0123456789';

/** The poster's connections, like a sender's pool: bounded, kept alive (requests beyond them wait). */
const MAX_SOCKETS = 64;
let agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });

/** One POST over the bounded agent; answers the status. */
function sendOnce(
  url: string,
  headers: Record<string, string>,
  body: string
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * POSTs `body`, again when a kept-alive socket was closed by the server as it was reused (a repeated
 * delivery is a duplicate; a repeated touch is one more change, read from Scope at the end anyway).
 */
async function send(
  url: string,
  headers: Record<string, string>,
  body: string
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(url, headers, body);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'EPIPE'))
        throw error;
    }
  }
}

const TOPICS: Record<DeliveryKind, string> = {
  created: 'scenario_session/created',
  progress: 'scenario_session/updated',
  completed: 'scenario_session/completed'
};

export interface PostTarget {
  url: string;
  sandboxes: Sandboxes;
  ids: readonly string[];
  databaseIds: readonly number[];
  acknowledged(deliveryId: string, at: number): void;
}

async function post(target: PostTarget, d: ScheduledDelivery): Promise<void> {
  const id = target.ids[d.sessionIndex] as string;
  const body = JSON.stringify({
    data: {
      id,
      url: `${target.sandboxes.scopeUrl}/api/v3/graphql/object/${id}`,
      type: 'ScenarioSession'
    }
  });
  const { headers } = gen2Request(body, {
    topic: TOPICS[d.kind],
    secret: SECRET,
    webhookId: d.deliveryId
  });
  for (;;) {
    const status = await send(`${target.url}/webhooks/scope`, headers, body);
    if (status >= 200 && status < 300) return;
    if (status !== 503) throw new Error(`delivery answered ${status}`);
  }
}

/** The change in Scope that the delivery reports. */
async function touch(target: PostTarget, sessionIndex: number): Promise<void> {
  const databaseId = target.databaseIds[sessionIndex] as number;
  const status = await send(
    `${target.sandboxes.scopeUrl}/sandbox/sessions/${databaseId}/touch`,
    { 'content-type': 'application/json' },
    '{"notify":false}'
  );
  if (status !== 200) throw new Error(`touch answered ${status}`);
}

async function sessionLane(
  target: PostTarget,
  life: readonly ScheduledDelivery[],
  startedAt: number,
  lags: number[]
): Promise<void> {
  for (const d of life) {
    const wait = startedAt + d.atMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lags.push(Math.max(0, Date.now() - (startedAt + d.atMs)));
    await touch(target, d.sessionIndex);
    await post(target, d);
    target.acknowledged(d.deliveryId, Date.now());
    if (d.resent) await post(target, d);
  }
}

/** Sends the whole schedule; answers the send lags (ms behind schedule), sorted. */
export async function postSchedule(
  target: PostTarget,
  schedule: readonly ScheduledDelivery[][]
): Promise<number[]> {
  const lags: number[] = [];
  agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const startedAt = Date.now();
  await Promise.all(
    schedule.map((life) => sessionLane(target, life, startedAt, lags))
  );
  agent.destroy();
  return lags.sort((x, y) => x - y);
}

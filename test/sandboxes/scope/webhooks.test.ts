import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';
import { gql } from 'graphql-request';
import type { ScopeSandbox } from '../../../sandboxes/scope/index.ts';
import {
  client,
  postJson,
  startReceiver,
  waitFor,
  withSandbox,
  type Receiver
} from './helpers.ts';

// Reference §2: both webhook generations, headers, HMAC, custom payload queries; delivery retries and faults.

const SECRET = 'sandbox-webhook-secret';

/** Independent check: base64 HMAC-SHA256 of the raw body bytes. */
function verify(
  raw: Buffer,
  header: string | string[] | undefined,
  secret: string
): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(
    createHmac('sha256', secret).update(raw).digest('base64')
  );
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

async function subscribe(
  sandbox: ScopeSandbox,
  receiver: Receiver,
  key: string,
  extra: Record<string, unknown> = {},
  wrapped = true
) {
  const subscription = {
    topic: { key },
    callbackUrl: receiver.url,
    sharedSecret: SECRET,
    ...extra
  };
  const query = wrapped
    ? gql`
        mutation ($input: CreateWebhookSubscriptionInput!) {
          createWebhookSubscription(input: $input) {
            errors {
              fullMessage
              message
              path
            }
            webhookSubscription {
              id
            }
          }
        }
      `
    : gql`
        mutation ($sub: WebhookSubscriptionInput!) {
          createWebhookSubscription(webhookSubscription: $sub) {
            errors {
              field
              message
            }
            webhookSubscription {
              id
            }
          }
        }
      `;
  const data = await client(sandbox).request<{
    createWebhookSubscription: {
      errors: unknown[];
      webhookSubscription: { id: string } | null;
    };
  }>(
    query,
    wrapped
      ? { input: { webhookSubscription: subscription } }
      : { sub: subscription }
  );
  return data.createWebhookSubscription;
}

async function withReceiver(run: (receiver: Receiver) => Promise<void>) {
  const receiver = await startReceiver();
  try {
    await run(receiver);
  } finally {
    await receiver.close();
  }
}

describe('Scope sandbox webhooks', () => {
  it('generation 2: signed deliveries with X-Scope-* headers for created, updated and completed', async () => {
    await withReceiver(async (receiver) => {
      await withSandbox(
        { seed: { historicalSessions: 0 } },
        async (sandbox) => {
          for (const key of [
            'scenario_session/created',
            'scenario_session/completed'
          ]) {
            const result = await subscribe(
              sandbox,
              receiver,
              key,
              {},
              key.endsWith('created')
            );
            assert.deepEqual(result.errors, []);
            assert.ok(result.webhookSubscription?.id);
          }
          const opened = await sandbox.open(
            'worklink://resource?action=fetch_catalog&asset=42&work_order_number=00000101'
          );
          for (let step = 0; step < 3; step += 1) await sandbox.advance();
          await waitFor(() => receiver.received.length >= 2, 'two deliveries');
          const [created, completed] = receiver.received;
          assert.ok(created && completed);
          assert.equal(
            created.headers['x-scope-topic'],
            'scenario_session/created'
          );
          assert.equal(
            completed.headers['x-scope-topic'],
            'scenario_session/completed'
          );
          for (const delivery of [created, completed]) {
            assert.equal(delivery.headers['x-scope-topic-version'], '1.1');
            assert.equal(delivery.headers['x-scope-api-version'], '3');
            assert.equal(delivery.headers['x-scope-domain'], 'scopear.com');
            assert.equal(delivery.headers['x-scope-webhook-type'], 'node');
            assert.match(
              String(delivery.headers['x-scope-webhook-id']),
              /^[0-9a-f-]{36}$/
            );
            assert.match(
              String(delivery.headers['x-scope-hmac-sha256']),
              /^[A-Za-z0-9+/]{43}=$/
            );
            assert.ok(
              verify(
                delivery.raw,
                delivery.headers['x-scope-hmac-sha256'],
                SECRET
              )
            );
            assert.ok(
              !verify(
                delivery.raw,
                delivery.headers['x-scope-hmac-sha256'],
                'another-secret'
              )
            );
            assert.deepEqual(delivery.json, {
              data: {
                id: opened.id,
                url: `${sandbox.url}/api/v3/graphql/object/${opened.id.replace(/\//g, '%2F')}`,
                type: 'ScenarioSession'
              }
            });
          }
          assert.equal(
            receiver.received.length,
            2,
            'no deliveries for topics nobody subscribed to'
          );
        }
      );
    });
  });

  it('generation 2: a custom query replaces the body, run with the $nodeId variable', async () => {
    await withReceiver(async (receiver) => {
      await withSandbox(
        { seed: { historicalSessions: 0 } },
        async (sandbox) => {
          const query = `query ($nodeId: ID!) { node(id: $nodeId) { ... on ScenarioSession {
          startedAt endedAt duration idleDuration numberOfStepsPossible numberOfStepsViewed percentOfStepsViewed
          state externalData scenarioRelease { author { id name } } } } }`;
          const result = await subscribe(
            sandbox,
            receiver,
            'scenario_session/completed',
            { query }
          );
          assert.deepEqual(result.errors, []);
          const bad = await subscribe(
            sandbox,
            receiver,
            'scenario_session/completed',
            { query: '{ nope }' }
          );
          assert.equal(bad.webhookSubscription, null);
          assert.equal(
            (bad.errors as { path: string[] }[])[0]?.path[0],
            'query'
          );
          const unknownTopic = await subscribe(
            sandbox,
            receiver,
            'scenario_session/exploded'
          );
          assert.equal(
            (unknownTopic.errors as { fullMessage: string }[])[0]?.fullMessage,
            'topic does not exist'
          );

          await sandbox.open(
            'worklink://resource?action=fetch_catalog&asset=HVAC-7&work_order_number=00000102'
          );
          for (let step = 0; step < 4; step += 1) await sandbox.advance();
          const delivery = await waitFor(
            () => receiver.received[0],
            'the completed delivery'
          );
          assert.ok(
            verify(
              delivery.raw,
              delivery.headers['x-scope-hmac-sha256'],
              SECRET
            )
          );
          const node = (
            delivery.json as { data: { node: Record<string, unknown> } }
          ).data.node;
          assert.equal(node.state, 'COMPLETED');
          assert.equal(node.numberOfStepsViewed, 4);
          assert.equal(node.percentOfStepsViewed, 100);
          assert.deepEqual(node.externalData, {
            work_order_number: '00000102'
          });
          assert.deepEqual(node.scenarioRelease, {
            author: {
              id: (node.scenarioRelease as { author: { id: string } }).author
                .id,
              name: 'Sandbox Admin'
            }
          });
        }
      );
    });
  });

  it('generation 1: the organization URL gets every change, unsigned, in the documented body', async () => {
    await withReceiver(async (receiver) => {
      await withSandbox(
        { seed: { historicalSessions: 0 } },
        async (sandbox) => {
          const set = await postJson(
            `${sandbox.url}/sandbox/webhooks/generation1`,
            { url: receiver.url, enabled: true },
            {},
            'PUT'
          );
          assert.equal(set.status, 200);
          const call = await sandbox.open(
            'worklink://resource?action=fetch_user&user=502&work_order_number=00000102'
          );
          await waitFor(() => receiver.received[0], 'the create delivery');
          const first = receiver.received[0];
          assert.ok(first);
          assert.equal(first.headers['x-scope-hmac-sha256'], undefined);
          const body = first.json as {
            time: string;
            event: string;
            type: string;
            data: Record<string, string>;
          };
          assert.match(body.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
          assert.equal(body.event, 'create');
          assert.equal(body.type, 'resource');
          assert.deepEqual(body.data, {
            'resource-id': call.id,
            'resource-url': `${sandbox.url}/api/v3/graphql/object/${call.id.replace(/\//g, '%2F')}`,
            'resource-type': 'Call'
          });
          await postJson(
            `${sandbox.url}/sandbox/webhooks/generation1`,
            { url: receiver.url, enabled: false },
            {},
            'PUT'
          );
          await sandbox.advance();
          await postJson(`${sandbox.url}/sandbox/advance`, { steps: 3 });
          assert.equal(receiver.received.length, 1);
        }
      );
    });
  });

  it('retries non-2xx with backoff and stops after the first success', async () => {
    await withReceiver(async (receiver) => {
      await withSandbox(
        {
          seed: { historicalSessions: 0 },
          webhook: { backoffBaseMs: 10, maxAttempts: 5 }
        },
        async (sandbox) => {
          await subscribe(sandbox, receiver, 'call/created');
          receiver.respondWith([500, 503]);
          await sandbox.open('worklink://resource?action=fetch_user&user=501');
          const delivery = await waitFor(
            () =>
              sandbox.deliveries().find((item) => item.outcome === 'delivered'),
            'delivery'
          );
          assert.deepEqual(delivery.statuses, [500, 503, 200]);
          assert.equal(receiver.received.length, 3);
          const ids = new Set(
            receiver.received.map((item) => item.headers['x-scope-webhook-id'])
          );
          assert.equal(ids.size, 1, 'a retry keeps its X-Scope-Webhook-Id');
          const log = await fetch(`${sandbox.url}/sandbox/deliveries`).then(
            (response) =>
              response.json() as Promise<{
                deliveries: { attempts: unknown[]; outcome: string }[];
              }>
          );
          assert.equal(log.deliveries[0]?.attempts.length, 3);
          assert.equal(log.deliveries[0]?.outcome, 'delivered');

          receiver.respondWith([500, 500, 500, 500, 500]);
          await sandbox.open('worklink://resource?action=fetch_user&user=502');
          const failed = await waitFor(
            () =>
              sandbox.deliveries().find((item) => item.outcome === 'failed'),
            'a failed delivery'
          );
          assert.equal(failed.attempts.length, 5);
        }
      );
    });
  });

  it('fault switches: dropped, duplicated, wrong signature and out-of-order deliveries', async () => {
    await withReceiver(async (receiver) => {
      await withSandbox(
        { seed: { historicalSessions: 0 } },
        async (sandbox) => {
          await subscribe(sandbox, receiver, 'scenario_session/created');
          const put = (faults: Record<string, unknown>) =>
            postJson(`${sandbox.url}/sandbox/faults`, faults, {}, 'PUT');

          await put({ dropWebhookRate: 1 });
          await sandbox.open(
            'worklink://resource?action=fetch_catalog&asset=42'
          );
          assert.equal(sandbox.deliveries()[0]?.outcome, 'dropped');

          await put({ dropWebhookRate: 0, duplicateRate: 1 });
          await sandbox.open(
            'worklink://resource?action=fetch_catalog&asset=42'
          );
          await waitFor(() => receiver.received.length >= 2, 'the duplicate');
          assert.equal(
            receiver.received[0]?.headers['x-scope-webhook-id'],
            receiver.received[1]?.headers['x-scope-webhook-id']
          );
          assert.equal(
            receiver.received[0]?.raw.toString(),
            receiver.received[1]?.raw.toString()
          );

          await put({ duplicateRate: 0, wrongSignature: true });
          await sandbox.open(
            'worklink://resource?action=fetch_catalog&asset=42'
          );
          const wrong = await waitFor(
            () => receiver.received[2],
            'the wrongly signed delivery'
          );
          assert.ok(
            !verify(wrong.raw, wrong.headers['x-scope-hmac-sha256'], SECRET)
          );

          // reorder: a session's next change overtakes the held "created" delivery of the same session
          await put({ wrongSignature: false, reorder: true });
          await subscribe(sandbox, receiver, 'scenario_session/updated');
          const opened = await sandbox.open(
            'worklink://resource?action=fetch_catalog&asset=42'
          );
          await sandbox.advance();
          await waitFor(
            () => receiver.received.length >= 5,
            'the reordered pair'
          );
          const pair = receiver.received.slice(3, 5);
          assert.deepEqual(
            pair.map((item) => (item.json as { data: { id: string } }).data.id),
            [opened.id, opened.id]
          );
          assert.deepEqual(
            pair.map((item) => item.headers['x-scope-topic']),
            ['scenario_session/updated', 'scenario_session/created']
          );
          const log = (await (
            await fetch(`${sandbox.url}/sandbox/deliveries`)
          ).json()) as {
            deliveries: { topic: string; attempts: { sequence: number }[] }[];
          };
          const sequenceOf = (topic: string) =>
            log.deliveries.filter((d) => d.topic === topic).at(-1)?.attempts[0]
              ?.sequence ?? 0;
          assert.ok(
            sequenceOf('scenario_session/updated') <
              sequenceOf('scenario_session/created'),
            'the log orders the attempts as they were sent'
          );

          const bad = await put({ errorRate: 2 });
          assert.equal(bad.status, 400);
        }
      );
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signBody } from '../../../connector/src/webhooks/verify-signature.ts';
import {
  gen1Body,
  gen2DefaultBody,
  gen2NodeBody,
  gen2Request,
  nodeId,
  OLD_SECRET,
  PATH_TOKEN,
  SECRET
} from '../../support/webhook-fixtures.ts';
import { startTestConnector } from './support/start-connector.ts';
import type { RunningConnector } from './support/start-connector.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

const errorCode = (body: unknown) =>
  (body as { error?: { code?: string } }).error?.code;

describe('POST /webhooks/scope (durable acknowledgement)', () => {
  let c: RunningConnector;
  before(async () => {
    c = await startTestConnector(postgres);
  });
  after(async () => {
    await c?.stop();
  });

  it('stores a signed generation-2 delivery and its job before answering 202', async () => {
    const id = nodeId('ScenarioSession', 1);
    const res = await c.post(
      '/webhooks/scope',
      gen2Request(gen2DefaultBody(id), { topic: 'scenario_session/created' })
    );
    assert.equal(res.status, 202);
    assert.equal((res.body as { status: string }).status, 'accepted');
    const { rows } = await c.pool.query(
      'SELECT resource_id, resource_type, event, generation, headers FROM deliveries'
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0].resource_id, id);
    assert.equal(rows[0].resource_type, 'ScenarioSession');
    assert.equal(rows[0].event, 'created');
    assert.equal(rows[0].generation, 2);
    assert.equal(rows[0].headers['x-scope-topic'], 'scenario_session/created');
    assert.equal(
      rows[0].headers['x-scope-hmac-sha256'],
      undefined,
      'the signature is not stored'
    );
    assert.equal(await c.jobCount(), 1);
  });

  it('answers 200 duplicate for a repeated X-Scope-Webhook-Id and stores nothing new', async () => {
    const request = gen2Request(gen2DefaultBody(nodeId('ScenarioSession', 2)), {
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043'
    });
    const first = await c.post('/webhooks/scope', request);
    const before = await c.count('deliveries');
    const second = await c.post('/webhooks/scope', request);
    assert.equal(first.status, 202);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, {
      status: 'duplicate',
      deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043'
    });
    assert.equal(await c.count('deliveries'), before);
  });

  it('accepts a delivery signed with the previous secret during a rotation', async () => {
    const res = await c.post(
      '/webhooks/scope',
      gen2Request(gen2DefaultBody(nodeId('ScenarioSession', 3)), {
        secret: OLD_SECRET
      })
    );
    assert.equal(res.status, 202);
  });

  it('accepts a call topic as a Call resource', async () => {
    const id = nodeId('Call', 9);
    const res = await c.post(
      '/webhooks/scope',
      gen2Request(gen2DefaultBody(id), { topic: 'call/updated' })
    );
    assert.equal(res.status, 202);
    const { rows } = await c.pool.query(
      'SELECT resource_type FROM deliveries WHERE resource_id = $1',
      [id]
    );
    assert.equal(rows[0]?.resource_type, 'Call');
  });

  it('keeps a custom-query node with hostile externalData byte for byte', async () => {
    const id = nodeId('ScenarioSession', 4);
    const externalData = {
      work_order_id: "0WO'); DROP TABLE deliveries; --",
      work_order_number: '<script>alert(1)</script>',
      case_id: '${jndi:ldap://x}',
      note: 'null\u0000byte and \ud800 lone surrogate',
      nested: { $where: '1==1', __proto__: { polluted: true } }
    };
    const res = await c.post(
      '/webhooks/scope',
      gen2Request(gen2NodeBody(id, externalData))
    );
    assert.equal(res.status, 202);
    const { rows } = await c.pool.query(
      'SELECT node FROM deliveries WHERE resource_id = $1',
      [id]
    );
    const stored = rows[0].node.externalData;
    assert.equal(stored.work_order_id, externalData.work_order_id);
    assert.equal(stored.work_order_number, externalData.work_order_number);
    assert.equal(stored.case_id, externalData.case_id);
    assert.equal(stored.note, 'null\uFFFDbyte and \uFFFD lone surrogate');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok((await c.count('deliveries')) > 0, 'the table still exists');
  });

  it('accepts unsigned generation 1 on the secret path, with either key spelling', async () => {
    const a = await c.post(`/webhooks/scope/${PATH_TOKEN}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(gen1Body({ id: nodeId('ScenarioSession', 5) }))
    });
    const b = await c.post(`/webhooks/scope/${PATH_TOKEN}`, {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(
        gen1Body({
          id: nodeId('Call', 6),
          type: 'call',
          underscore: true,
          event: 'update'
        })
      )
    });
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    const { rows } = await c.pool.query(
      `SELECT resource_type, generation, delivery_id, sent_at FROM deliveries WHERE resource_id = ANY($1) ORDER BY id`,
      [[nodeId('ScenarioSession', 5), nodeId('Call', 6)]]
    );
    assert.deepEqual(
      rows.map((r) => r.resource_type),
      ['ScenarioSession', 'Call']
    );
    assert.ok(
      rows.every(
        (r) => r.generation === 1 && r.delivery_id.startsWith('sha256:')
      )
    );
    assert.equal(rows[0].sent_at.toISOString(), '2020-10-20T18:06:02.000Z');
  });

  it('answers 202 ignored for resource types it does not handle, and stores nothing', async () => {
    const before = await c.count('deliveries');
    const jobs = await c.jobCount();
    const user = await c.post(
      '/webhooks/scope',
      gen2Request(gen2DefaultBody(nodeId('User', 1)), { topic: 'user/created' })
    );
    const userNode = await c.post(
      '/webhooks/scope',
      gen2Request({
        data: { node: { id: nodeId('User', 2), __typename: 'User' } }
      })
    );
    assert.equal(user.status, 202);
    assert.equal((user.body as { status: string }).status, 'ignored');
    assert.match((user.body as { reason: string }).reason, /user/);
    assert.equal(userNode.status, 202);
    assert.equal((userNode.body as { status: string }).status, 'ignored');
    assert.equal(await c.count('deliveries'), before);
    assert.equal(await c.jobCount(), jobs);
  });

  it('stores a generation-1 delivery with an ambiguous label ("Scenario") for Scope to resolve', async () => {
    const id = nodeId('ScenarioSession', 12);
    const res = await c.post(`/webhooks/scope/${PATH_TOKEN}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(gen1Body({ id, type: 'Scenario' }))
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal((res.body as { status: string }).status, 'accepted');
    const { rows } = await c.pool.query(
      'SELECT resource_type FROM deliveries WHERE resource_id = $1',
      [id]
    );
    assert.deepEqual(rows, [{ resource_type: 'unresolved' }]);
    const jobs = await c.pool.query(
      `SELECT data FROM pgboss.job WHERE name = 'scope-resource' AND singleton_key = $1`,
      [id]
    );
    assert.deepEqual(jobs.rows[0]?.data, { resourceId: id });
  });

  it("stores Scope's documented payload query (no id, no __typename) by the envelope id, without the payload", async () => {
    const id = nodeId('ScenarioSession', 13);
    const { data } = gen2NodeBody(id);
    const { id: _id, __typename: _typename, ...documented } = data.node;
    const res = await c.post(
      '/webhooks/scope',
      gen2Request({ data: { id, node: documented } })
    );
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const { rows } = await c.pool.query(
      'SELECT resource_type, node, body FROM deliveries WHERE resource_id = $1',
      [id]
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0].resource_type, 'ScenarioSession');
    assert.equal(
      rows[0].node,
      null,
      'an unusable payload never stands in for the fetch'
    );
    assert.deepEqual(
      rows[0].body.data.node,
      documented,
      'the body is kept as received'
    );
  });

  describe('hostile corpus: specific 4xx, nothing stored, still serving', () => {
    const valid = () => gen2DefaultBody(nodeId('ScenarioSession', 77));
    const deep = (n: number) => '{"data":'.repeat(n) + '{}' + '}'.repeat(n);
    const cases: {
      name: string;
      path?: string;
      request: () => { headers: Record<string, string>; body: string | Buffer };
      status: number;
      code: string;
      field?: string;
    }[] = [
      {
        name: 'missing signature',
        request: () => gen2Request(valid(), { signature: null }),
        status: 401,
        code: 'missing_signature'
      },
      {
        name: 'wrong secret',
        request: () =>
          gen2Request(valid(), { secret: 'an-attackers-secret-123' }),
        status: 401,
        code: 'invalid_signature'
      },
      {
        name: 'garbage signature',
        request: () => gen2Request(valid(), { signature: 'not-base64!!' }),
        status: 401,
        code: 'invalid_signature'
      },
      {
        name: 'hex signature while base64 is configured',
        request: () => gen2Request(valid(), { encoding: 'hex' }),
        status: 401,
        code: 'invalid_signature'
      },
      {
        name: 'signature of another body',
        request: () => {
          const r = gen2Request(valid());
          return {
            ...r,
            body: r.body.replace('cms.scopear.com', 'cms.evil.example')
          };
        },
        status: 401,
        code: 'invalid_signature'
      },
      {
        name: 'unsigned generation 1 on the plain path',
        request: () => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(gen1Body({ id: 'abc' }))
        }),
        status: 401,
        code: 'missing_signature'
      },
      {
        name: 'generation 1 on a wrong path token',
        path: '/webhooks/scope/not-the-token-0000000000',
        request: () => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(gen1Body({ id: 'abc' }))
        }),
        status: 401,
        code: 'invalid_path_token'
      },
      {
        name: 'truncated body (signed as sent)',
        request: () => {
          const body = JSON.stringify(valid()).slice(0, 25);
          return gen2Request(body, { signature: signBody(body, SECRET) });
        },
        status: 400,
        code: 'invalid_json'
      },
      {
        name: 'wrong content type',
        request: () => ({
          ...gen2Request(valid()),
          headers: {
            ...gen2Request(valid()).headers,
            'content-type': 'text/plain'
          }
        }),
        status: 415,
        code: 'unsupported_media_type'
      },
      {
        name: 'form content type',
        request: () => ({
          ...gen2Request('a=1'),
          headers: {
            ...gen2Request('a=1').headers,
            'content-type': 'application/x-www-form-urlencoded'
          }
        }),
        status: 415,
        code: 'unsupported_media_type'
      },
      {
        name: 'deep JSON',
        request: () => gen2Request(deep(5000)),
        status: 400,
        code: 'too_deep'
      },
      {
        name: 'huge body',
        request: () =>
          gen2Request(
            JSON.stringify({ data: { id: 'x', pad: 'a'.repeat(200_000) } })
          ),
        status: 413,
        code: 'payload_too_large'
      },
      {
        name: 'array body',
        request: () => gen2Request('[1,2,3]'),
        status: 400,
        code: 'invalid_body'
      },
      {
        name: 'missing id',
        request: () =>
          gen2Request({ data: { url: 'https://cms.scopear.com/x' } }),
        status: 400,
        code: 'invalid_body'
      },
      {
        name: 'id with spaces and quotes',
        request: () => gen2Request({ data: { id: "1' OR '1'='1" } }),
        status: 400,
        code: 'invalid_body'
      },
      {
        name: 'empty body',
        request: () => gen2Request(''),
        status: 400,
        code: 'empty_body'
      },
      {
        name: 'generation 1 with an impossible time',
        path: `/webhooks/scope/${PATH_TOKEN}`,
        request: () => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(gen1Body({ id: 'abc', time: 'yesterday-ish' }))
        }),
        status: 400,
        code: 'invalid_body',
        field: 'time'
      },
      ...[
        '0000-01-01T00:00:00Z',
        '-000001-01-01T00:00:00Z',
        '+275760-09-13T00:00:00Z'
      ].map((time) => ({
        name: `generation 1 with a time PostgreSQL cannot store (${time})`,
        path: `/webhooks/scope/${PATH_TOKEN}`,
        request: () => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            gen1Body({ id: nodeId('ScenarioSession', 78), time })
          )
        }),
        status: 400,
        code: 'invalid_body',
        field: 'time'
      })),
      {
        name: 'generation 1 without a resource id',
        path: `/webhooks/scope/${PATH_TOKEN}`,
        request: () => ({
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            event: 'create',
            type: 'resource',
            data: { 'resource-type': 'Scenario' }
          })
        }),
        status: 400,
        code: 'invalid_body',
        field: 'data.resource-id'
      },
      {
        name: "Scope's documented payload query with no id anywhere",
        request: () => {
          const {
            id: _id,
            __typename: _t,
            ...documented
          } = gen2NodeBody(nodeId('ScenarioSession', 79)).data.node;
          return gen2Request({ data: { node: documented } });
        },
        status: 400,
        code: 'invalid_body',
        field: 'data.node.id'
      },
      {
        name: 'payload node with a non-string id',
        request: () => gen2Request({ data: { node: { id: 42 } } }),
        status: 400,
        code: 'invalid_body',
        field: 'data.node.id'
      }
    ];
    for (const testCase of cases) {
      it(`${testCase.name} → ${testCase.status} ${testCase.code}`, async () => {
        const deliveries = await c.count('deliveries');
        const jobs = await c.jobCount();
        const res = await c.post(
          testCase.path ?? '/webhooks/scope',
          testCase.request()
        );
        assert.equal(res.status, testCase.status, JSON.stringify(res.body));
        assert.equal(errorCode(res.body), testCase.code);
        if (testCase.field)
          assert.equal(
            (res.body as { error: { field?: string } }).error.field,
            testCase.field
          );
        assert.equal(
          typeof (res.body as { error: { message: string } }).error.message,
          'string'
        );
        assert.equal(await c.count('deliveries'), deliveries);
        assert.equal(await c.jobCount(), jobs);
        const health = await fetch(`${c.url}/healthz`);
        assert.equal(health.status, 200);
      });
    }
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const ready = await fetch(`${c.url}/readyz`);
    assert.equal(ready.status, 200);
    const report = (await ready.json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean }>;
    };
    assert.equal(report.checks.database?.ok, true);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    assert.match(
      metrics,
      /worklink_deliveries_total\{outcome="accepted"\} \d+/
    );
    assert.match(
      metrics,
      /worklink_deliveries_total\{outcome="rejected_signature"\} \d+/
    );
    assert.match(metrics, /worklink_queue_depth \d+/);
    assert.match(metrics, /worklink_queue_oldest_pending_seconds [\d.]+/);
    const missing = await fetch(`${c.url}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(errorCode(await missing.json()), 'not_found');
  });
});

describe('signature settings', () => {
  it('log-only mode accepts and stores a badly signed delivery', async () => {
    const c = await startTestConnector(postgres, {
      env: { WEBHOOK_SIGNATURE_MODE: 'log-only' }
    });
    try {
      const res = await c.post(
        '/webhooks/scope',
        gen2Request(gen2DefaultBody(nodeId('ScenarioSession', 1)), {
          secret: 'wrong-secret-value'
        })
      );
      assert.equal(res.status, 202);
      assert.equal(await c.count('deliveries'), 1);
    } finally {
      await c.stop();
    }
  });

  it('hex encoding verifies hex signatures', async () => {
    const c = await startTestConnector(postgres, {
      env: { WEBHOOK_SIGNATURE_ENCODING: 'hex' }
    });
    try {
      const ok = await c.post(
        '/webhooks/scope',
        gen2Request(gen2DefaultBody(nodeId('ScenarioSession', 1)), {
          encoding: 'hex'
        })
      );
      const bad = await c.post(
        '/webhooks/scope',
        gen2Request(gen2DefaultBody(nodeId('ScenarioSession', 2)))
      );
      assert.equal(ok.status, 202);
      assert.equal(bad.status, 401);
    } finally {
      await c.stop();
    }
  });

  it('WEBHOOK_ALLOW_UNSIGNED accepts generation 1 on the plain path', async () => {
    const c = await startTestConnector(postgres, {
      env: { WEBHOOK_ALLOW_UNSIGNED: 'true' }
    });
    try {
      const res = await c.post('/webhooks/scope', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(gen1Body({ id: nodeId('ScenarioSession', 8) }))
      });
      assert.equal(res.status, 202);
    } finally {
      await c.stop();
    }
  });
});

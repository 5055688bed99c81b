import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { WRITTEN_SESSION_FIELDS } from '../../../connector/src/mapping/session-record.ts';
import type { SessionRecord } from '../../../connector/src/mapping/session-record.ts';
import {
  buildInListQueries,
  queryInLists,
  queryPath,
  workOrderQuery,
  createJwtAssertion,
  createSalesforceAuth,
  createSalesforceClient,
  parseLimitInfo,
  SalesforceApiError,
  soqlString
} from '../../../connector/src/salesforce/index.ts';
import { startLocalServer } from './helpers/local-server.ts';
import type {
  LocalServer,
  RecordedRequest,
  Reply
} from './helpers/local-server.ts';
import { ASSET_ID, CASE_ID, WORK_ORDER_ID } from './helpers/fixtures.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048
});
const PRIVATE_PEM = privateKey
  .export({ type: 'pkcs8', format: 'pem' })
  .toString();
const API = '/services/data/v62.0';

function record(id: string): SessionRecord {
  return {
    Scope_Id__c: id,
    Scope_Database_Id__c: null,
    Kind__c: 'Scenario Session',
    State__c: 'COMPLETED',
    Started_At__c: null,
    Ended_At__c: null,
    Duration_Seconds__c: null,
    Idle_Duration_Seconds__c: null,
    Steps_Possible__c: null,
    Steps_Viewed__c: null,
    Percent_Steps_Viewed__c: null,
    Scenario_Name__c: null,
    Scenario_Version__c: null,
    Technician__c: null,
    Technician_Email__c: null,
    Expert__c: null,
    External_Data__c: null,
    Scope_Updated_At__c: null,
    Last_Synced_At__c: '2025-01-10T10:00:00.000Z',
    Work_Order__c: null,
    Case__c: null,
    Asset__c: null,
    Work_Order_Line_Item__c: null,
    Service_Appointment__c: null,
    Link_Status__c: 'Unmatched',
    External_Work_Order_Ref__c: null
  };
}

const NEXT_PAGE = `${API}/query/01gD0000002HU6KIAW-2000`;

const soqlOf = (url: string) => decodeURIComponent(url.split('q=')[1] ?? '');

/** A query row as the REST API returns it, `attributes` included. */
function sessionRow(scopeId: string, state: string) {
  return {
    attributes: {
      type: 'Scope_AR_Session__c',
      url: `${API}/sobjects/Scope_AR_Session__c/a0X0000000000${scopeId}`
    },
    Scope_Id__c: scopeId,
    State__c: state
  };
}

interface OrgState {
  token: string;
  tokensIssued: number;
  used: number;
  fault?: (request: RecordedRequest) => Reply | undefined;
}

/** A minimal org: OAuth token endpoint, Collections upsert, query and describe, with limit headers. */
async function fakeOrg(state: OrgState): Promise<LocalServer> {
  const server: LocalServer = await startLocalServer((request) => {
    if (request.url === '/services/oauth2/token') {
      const form = new URLSearchParams(request.body);
      const ok =
        (form.get('grant_type') === 'client_credentials' &&
          form.get('client_secret') === 'sandbox-client-secret') ||
        form.get('grant_type') ===
          'urn:ietf:params:oauth:grant-type:jwt-bearer';
      if (!ok)
        return {
          status: 400,
          body: {
            error: 'invalid_client',
            error_description: 'invalid client credentials'
          }
        };
      state.tokensIssued += 1;
      state.token = `token-${state.tokensIssued}`;
      return {
        body: {
          access_token: state.token,
          instance_url: server.url,
          token_type: 'Bearer'
        }
      };
    }
    if (request.headers.authorization !== `Bearer ${state.token}`) {
      return {
        status: 401,
        body: [
          {
            errorCode: 'INVALID_SESSION_ID',
            message: 'Session expired or invalid'
          }
        ]
      };
    }
    const fault = state.fault?.(request);
    if (fault) return fault;
    state.used += 1;
    const headers = { 'sforce-limit-info': `api-usage=${state.used}/100` };
    if (
      request.method === 'PATCH' &&
      request.url ===
        `${API}/composite/sobjects/Scope_AR_Session__c/Scope_Id__c`
    ) {
      const body = JSON.parse(request.body) as {
        allOrNone: boolean;
        records: { Scope_Id__c: string; State__c: string }[];
      };
      return {
        headers,
        body: body.records.map((r, i) =>
          r.State__c === 'INVALID'
            ? {
                success: false,
                errors: [
                  {
                    statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                    message: 'bad state',
                    fields: ['State__c']
                  }
                ]
              }
            : {
                id: `a0X00000000000${i}`,
                success: true,
                created: true,
                errors: []
              }
        )
      };
    }
    if (
      request.method === 'GET' &&
      request.url.startsWith(`${API}/query?q=`) &&
      soqlOf(request.url).includes('FROM Scope_AR_Session__c')
    ) {
      return {
        headers,
        body: {
          totalSize: 3,
          done: false,
          nextRecordsUrl: NEXT_PAGE,
          records: [sessionRow('s1', 'COMPLETED'), sessionRow('s2', 'ACTIVE')]
        }
      };
    }
    if (request.method === 'GET' && request.url === NEXT_PAGE) {
      return {
        headers,
        body: {
          totalSize: 3,
          done: true,
          records: [sessionRow('s3', 'COMPLETED')]
        }
      };
    }
    if (request.method === 'GET' && request.url.startsWith(`${API}/query?q=`)) {
      return {
        headers,
        body: {
          totalSize: 1,
          done: true,
          records: [
            {
              attributes: { type: 'WorkOrder' },
              Id: WORK_ORDER_ID,
              WorkOrderNumber: '00000101',
              CaseId: CASE_ID,
              AssetId: ASSET_ID
            }
          ]
        }
      };
    }
    if (
      request.method === 'GET' &&
      request.url === `${API}/sobjects/Scope_AR_Session__c/describe`
    ) {
      return {
        headers,
        body: {
          name: 'Scope_AR_Session__c',
          fields: WRITTEN_SESSION_FIELDS.filter((f) => f !== 'Expert__c').map(
            (name) => ({
              name,
              createable: true,
              updateable: name !== 'State__c'
            })
          )
        }
      };
    }
    if (request.method === 'GET' && request.url === `${API}/`)
      return { headers, body: {} };
    return {
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'no such resource' }]
    };
  });
  return server;
}

const servers: LocalServer[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

async function setup(fault?: OrgState['fault']) {
  const state: OrgState = { token: 'none', tokensIssued: 0, used: 0, fault };
  const server = await fakeOrg(state);
  servers.push(server);
  const apiCalls: [string, number | 'network'][] = [];
  const usage: number[] = [];
  const sleeps: number[] = [];
  const client = createSalesforceClient({
    auth: {
      loginUrl: server.url,
      flow: 'client_credentials',
      clientId: 'sandbox-client-id',
      clientSecret: 'sandbox-client-secret'
    },
    apiVersion: '62.0',
    apiUsageSlowdown: 0.9,
    metrics: {
      apiCall: (_s, operation, status) => apiCalls.push([operation, status]),
      salesforceApiUsage: (used, max) => usage.push(used / max)
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    }
  });
  return { state, server, client, apiCalls, usage, sleeps };
}

describe('SOQL building', () => {
  it('escapes hostile values so they stay inside the literal', () => {
    assert.equal(soqlString("a' OR Name != 'b"), "'a\\' OR Name != \\'b'");
    assert.equal(soqlString('back\\slash\nnew'), "'back\\\\slash\\nnew'");
  });
  it('puts Ids and WorkOrderNumbers in one query and chunks only by URL length', () => {
    const [one, ...rest] = buildInListQueries(
      workOrderQuery([WORK_ORDER_ID], ['00000101', "x'y"])
    );
    assert.equal(rest.length, 0);
    assert.equal(
      one,
      `SELECT Id, WorkOrderNumber, CaseId, AssetId FROM WorkOrder WHERE Id IN ('${WORK_ORDER_ID}') OR WorkOrderNumber IN ('00000101', 'x\\'y')`
    );
    const many = Array.from({ length: 3000 }, (_, i) =>
      String(i).padStart(8, '0')
    );
    const queries = buildInListQueries(workOrderQuery([], many));
    assert.ok(queries.length > 1);
    for (const q of queries)
      assert.ok(`/services/data/v68.0${queryPath(q)}`.length <= 12_288);
    assert.equal(
      queries.flatMap((q) => q.match(/'\d{8}'/g) ?? []).length,
      3000
    );
  });
  it('measures the URL as sent: quotes go out as %27, so quote-heavy keys make more, shorter queries', () => {
    const quoted = Array.from({ length: 2000 }, (_, i) => `O'B'R'I'E'N'-${i}`);
    assert.equal(queryPath("'"), '/query?q=%27');
    for (const q of buildInListQueries(workOrderQuery([], quoted)))
      assert.ok(
        `/services/data/v68.0${queryPath(q)}`.length <= 12_288,
        `${queryPath(q).length} bytes`
      );
  });
  it('splits a group Salesforce still refuses as too long (414/431) and keeps every row', async () => {
    const values = Array.from({ length: 300 }, (_, i) => `key-${i}`);
    const sent: string[] = [];
    const reader = {
      async query<T>(_operation: string, soql: string): Promise<T[]> {
        sent.push(soql);
        // an org behind a proxy that adds large headers: only short URLs pass
        if (queryPath(soql).length > 2_000)
          throw new SalesforceApiError('URI too long', {
            errorCode: 'ERROR_HTTP_431',
            status: 431
          });
        return (soql.match(/'key-\d+'/g) ?? []).map(
          (literal) => ({ key: literal.slice(1, -1) }) as T
        );
      }
    };
    const rows = await queryInLists<{ key: string }>(reader, 'test', {
      select: 'SELECT Id FROM WorkOrder',
      lists: [{ field: 'WorkOrderNumber', values }]
    });
    assert.deepEqual(rows.map((r) => r.key).sort(), [...values].sort());
    assert.ok(sent.length > 2, 'the refused group was split');
  });
  it('refuses one value too long for any URL on its own, without sending it', async () => {
    let calls = 0;
    const reader = {
      async query<T>(): Promise<T[]> {
        calls += 1;
        return [];
      }
    };
    await assert.rejects(
      queryInLists(reader, 'test', {
        select: 'SELECT Id FROM WorkOrder',
        lists: [{ field: 'WorkOrderNumber', values: ['x'.repeat(20_000)] }]
      }),
      (error: unknown) =>
        error instanceof SalesforceApiError &&
        error.errorCode === 'URI_TOO_LONG'
    );
    assert.equal(calls, 0);
  });
  it('parses Sforce-Limit-Info', () => {
    assert.deepEqual(parseLimitInfo('api-usage=18/5000'), {
      used: 18,
      max: 5000
    });
    assert.equal(parseLimitInfo('per-app-api-usage=1/2(appName=x)'), undefined);
  });
});

describe('JWT bearer assertion', () => {
  it('is an RS256 JWT with iss, sub, aud and a short exp', () => {
    const now = new Date('2025-01-10T10:00:00Z');
    const jwt = createJwtAssertion({
      clientId: 'sandbox-client-id',
      username: 'integration@worklink.sandbox',
      audience: 'https://login.salesforce.com',
      privateKeyPem: PRIVATE_PEM,
      now
    });
    const [header, claims, signature] = jwt.split('.') as [
      string,
      string,
      string
    ];
    assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), {
      alg: 'RS256',
      typ: 'JWT'
    });
    assert.deepEqual(JSON.parse(Buffer.from(claims, 'base64url').toString()), {
      iss: 'sandbox-client-id',
      sub: 'integration@worklink.sandbox',
      aud: 'https://login.salesforce.com',
      exp: now.getTime() / 1000 + 180
    });
    assert.ok(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${claims}`),
        publicKey,
        Buffer.from(signature, 'base64url')
      )
    );
  });
  it('is what the JWT flow posts to the token endpoint', async () => {
    const server = await startLocalServer(() => ({
      body: { access_token: 'x', instance_url: 'http://127.0.0.1:9' }
    }));
    servers.push(server);
    const auth = createSalesforceAuth({
      loginUrl: server.url,
      flow: 'jwt',
      clientId: 'sandbox-client-id',
      username: 'integration@worklink.sandbox',
      privateKeyPem: PRIVATE_PEM
    });
    assert.deepEqual(await auth.authenticate(), {
      accessToken: 'x',
      instanceUrl: 'http://127.0.0.1:9'
    });
    const form = new URLSearchParams(server.requests[0]?.body);
    assert.equal(
      form.get('grant_type'),
      'urn:ietf:params:oauth:grant-type:jwt-bearer'
    );
    assert.equal((form.get('assertion') ?? '').split('.').length, 3);
  });
});

describe('createSalesforceClient', () => {
  it('upserts through Collections in calls of at most 200 with allOrNone false, per-record results', async () => {
    const { client, server, apiCalls } = await setup();
    const records = Array.from({ length: 401 }, (_, i) => record(`scope-${i}`));
    records[5] = { ...record('scope-5'), State__c: 'INVALID' };
    const results = await client.upsertSessions(records);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 3);
    assert.deepEqual(
      patches.map(
        (r) => (JSON.parse(r.body) as { records: unknown[] }).records.length
      ),
      [200, 200, 1]
    );
    const first = JSON.parse(patches[0]?.body ?? '{}') as {
      allOrNone: boolean;
      records: Record<string, unknown>[];
    };
    assert.equal(first.allOrNone, false);
    assert.deepEqual(first.records[0]?.attributes, {
      type: 'Scope_AR_Session__c'
    });
    assert.equal(results.length, 401);
    assert.equal(results.filter((r) => r.success).length, 400);
    assert.deepEqual(results[5], {
      scopeId: 'scope-5',
      success: false,
      id: undefined,
      created: undefined,
      errors: [
        {
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'bad state',
          fields: ['State__c']
        }
      ]
    });
    assert.deepEqual(
      apiCalls.map(([op]) => op),
      ['token', 'upsert', 'upsert', 'upsert']
    );
  });

  it('resolves work orders with one query', async () => {
    const { client, server } = await setup();
    const rows = await client.resolveWorkOrders({
      ids: [WORK_ORDER_ID],
      numbers: ['00000101', '99999999']
    });
    assert.deepEqual(rows, [
      {
        Id: WORK_ORDER_ID,
        WorkOrderNumber: '00000101',
        CaseId: CASE_ID,
        AssetId: ASSET_ID
      }
    ]);
    const queries = server.requests.filter((r) => r.url.includes('/query'));
    assert.equal(queries.length, 1);
    const soql = decodeURIComponent(
      (queries[0]?.url ?? '').split('q=')[1] ?? ''
    );
    assert.match(
      soql,
      /WHERE Id IN \('0WO\w{15}'\) OR WorkOrderNumber IN \('00000101', '99999999'\)$/
    );
    assert.deepEqual(
      await client.resolveWorkOrders({ ids: [], numbers: [] }),
      []
    );
    assert.equal(
      server.requests.filter((r) => r.url.includes('/query')).length,
      1,
      'no query without keys'
    );
  });

  it('queries every page, without the attributes envelope, one counted call per page', async () => {
    const { client, server, apiCalls } = await setup();
    const soql =
      "SELECT Scope_Id__c, State__c FROM Scope_AR_Session__c WHERE Scope_Id__c IN ('s1', 's2', 's3')";
    const rows = await client.query<{ Scope_Id__c: string; State__c: string }>(
      'reconcileRead',
      soql
    );
    assert.deepEqual(rows, [
      { Scope_Id__c: 's1', State__c: 'COMPLETED' },
      { Scope_Id__c: 's2', State__c: 'ACTIVE' },
      { Scope_Id__c: 's3', State__c: 'COMPLETED' }
    ]);
    const reads = server.requests.filter((r) =>
      r.url.startsWith(`${API}/query`)
    );
    assert.equal(reads.length, 2);
    assert.equal(soqlOf(reads[0]?.url ?? ''), soql);
    assert.equal(reads[1]?.url, NEXT_PAGE);
    assert.ok(reads.every((r) => r.method === 'GET'));
    assert.deepEqual(apiCalls, [
      ['token', 200],
      ['reconcileRead', 200],
      ['reconcileRead', 200]
    ]);
  });

  it('queries with the same re-authentication, limit tracking and typed errors as the other calls', async () => {
    const { client, state, sleeps } = await setup((request) =>
      soqlOf(request.url).includes('FROM Nowhere__c')
        ? {
            status: 400,
            body: [
              {
                errorCode: 'INVALID_TYPE',
                message: "sObject type 'Nowhere__c' is not supported."
              }
            ]
          }
        : undefined
    );
    const soql = 'SELECT Scope_Id__c FROM Scope_AR_Session__c';
    await client.query('ttrArRecords', soql);
    state.token = 'rotated-server-side';
    state.used = 94;
    assert.equal((await client.query('ttrArRecords', soql)).length, 3);
    assert.equal(state.tokensIssued, 2, 'one re-authentication');
    assert.deepEqual(client.apiUsage(), { used: 96, max: 100 });
    assert.equal(
      sleeps.length,
      1,
      'only the second page waited: the first one answered above the slowdown fraction'
    );
    await client.query('ttrArRecords', soql);
    assert.equal(sleeps.length, 3, 'paused before each page from then on');
    await assert.rejects(
      client.query('ttrWorkOrders', 'SELECT Id FROM Nowhere__c'),
      (error: unknown) => {
        assert.ok(error instanceof SalesforceApiError);
        assert.equal(error.status, 400);
        assert.equal(error.errorCode, 'INVALID_TYPE');
        return true;
      }
    );
  });

  it('re-authenticates once on an expired token and repeats the request', async () => {
    const { client, state, server } = await setup();
    await client.resolveWorkOrders({ ids: [], numbers: ['1'] });
    state.token = 'rotated-server-side';
    await client.upsertSessions([record('a')]);
    assert.equal(state.tokensIssued, 2);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    assert.equal(
      patches.length,
      2,
      'the rejected request and its single retry'
    );
  });

  it('stops re-authenticating when every new token is rejected', async () => {
    const { client } = await setup((request) =>
      request.method === 'PATCH'
        ? {
            status: 401,
            body: [{ errorCode: 'INVALID_SESSION_ID', message: 'nope' }]
          }
        : undefined
    );
    await assert.rejects(
      client.upsertSessions([record('a')]),
      (error: unknown) => {
        assert.ok(error instanceof SalesforceApiError);
        assert.equal(error.errorCode, 'INVALID_SESSION_ID');
        return true;
      }
    );
  });

  it('raises typed errors with status and errorCode, without hidden retries', async () => {
    let reply: Reply = {
      status: 503,
      body: [
        { errorCode: 'SERVER_UNAVAILABLE', message: 'down for maintenance' }
      ]
    };
    const { client, server } = await setup(() => reply);
    await assert.rejects(
      client.resolveWorkOrders({ ids: [], numbers: ['1'] }),
      (error: unknown) => {
        assert.ok(error instanceof SalesforceApiError);
        assert.equal(error.status, 503);
        assert.equal(error.errorCode, 'SERVER_UNAVAILABLE');
        return true;
      }
    );
    assert.equal(
      server.requests.filter((r) => r.url.includes('/query')).length,
      1,
      'jsforce did not retry the GET itself'
    );
    reply = {
      status: 403,
      body: [
        {
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
          message: 'TotalRequests Limit exceeded.'
        }
      ]
    };
    await assert.rejects(
      client.upsertSessions([record('a')]),
      (error: unknown) => {
        assert.ok(
          error instanceof SalesforceApiError &&
            error.status === 403 &&
            error.errorCode === 'REQUEST_LIMIT_EXCEEDED'
        );
        return true;
      }
    );
    reply = {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html>bad gateway</html>'
    };
    await assert.rejects(
      client.upsertSessions([record('a')]),
      (error: unknown) => {
        assert.ok(error instanceof SalesforceApiError && error.status === 502);
        return true;
      }
    );
  });

  it('reports network failures as NETWORK_ERROR', async () => {
    const { client, server } = await setup();
    await client.resolveWorkOrders({ ids: [], numbers: ['1'] });
    await server.close();
    await assert.rejects(
      client.upsertSessions([record('a')]),
      (error: unknown) => {
        assert.ok(
          error instanceof SalesforceApiError &&
            error.errorCode === 'NETWORK_ERROR' &&
            error.status === undefined
        );
        return true;
      }
    );
  });

  it('tracks Sforce-Limit-Info and slows down near the limit', async () => {
    const { client, state, usage, sleeps } = await setup();
    await client.resolveWorkOrders({ ids: [], numbers: ['1'] });
    assert.deepEqual(client.apiUsage(), { used: 1, max: 100 });
    assert.deepEqual(sleeps, []);
    state.used = 94;
    await client.resolveWorkOrders({ ids: [], numbers: ['1'] });
    assert.deepEqual(client.apiUsage(), { used: 95, max: 100 });
    await client.resolveWorkOrders({ ids: [], numbers: ['1'] });
    assert.equal(
      sleeps.length,
      1,
      'paused before the call made above the slowdown fraction'
    );
    assert.ok((usage.at(-1) ?? 0) > 0.9);
  });

  it('checks written fields through describe', async () => {
    const { client } = await setup();
    const problems = await client.checkWritableFields(WRITTEN_SESSION_FIELDS);
    assert.deepEqual(problems, [
      { field: 'State__c', problem: 'not-updateable' },
      { field: 'Expert__c', problem: 'missing' }
    ]);
    assert.equal(
      (await client.ping()).instanceUrl.startsWith('http://127.0.0.1'),
      true
    );
  });

  it('fails authentication with the OAuth error, never the body', async () => {
    const state: OrgState = { token: 'none', tokensIssued: 0, used: 0 };
    const server = await fakeOrg(state);
    servers.push(server);
    const client = createSalesforceClient({
      auth: {
        loginUrl: server.url,
        flow: 'client_credentials',
        clientId: 'sandbox-client-id',
        clientSecret: 'wrong'
      },
      apiVersion: '62.0'
    });
    await assert.rejects(client.ping(), (error: unknown) => {
      assert.ok(
        error instanceof SalesforceApiError &&
          error.errorCode === 'invalid_client' &&
          error.status === 400
      );
      return true;
    });
  });
});

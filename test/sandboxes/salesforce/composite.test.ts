import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, connectedSandbox, control } from './helpers.ts';

type Sub = {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
};
type SubResult = {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
};
type LogEntry = {
  method: string;
  path: string;
  records: number;
  status: number;
  subrequests?: { method: string; path: string; status: number }[];
};

const V = `/services/data/v${API_VERSION}`;
// Real-shaped keys: Scope AR ids carry + / = - _, names are multi-byte and long.
const SCOPE_ID = 'sess+Q/7x=Zk-9_aé';
const LONG_NAME = `Étape ✓ 检查 ${'ß'.repeat(60)}`;

describe('Composite API (POST /composite)', () => {
  const ctx = connectedSandbox({ seed: { closedWorkOrders: 0 } });
  beforeEach(() => control(ctx.sandbox, 'DELETE', '/requests'));

  async function composite(body: unknown, version = V) {
    const res = await fetch(`${ctx.sandbox.url}${version}/composite`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ctx.conn.accessToken}`,
        'content-type': 'application/json'
      },
      body: JSON.stringify(body)
    });
    return {
      status: res.status,
      limitInfo: res.headers.get('sforce-limit-info'),
      json: (await res.json()) as unknown
    };
  }
  const results = (json: unknown) =>
    (json as { compositeResponse: SubResult[] }).compositeResponse;
  const count = async (soql: string) => (await ctx.conn.query(soql)).totalSize;
  const usage = (info: string | null) =>
    Number(/api-usage=(\d+)\//.exec(info ?? '')?.[1]);

  const sessionUpsert = (scopeId: string, extra = {}): Sub => ({
    method: 'PATCH',
    url: `${V}/composite/sobjects/Scope_AR_Session__c/Scope_Id__c`,
    referenceId: 'sessions',
    body: {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Scope_AR_Session__c' },
          Scope_Id__c: scopeId,
          Kind__c: 'Call',
          ...extra
        }
      ]
    }
  });
  const stepUpsert = (scopeId: string, stepKey: string): Sub => ({
    method: 'PATCH',
    url: `${V}/composite/sobjects/Scope_AR_Session_Step__c/Step_Key__c`,
    referenceId: 'steps',
    body: {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Scope_AR_Session_Step__c' },
          Step_Key__c: stepKey,
          Step_Name__c: LONG_NAME,
          Scope_AR_Session__r: { Scope_Id__c: scopeId }
        }
      ]
    }
  });

  it('runs session and step upserts in order as one call, steps linked by the session external id', async () => {
    const before = await composite({
      compositeRequest: [
        { method: 'GET', url: `${V}/limits`, referenceId: 'probe' }
      ]
    });
    const res = await composite({
      allOrNone: false,
      compositeRequest: [
        sessionUpsert(SCOPE_ID),
        stepUpsert(SCOPE_ID, `${SCOPE_ID}#1`)
      ]
    });
    assert.equal(res.status, 200);
    assert.equal(usage(res.limitInfo), usage(before.limitInfo) + 1);
    const [sessions, steps] = results(res.json);
    assert.equal(sessions?.httpStatusCode, 200);
    const sessionId = (sessions?.body as { id: string }[])[0]?.id;
    assert.match(String(sessionId), /^[a-zA-Z0-9]{18}$/);
    assert.deepEqual(
      (steps?.body as { success: boolean; created: boolean }[]).map((r) => [
        r.success,
        r.created
      ]),
      [[true, true]]
    );
    const stored = await ctx.conn.query<{
      Scope_AR_Session__c: string;
      Step_Name__c: string;
    }>(
      `SELECT Scope_AR_Session__c, Step_Name__c FROM Scope_AR_Session_Step__c WHERE Step_Key__c = '${SCOPE_ID}#1'`
    );
    assert.equal(stored.records[0]?.Scope_AR_Session__c, sessionId);
    assert.equal(stored.records[0]?.Step_Name__c, LONG_NAME);
    const log = (await control(ctx.sandbox, 'GET', '/requests')) as LogEntry[];
    const entries = log.filter((l) => l.path.endsWith('/composite'));
    assert.equal(entries.length, 2);
    assert.deepEqual(
      entries[1]?.subrequests?.map((s) => [s.method, s.path, s.status]),
      [
        [
          'PATCH',
          `${V}/composite/sobjects/Scope_AR_Session__c/Scope_Id__c`,
          200
        ],
        [
          'PATCH',
          `${V}/composite/sobjects/Scope_AR_Session_Step__c/Step_Key__c`,
          200
        ]
      ]
    );
    assert.equal(entries[1]?.records, 2);
    assert.equal(
      log.filter((l) => l.path.includes('/composite/sobjects')).length,
      0
    );
  });

  it('a step whose session external id matches nothing fails with the platform error, the others land', async () => {
    const res = await composite({
      compositeRequest: [stepUpsert('no-such-session+/=', 'orphan-step-1')]
    });
    const body = results(res.json)[0]?.body as {
      success: boolean;
      errors: { statusCode: string; message: string }[];
    }[];
    assert.equal(body[0]?.success, false);
    assert.equal(body[0]?.errors[0]?.statusCode, 'INVALID_FIELD');
    assert.equal(
      body[0]?.errors[0]?.message,
      'Foreign key external ID: no-such-session+/= not found for field Scope_Id__c in entity Scope_AR_Session__c'
    );
    assert.equal(
      await count(
        "SELECT Id FROM Scope_AR_Session_Step__c WHERE Step_Key__c = 'orphan-step-1'"
      ),
      0
    );
  });

  it('substitutes @{ref.field}, @{ref[0].id} and @{ref.records[0].Id} references in url and body', async () => {
    const res = await composite({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Scope_AR_Session__c`,
          referenceId: 'newSession',
          body: { Scope_Id__c: 'ref-séance-1', Kind__c: 'Call' }
        },
        {
          method: 'GET',
          url: `${V}/sobjects/Scope_AR_Session__c/@{newSession.id}`,
          referenceId: 'readBack'
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Scope_AR_Session_Step__c`,
          referenceId: 'stepOne',
          body: {
            Step_Key__c: 'ref-step-1',
            Scope_AR_Session__c: '@{readBack.Id}',
            Step_Name__c: 'from @{readBack.Scope_Id__c}'
          }
        },
        {
          method: 'GET',
          url: `${V}/query?q=SELECT+Id+FROM+Scope_AR_Session__c+WHERE+Id='@{newSession.id}'`,
          referenceId: 'found'
        },
        {
          method: 'PATCH',
          url: `${V}/composite/sobjects`,
          referenceId: 'rename',
          body: {
            records: [
              {
                attributes: { type: 'Scope_AR_Session_Step__c' },
                id: '@{stepOne.id}',
                Sequence_Name__c: '@{found.records[0].Id}'
              }
            ]
          }
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Scope_AR_Session_Step__c/@{rename[0].id}`,
          referenceId: 'touch',
          body: { Step_Order__c: 2 }
        }
      ]
    });
    const all = results(res.json);
    assert.deepEqual(
      all.map((r) => r.httpStatusCode),
      [201, 200, 201, 200, 200, 204]
    );
    const sessionId = (all[0]?.body as { id: string }).id;
    assert.equal(
      (all[0]?.httpHeaders as { Location?: string }).Location,
      `${V}/sobjects/Scope_AR_Session__c/${sessionId}`
    );
    const step = await ctx.conn.query<Record<string, unknown>>(
      "SELECT Scope_AR_Session__c, Step_Name__c, Sequence_Name__c, Step_Order__c FROM Scope_AR_Session_Step__c WHERE Step_Key__c = 'ref-step-1'"
    );
    assert.deepEqual(
      step.records[0] && {
        parent: step.records[0].Scope_AR_Session__c,
        name: step.records[0].Step_Name__c,
        sequence: step.records[0].Sequence_Name__c,
        order: step.records[0].Step_Order__c
      },
      {
        parent: sessionId,
        name: 'from ref-séance-1',
        sequence: sessionId,
        order: 2
      }
    );
  });

  it('allOrNone rolls back every write when a subrequest fails; the others answer PROCESSING_HALTED', async () => {
    const res = await composite({
      allOrNone: true,
      compositeRequest: [
        sessionUpsert('rollback-1'),
        {
          method: 'POST',
          url: `${V}/sobjects/Scope_AR_Session__c`,
          referenceId: 'bad',
          body: { Scope_Id__c: 'rollback-2', No_Such_Field__c: 1 }
        },
        stepUpsert('rollback-1', 'rollback-step')
      ]
    });
    const all = results(res.json);
    assert.deepEqual(
      all.map((r) => [
        r.referenceId,
        r.httpStatusCode,
        (r.body as { errorCode: string }[])[0]?.errorCode
      ]),
      [
        ['sessions', 400, 'PROCESSING_HALTED'],
        ['bad', 400, 'INVALID_FIELD'],
        ['steps', 400, 'PROCESSING_HALTED']
      ]
    );
    assert.equal(
      await count(
        "SELECT Id FROM Scope_AR_Session__c WHERE Scope_Id__c = 'rollback-1'"
      ),
      0
    );
  });

  it('without allOrNone a failure stops only what depends on it', async () => {
    const res = await composite({
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Scope_AR_Session__c`,
          referenceId: 'bad',
          body: { Scope_Id__c: 'partial-1', No_Such_Field__c: 1 }
        },
        {
          method: 'GET',
          url: `${V}/sobjects/Scope_AR_Session__c/@{bad.id}`,
          referenceId: 'dependent'
        },
        sessionUpsert('partial-2')
      ]
    });
    const all = results(res.json);
    assert.deepEqual(
      all.map((r) => [
        r.httpStatusCode,
        (r.body as { errorCode?: string }[])[0]?.errorCode
      ]),
      [
        [400, 'INVALID_FIELD'],
        [400, 'PROCESSING_HALTED'],
        [200, undefined]
      ]
    );
    assert.match(
      (all[1]?.body as { message: string }[])[0]?.message ?? '',
      /No value for bad\.id found in bad/
    );
    assert.equal(
      await count(
        "SELECT Id FROM Scope_AR_Session__c WHERE Scope_Id__c = 'partial-2'"
      ),
      1
    );
  });

  it('a reference to a later or unknown referenceId, or a missing path, fails that subrequest', async () => {
    const res = await composite({
      compositeRequest: [
        {
          method: 'GET',
          url: `${V}/sobjects/Scope_AR_Session__c/@{later.id}`,
          referenceId: 'early'
        },
        { method: 'GET', url: `${V}/limits`, referenceId: 'later' },
        {
          method: 'GET',
          url: `${V}/sobjects/Scope_AR_Session__c/@{later.noSuchPath}`,
          referenceId: 'missing'
        },
        {
          method: 'GET',
          url: `${V}/sobjects/Scope_AR_Session__c/@{nobody.id}`,
          referenceId: 'unknown'
        }
      ]
    });
    assert.deepEqual(
      results(res.json).map((r) => [
        r.referenceId,
        r.httpStatusCode,
        (r.body as { errorCode?: string }[])[0]?.errorCode
      ]),
      [
        ['early', 400, 'PROCESSING_HALTED'],
        ['later', 200, undefined],
        ['missing', 400, 'PROCESSING_HALTED'],
        ['unknown', 400, 'PROCESSING_HALTED']
      ]
    );
  });

  const refused = async (body: unknown, pattern: RegExp, version = V) => {
    const before = await count(
      "SELECT Id FROM Scope_AR_Session__c WHERE Scope_Id__c LIKE 'refused%'"
    );
    const res = await composite(body, version);
    assert.equal(res.status, 400);
    const [error] = res.json as { errorCode: string; message: string }[];
    assert.match(`${error?.errorCode}: ${error?.message}`, pattern);
    assert.equal(
      await count(
        "SELECT Id FROM Scope_AR_Session__c WHERE Scope_Id__c LIKE 'refused%'"
      ),
      before
    );
  };
  const create = (
    referenceId: string,
    url = `${V}/sobjects/Scope_AR_Session__c`,
    method = 'POST'
  ): Sub => ({
    method,
    url,
    referenceId,
    body: { Scope_Id__c: `refused-${referenceId}`, Kind__c: 'Call' }
  });

  it('refuses more than 25 subrequests, and more than 5 query or Collections subrequests, running none', async () => {
    await refused(
      {
        compositeRequest: Array.from({ length: 26 }, (_, i) => create(`s${i}`))
      },
      /^INVALID_INPUT: Limit Exceeded: .* at most 25 subrequests; this one has 26/
    );
    const heavy = [
      ...Array.from({ length: 3 }, (_, i) => ({
        method: 'GET',
        url: `${V}/query?q=SELECT+Id+FROM+User`,
        referenceId: `q${i}`
      })),
      {
        method: 'GET',
        url: `${V}/queryAll?q=SELECT+Id+FROM+User`,
        referenceId: 'qa'
      },
      sessionUpsert('refused-collection'),
      {
        ...stepUpsert('refused-collection', 'refused-step'),
        referenceId: 'more'
      },
      create('plain')
    ];
    await refused(
      { compositeRequest: heavy },
      /^INVALID_INPUT: Limit Exceeded: .* at most 5 query or sObject Collections subrequests; this one has 6/
    );
  });

  it('refuses duplicate or invalid referenceIds, foreign-version urls, unsupported methods and inherited headers', async () => {
    await refused(
      { compositeRequest: [create('twin'), create('twin')] },
      /^INVALID_INPUT: Duplicate referenceId provided: twin/
    );
    for (const id of ['1st', 'with-dash', 'é', '_under', ''])
      await refused(
        { compositeRequest: [create(id)] },
        /^INVALID_INPUT: Provided referenceId/
      );
    await refused(
      {
        compositeRequest: [
          create(
            'oldVersion',
            '/services/data/v60.0/sobjects/Scope_AR_Session__c'
          )
        ]
      },
      /^INVALID_INPUT: The subrequest url/
    );
    await refused(
      { compositeRequest: [create('outside', '/sandbox/records')] },
      /^INVALID_INPUT: The subrequest url/
    );
    await refused(
      { compositeRequest: [create('verb', undefined, 'post')] },
      /^INVALID_INPUT: Invalid HTTP method post/
    );
    await refused(
      { compositeRequest: [create('head', undefined, 'HEAD')] },
      /^INVALID_INPUT: Invalid HTTP method HEAD/
    );
    await refused(
      {
        compositeRequest: [
          { ...create('hdr'), httpHeaders: { Authorization: 'Bearer x' } }
        ]
      },
      /^INVALID_INPUT: The Authorization header/
    );
    await refused({ compositeRequest: 'nope' }, /^JSON_PARSER_ERROR/);
    for (const nested of [
      `${V}/composite`,
      `${V}/composite/batch`,
      `${V}/composite/tree/Scope_AR_Session__c`
    ])
      await refused(
        { compositeRequest: [create('nested', nested)] },
        /^INVALID_INPUT: A composite request cannot contain another composite request/
      );
  });

  it('a relationship that names no external id field fails the whole Collections request', async () => {
    const res = await composite({
      compositeRequest: [
        {
          ...stepUpsert('any', 'bad-rel-1'),
          body: {
            records: [
              {
                attributes: { type: 'Scope_AR_Session_Step__c' },
                Step_Key__c: 'bad-rel-1',
                Scope_AR_Session__r: { Kind__c: 'Call' }
              }
            ]
          }
        }
      ]
    });
    const [answer] = results(res.json);
    assert.equal(answer?.httpStatusCode, 400);
    assert.equal(
      (answer?.body as { errorCode: string }[])[0]?.errorCode,
      'INVALID_FIELD'
    );
  });

  it('subrequests keep the caller’s field-level security and validation', async () => {
    const res = await composite({
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${V}/sobjects/Scope_AR_Session__c/Scope_Id__c/fls-1`,
          referenceId: 'systemField',
          body: { Kind__c: 'Call', CreatedDate: '2020-01-01T00:00:00.000Z' }
        },
        {
          method: 'DELETE',
          url: `${V}/sobjects/Scope_AR_Session__c/@{systemField.id}`,
          referenceId: 'noDelete'
        }
      ]
    });
    const all = results(res.json);
    assert.equal(all[0]?.httpStatusCode, 400);
    assert.equal(
      (all[0]?.body as { errorCode: string }[])[0]?.errorCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE'
    );
    assert.equal(all[1]?.httpStatusCode, 400);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import {
  API_VERSION,
  connect,
  control,
  jwtClaims,
  rejection,
  signJwt,
  startSandbox
} from './helpers.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('OAuth token endpoint', () => {
  let sandbox: SalesforceSandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 0 } });
  });
  after(() => sandbox.close());

  const oauth2 = (
    overrides: { clientId?: string; clientSecret?: string } = {}
  ) =>
    new OAuth2({
      loginUrl: sandbox.url,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      ...overrides
    });

  it('issues a token with the documented response fields for client credentials', async () => {
    const res = await oauth2().requestToken({
      grant_type: 'client_credentials'
    });
    const token = res as unknown as Record<string, string>;
    assert.equal(token.instance_url, sandbox.url);
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.scope, 'api');
    assert.match(token.access_token ?? '', /^00D\w{12}!/);
    assert.match(
      token.id ?? '',
      new RegExp(`^${sandbox.url}/id/00D\\w{15}/005\\w{15}$`)
    );
    assert.match(token.issued_at ?? '', /^\d{13}$/);
    assert.ok(token.signature);
  });

  it('logs jsforce in with client credentials and identifies the integration user', async () => {
    const conn = await connect(sandbox);
    const rows = await conn.query<{ Username: string }>(
      `SELECT Username FROM User WHERE Id = '${conn.userInfo?.id}'`
    );
    assert.equal(rows.records[0]?.Username, 'integration@worklink.sandbox');
  });

  it('rejects a wrong client secret with invalid_client and an unknown client with invalid_client_id', async () => {
    const wrongSecret = await rejection(
      oauth2({ clientSecret: 'nope' }).requestToken({
        grant_type: 'client_credentials'
      })
    );
    assert.equal(wrongSecret.name, 'invalid_client');
    const wrongClient = await rejection(
      oauth2({ clientId: 'nope' }).requestToken({
        grant_type: 'client_credentials'
      })
    );
    assert.equal(wrongClient.name, 'invalid_client_id');
    const res = await fetch(`${sandbox.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion=x'
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported'
    });
  });

  it('accepts a JWT bearer assertion for login.salesforce.com, posted to the login host or My Domain', async () => {
    for (const loginUrl of [sandbox.loginUrl, sandbox.url]) {
      const aud = 'https://login.salesforce.com';
      const conn = new Connection({
        oauth2: { loginUrl, clientId: sandbox.clientId },
        version: API_VERSION
      });
      const userInfo = await conn.authorize({
        grant_type: JWT_GRANT,
        assertion: signJwt(
          jwtClaims(sandbox, { aud }),
          sandbox.jwtPrivateKeyPem
        )
      });
      assert.match(userInfo.id, /^005/);
      assert.equal(conn.instanceUrl, sandbox.url);
      const describe = await conn.describeGlobal();
      assert.ok(
        describe.sobjects.some((s) => s.name === 'Scope_AR_Session__c')
      );
    }
  });

  it('answers invalid_grant (HTTP 400) for a bad signature, audience, expiry or user', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const cases: [string, string, string][] = [
      [
        signJwt(jwtClaims(sandbox), other),
        'invalid_grant',
        'invalid assertion'
      ],
      [
        signJwt(
          jwtClaims(sandbox, { aud: 'https://evil.example' }),
          sandbox.jwtPrivateKeyPem
        ),
        'invalid_grant',
        'audience is invalid'
      ],
      [
        signJwt(
          jwtClaims(sandbox, { exp: Math.floor(Date.now() / 1000) - 10 }),
          sandbox.jwtPrivateKeyPem
        ),
        'invalid_grant',
        'expired authorization code'
      ],
      [
        signJwt(
          jwtClaims(sandbox, { sub: 'nobody@example.com' }),
          sandbox.jwtPrivateKeyPem
        ),
        'invalid_grant',
        "user hasn't approved this consumer"
      ],
      [
        signJwt(
          jwtClaims(sandbox, { iss: 'someone-else' }),
          sandbox.jwtPrivateKeyPem
        ),
        'invalid_client_id',
        'client identifier invalid'
      ],
      ['not-a-jwt', 'invalid_grant', 'invalid assertion']
    ];
    for (const [assertion, error, description] of cases) {
      const res = await fetch(`${sandbox.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: JWT_GRANT,
          assertion
        }).toString()
      });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), {
        error,
        error_description: description
      });
    }
  });

  it('rejects API calls without a valid token with 401 INVALID_SESSION_ID', async () => {
    const conn = new Connection({
      instanceUrl: sandbox.url,
      accessToken: 'bogus',
      version: API_VERSION
    });
    const error = await rejection(conn.query('SELECT Id FROM WorkOrder'));
    assert.equal(error.errorCode, 'INVALID_SESSION_ID');
    assert.equal(error.message, 'Session expired or invalid');
  });

  it('lets jsforce refresh through refreshFn after "expire tokens now"', async () => {
    const first = await connect(sandbox);
    let refreshes = 0;
    const conn = new Connection({
      instanceUrl: sandbox.url,
      accessToken: first.accessToken ?? '',
      version: API_VERSION,
      refreshFn: (_c, callback) => {
        refreshes++;
        connect(sandbox).then(
          (fresh) => callback(null, fresh.accessToken ?? undefined),
          (error: Error) => callback(error)
        );
      }
    });
    await conn.query('SELECT Id FROM WorkOrder LIMIT 1');
    await control(sandbox, 'PUT', '/faults', { expireTokensNow: true });
    const result = await conn.query('SELECT Id FROM WorkOrder LIMIT 1');
    assert.equal(result.records.length, 1);
    assert.equal(refreshes, 1);
    const statuses = (await control(sandbox, 'GET', '/requests')) as {
      path: string;
      status: number;
    }[];
    assert.ok(
      statuses.some((r) => r.status === 401 && r.path.endsWith('/query'))
    );
  });
});

describe('token lifetime', () => {
  it('expires tokens after tokenTtlSeconds with 401 INVALID_SESSION_ID', async () => {
    const sandbox = await startSandbox({ seed: false, tokenTtlSeconds: 0.3 });
    try {
      const conn = await connect(sandbox);
      const token = conn.accessToken ?? '';
      const plain = new Connection({
        instanceUrl: sandbox.url,
        accessToken: token,
        version: API_VERSION
      });
      await plain.query('SELECT Id FROM User');
      const deadline = Date.now() + 5000;
      let error: (Error & { errorCode?: string }) | undefined;
      while (!error && Date.now() < deadline) {
        error = await plain.query('SELECT Id FROM User').then(
          () => undefined,
          (e: Error & { errorCode?: string }) => e
        );
        if (!error) await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(error?.errorCode, 'INVALID_SESSION_ID');
    } finally {
      await sandbox.close();
    }
  });
});

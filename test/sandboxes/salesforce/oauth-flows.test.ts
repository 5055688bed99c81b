import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, OAuth2 } from 'jsforce';
import {
  SANDBOX_ADMIN_USERNAME,
  SANDBOX_PASSWORD,
  SANDBOX_SECURITY_TOKEN,
  SANDBOX_USERNAME
} from '../../../sandboxes/salesforce/index.ts';
import { API_VERSION, control, rejection, startSandbox } from './helpers.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const ORG_ID = '00D8d0000000001EAA';
const REDIRECT_URI = 'http://127.0.0.1:1717/OauthRedirect';

describe('OAuth 2.0 user flows, identity and userinfo', () => {
  let sandbox: SalesforceSandbox;
  before(async () => {
    // An org created before Summer '23, where the username-password flow is still allowed.
    sandbox = await startSandbox({
      seed: { closedWorkOrders: 0 },
      usernamePasswordFlow: true
    });
  });
  after(() => sandbox.close());

  const oauth2 = () =>
    new OAuth2({
      loginUrl: sandbox.url,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      redirectUri: REDIRECT_URI
    });

  /** Web server flow step 1: the sandbox approves at once and redirects with a code. */
  async function authorizationCode(loginHint?: string): Promise<string> {
    const url = new URL(oauth2().getAuthorizationUrl({ state: 'xyz' }));
    if (loginHint) url.searchParams.set('login_hint', loginHint);
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('state'), 'xyz');
    return location.searchParams.get('code') ?? '';
  }

  it('logs jsforce in with the username-password flow when an OAuth client is configured', async () => {
    const conn = new Connection({ oauth2: oauth2(), version: API_VERSION });
    const userInfo = await conn.login(
      SANDBOX_USERNAME,
      SANDBOX_PASSWORD + SANDBOX_SECURITY_TOKEN
    );
    assert.equal(userInfo.organizationId, ORG_ID);
    assert.equal(conn.instanceUrl, sandbox.url);
    const rows = await conn.query<{ Username: string }>(
      `SELECT Username FROM User WHERE Id = '${userInfo.id}'`
    );
    assert.equal(rows.records[0]?.Username, SANDBOX_USERNAME);
  });

  it('answers a bad password with invalid_grant / authentication failure', async () => {
    const error = await rejection(
      oauth2().authenticate(SANDBOX_USERNAME, 'wrong-password')
    );
    assert.equal(error.name, 'invalid_grant');
    assert.equal(error.message, 'authentication failure');
    const wrongSecret = await rejection(
      new OAuth2({
        loginUrl: sandbox.url,
        clientId: sandbox.clientId,
        clientSecret: 'nope'
      }).authenticate(SANDBOX_USERNAME, SANDBOX_PASSWORD)
    );
    assert.equal(wrongSecret.name, 'invalid_client');
  });

  it('runs the web server flow: code → tokens with a refresh token → OAuth2.refreshToken', async () => {
    const conn = new Connection({ oauth2: oauth2(), version: API_VERSION });
    const userInfo = await conn.authorize(
      await authorizationCode(SANDBOX_ADMIN_USERNAME)
    );
    assert.ok(conn.refreshToken);
    const identity = await conn.identity();
    assert.equal(identity.username, SANDBOX_ADMIN_USERNAME);
    assert.equal(identity.user_id, userInfo.id);

    const refreshed = (await oauth2().refreshToken(
      conn.refreshToken ?? ''
    )) as unknown as Record<string, string>;
    assert.notEqual(refreshed.access_token, conn.accessToken);
    assert.equal(refreshed.refresh_token, undefined);
    assert.equal(refreshed.id, `${sandbox.url}/id/${ORG_ID}/${userInfo.id}`);

    const code = await authorizationCode();
    await oauth2().requestToken(code);
    const reused = await rejection(oauth2().requestToken(code));
    assert.equal(reused.name, 'invalid_grant');
    const badRefresh = await rejection(oauth2().refreshToken('nope'));
    assert.equal(badRefresh.name, 'invalid_grant');
    assert.equal(badRefresh.message, 'expired access/refresh token');
  });

  it('refreshes an expired session with the refresh token on its own (jsforce oauthRefreshFn)', async () => {
    const conn = new Connection({ oauth2: oauth2(), version: API_VERSION });
    await conn.authorize(await authorizationCode());
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    const before = conn.accessToken;
    await control(sandbox, 'PUT', '/faults', { expireTokensNow: true });
    const rows = await conn.query('SELECT Id FROM WorkOrder LIMIT 1');
    assert.equal(rows.records.length, 1);
    assert.equal(refreshed, 1);
    assert.notEqual(conn.accessToken, before);
  });

  it('serves the identity URL from the token response (Bearer or oauth_token) and userinfo', async () => {
    const token = (await oauth2().requestToken({
      grant_type: 'client_credentials'
    })) as unknown as Record<string, string>;
    const idUrl = token.id ?? '';
    assert.ok(idUrl.startsWith(`${sandbox.url}/id/${ORG_ID}/005`));
    const byHeader = (await (
      await fetch(idUrl, {
        headers: { authorization: `Bearer ${token.access_token}` }
      })
    ).json()) as Record<string, unknown>;
    assert.equal(byHeader.id, idUrl);
    assert.equal(byHeader.username, SANDBOX_USERNAME);
    assert.equal(byHeader.display_name, 'Integration User');
    assert.equal(byHeader.active, true);
    const urls = byHeader.urls as Record<string, string>;
    assert.equal(urls.rest, `${sandbox.url}/services/data/v{version}/`);
    const byParam = await fetch(
      `${idUrl}?format=json&oauth_token=${encodeURIComponent(token.access_token ?? '')}`
    );
    assert.equal(byParam.status, 200);
    assert.equal(((await byParam.json()) as { id: string }).id, idUrl);
    const bad = await fetch(idUrl, {
      headers: { authorization: 'Bearer nope' }
    });
    assert.equal(bad.status, 403);
    assert.equal(await bad.text(), 'Bad_OAuth_Token');

    const userinfo = (await (
      await fetch(`${sandbox.url}/services/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${token.access_token}` }
      })
    ).json()) as Record<string, unknown>;
    assert.equal(userinfo.sub, idUrl);
    assert.equal(userinfo.preferred_username, SANDBOX_USERNAME);
    assert.equal(userinfo.organization_id, ORG_ID);
    assert.equal(userinfo.user_id, byHeader.user_id);
  });

  it('revokes access tokens, and a refresh token together with its sessions', async () => {
    const conn = new Connection({ oauth2: oauth2(), version: API_VERSION });
    await conn.login(SANDBOX_USERNAME, SANDBOX_PASSWORD);
    const token = conn.accessToken ?? '';
    await conn.logout();
    const plain = () =>
      new Connection({
        instanceUrl: sandbox.url,
        accessToken: token,
        version: API_VERSION
      });
    assert.equal(
      (await rejection(plain().query('SELECT Id FROM User'))).errorCode,
      'INVALID_SESSION_ID'
    );
    // A revoked token is invalid now: 400 invalid_token (documented). jsforce parses this error body as
    // form-encoded, so it reports the JSON answer as ERROR_HTTP_400; the status is what matters.
    const again = await fetch(`${sandbox.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString()
    });
    assert.equal(again.status, 400);
    assert.equal(
      ((await again.json()) as { error: string }).error,
      'invalid_token'
    );
    await assert.rejects(oauth2().revokeToken(token));

    const web = new Connection({ oauth2: oauth2(), version: API_VERSION });
    await web.authorize(await authorizationCode());
    const session = web.accessToken ?? '';
    await oauth2().revokeToken(web.refreshToken ?? '');
    const orphan = new Connection({
      instanceUrl: sandbox.url,
      accessToken: session,
      version: API_VERSION
    });
    assert.equal(
      (await rejection(orphan.query('SELECT Id FROM User'))).errorCode,
      'INVALID_SESSION_ID'
    );
  });
});

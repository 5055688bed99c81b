import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, OAuth2 } from 'jsforce';
import {
  SANDBOX_PASSWORD,
  SANDBOX_USERNAME
} from '../../../sandboxes/salesforce/index.ts';
import {
  API_VERSION,
  jwtClaims,
  rejection,
  signJwt,
  startSandbox
} from './helpers.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SITE_URL = 'https://worklink.my.site.com/partners';

async function jwtLogin(
  sandbox: SalesforceSandbox,
  loginUrl: string,
  aud: string
): Promise<Connection> {
  const conn = new Connection({
    oauth2: { loginUrl, clientId: sandbox.clientId },
    version: API_VERSION
  });
  await conn.authorize({
    grant_type: JWT_GRANT,
    assertion: signJwt(jwtClaims(sandbox, { aud }), sandbox.jwtPrivateKeyPem)
  });
  return conn;
}

describe('login host and My Domain', () => {
  let production: SalesforceSandbox;
  let sandboxOrg: SalesforceSandbox;
  before(async () => {
    production = await startSandbox({
      seed: false,
      experienceSiteUrls: [SITE_URL]
    });
    sandboxOrg = await startSandbox({
      seed: false,
      jwtAudience: 'https://test.salesforce.com'
    });
  });
  after(async () => {
    await production.close();
    await sandboxOrg.close();
  });

  it('serves the login host and the My Domain on separate URLs; the token names My Domain as instance', async () => {
    assert.notEqual(production.loginUrl, production.url);
    const conn = await jwtLogin(
      production,
      production.loginUrl,
      'https://login.salesforce.com'
    );
    assert.equal(conn.instanceUrl, production.url);
    const rows = await conn.query<{ Username: string }>(
      'SELECT Username FROM User'
    );
    assert.ok(rows.records.some((r) => r.Username === SANDBOX_USERNAME));
  });

  it('refuses the My Domain (instance URL) as JWT audience on either host', async () => {
    for (const loginUrl of [production.loginUrl, production.url]) {
      const error = await rejection(
        jwtLogin(production, loginUrl, production.url)
      );
      assert.equal(error.name, 'invalid_grant');
      assert.equal(error.message, 'audience is invalid');
    }
  });

  it("accepts only the org's own login service and its Experience Cloud sites as audience", async () => {
    const wrongService = await rejection(
      jwtLogin(production, production.url, 'https://test.salesforce.com')
    );
    assert.equal(wrongService.message, 'audience is invalid');
    await jwtLogin(production, production.url, SITE_URL);
    await jwtLogin(sandboxOrg, sandboxOrg.url, 'https://test.salesforce.com');
    const productionAudience = await rejection(
      jwtLogin(sandboxOrg, sandboxOrg.url, 'https://login.salesforce.com')
    );
    assert.equal(productionAudience.message, 'audience is invalid');
  });

  it('refuses client credentials on the login host and serves them on My Domain', async () => {
    const oauth2 = (loginUrl: string) =>
      new OAuth2({
        loginUrl,
        clientId: production.clientId,
        clientSecret: production.clientSecret
      });
    const error = await rejection(
      oauth2(production.loginUrl).requestToken({
        grant_type: 'client_credentials'
      })
    );
    assert.equal(error.name, 'invalid_grant');
    assert.equal(error.message, 'request not supported on this domain');
    const token = (await oauth2(production.url).requestToken({
      grant_type: 'client_credentials'
    })) as unknown as { instance_url: string };
    assert.equal(token.instance_url, production.url);
  });

  it('blocks the username-password flow by default, even with the right password', async () => {
    const oauth2 = new OAuth2({
      loginUrl: production.loginUrl,
      clientId: production.clientId,
      clientSecret: production.clientSecret
    });
    const error = await rejection(
      oauth2.authenticate(SANDBOX_USERNAME, SANDBOX_PASSWORD)
    );
    assert.equal(error.name, 'invalid_grant');
    assert.equal(error.message, 'authentication failure');
  });

  it('serves no data API and no controls on the login host', async () => {
    const conn = await jwtLogin(
      production,
      production.loginUrl,
      'https://login.salesforce.com'
    );
    const onLoginHost = new Connection({
      instanceUrl: production.loginUrl,
      accessToken: conn.accessToken ?? '',
      version: API_VERSION
    });
    const error = await rejection(onLoginHost.query('SELECT Id FROM User'));
    assert.equal(error.errorCode, 'NOT_FOUND');
    const controls = await fetch(`${production.loginUrl}/sandbox/stats`);
    assert.equal(controls.status, 404);
  });

  it('refuses an unservable API version at start', async () => {
    await assert.rejects(
      startSandbox({ apiVersion: '69.0' }),
      /serves API versions 31.0 to 68.0/
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../connector/src/config.ts';
import { runDoctor } from '../../../connector/src/runtime/admin-commands.ts';
import { salesforceClientOptions } from '../../../connector/src/runtime/create-processing.ts';
import { createSalesforceAuth } from '../../../connector/src/salesforce/salesforce-auth.ts';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

function configIssues(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.issues;
  }
  return [];
}

describe('Salesforce auth configuration', () => {
  it('derives the JWT audience from the login host, never from the My Domain', () => {
    const audienceFor = (loginUrl: string) =>
      loadConfig({ SF_LOGIN_URL: loginUrl }).salesforce.jwtAudience;
    assert.equal(
      audienceFor('https://login.salesforce.com'),
      'https://login.salesforce.com'
    );
    assert.equal(
      audienceFor('https://acme.my.salesforce.com'),
      'https://login.salesforce.com'
    );
    assert.equal(
      audienceFor('https://test.salesforce.com'),
      'https://test.salesforce.com'
    );
    assert.equal(
      audienceFor('https://acme--uat.sandbox.my.salesforce.com'),
      'https://test.salesforce.com'
    );
    assert.equal(
      loadConfig({
        SF_LOGIN_URL: 'https://acme.my.salesforce.com',
        SF_JWT_AUDIENCE: 'https://acme.my.site.com/partners'
      }).salesforce.jwtAudience,
      'https://acme.my.site.com/partners'
    );
  });

  it('refuses a My Domain as SF_JWT_AUDIENCE, naming the variable', () => {
    const issues = configIssues({
      SF_JWT_AUDIENCE: 'https://acme.my.salesforce.com'
    });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.variable, 'SF_JWT_AUDIENCE');
    assert.match(issues[0]?.message ?? '', /audience is invalid/);
  });

  it('refuses client credentials against login/test.salesforce.com: they need the My Domain', () => {
    for (const host of ['login', 'test']) {
      const issues = configIssues({
        SF_AUTH_FLOW: 'client_credentials',
        SF_LOGIN_URL: `https://${host}.salesforce.com`
      });
      assert.equal(issues[0]?.variable, 'SF_LOGIN_URL');
      assert.match(issues[0]?.message ?? '', /My Domain/);
    }
    assert.deepEqual(
      configIssues({
        SF_AUTH_FLOW: 'client_credentials',
        SF_LOGIN_URL: 'https://acme.my.salesforce.com'
      }),
      []
    );
  });

  it('defaults to API 68.0 and refuses versions below 41.0', () => {
    assert.equal(loadConfig({}).salesforce.apiVersion, '68.0');
    assert.equal(
      loadConfig({ SF_API_VERSION: '41.0' }).salesforce.apiVersion,
      '41.0'
    );
    for (const version of ['40.0', '30.0']) {
      const issues = configIssues({ SF_API_VERSION: version });
      assert.equal(issues[0]?.variable, 'SF_API_VERSION');
      assert.match(issues[0]?.message ?? '', /41\.0 or later/);
    }
  });
});

describe('Salesforce auth against the sandbox', () => {
  let sf: SalesforceSandbox;
  before(async () => {
    sf = await startSalesforceSandbox({ port: 0, seed: false });
  });
  after(() => sf.close());

  it('signs in with JWT posted to the My Domain, with login.salesforce.com as audience', async () => {
    const config = loadConfig({
      SF_LOGIN_URL: sf.url,
      SF_AUTH_FLOW: 'jwt',
      SF_CLIENT_ID: sf.clientId,
      SF_USERNAME: sf.username,
      SF_PRIVATE_KEY: sf.jwtPrivateKeyPem
    });
    const { auth } = salesforceClientOptions(config);
    assert.ok('loginUrl' in auth, 'options, not a ready-made auth');
    const token = await createSalesforceAuth(auth).authenticate();
    assert.equal(token.instanceUrl, sf.url);
  });

  it('refuses a My Domain audience before any request', () => {
    assert.throws(
      () =>
        createSalesforceAuth({
          loginUrl: sf.url,
          flow: 'jwt',
          clientId: sf.clientId,
          username: sf.username,
          privateKeyPem: sf.jwtPrivateKeyPem,
          audience: 'https://acme.my.salesforce.com'
        }),
      /audience is invalid/
    );
  });

  it('doctor explains client credentials refused by the login host', async () => {
    const auth = createSalesforceAuth({
      loginUrl: sf.loginUrl,
      flow: 'client_credentials',
      clientId: sf.clientId,
      clientSecret: sf.clientSecret
    });
    const checks = await runDoctor({
      config: loadConfig({}),
      salesforce: () => auth.authenticate()
    });
    const check = checks.find((c) => c.name === 'salesforce');
    assert.equal(check?.ok, false);
    assert.match(check?.detail ?? '', /request not supported on this domain/);
    assert.match(check?.detail ?? '', /My Domain/);
  });
});

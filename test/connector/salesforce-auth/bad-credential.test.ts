// A wrong Salesforce credential at cold start: events wait for the fix (retry, not dead letter), the
// log says so once per distinct error, /readyz reports it and the token counter shows the refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../connector/src/config.ts';
import { noopProcessingMetrics } from '../../../connector/src/metrics.ts';
import type { ProcessingMetrics } from '../../../connector/src/metrics.ts';
import { createReadiness } from '../../../connector/src/http/readiness.ts';
import { createProcessing } from '../../../connector/src/runtime/create-processing.ts';
import { createSalesforceAuth } from '../../../connector/src/salesforce/salesforce-auth.ts';
import type { SalesforceAuthOptions } from '../../../connector/src/salesforce/salesforce-auth.ts';
import { classifyError } from '../../../connector/src/worker/classify-error.ts';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../../../sandboxes/scope/index.ts';
import type { ScopeSandbox } from '../../../sandboxes/scope/index.ts';

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: object, message: string) => {
    lines.push({ level, message });
  };
  const logger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug')
  };
  return { lines, logger };
}

describe('a wrong Salesforce credential', () => {
  let sf: SalesforceSandbox;
  let scope: ScopeSandbox;
  before(async () => {
    sf = await startSalesforceSandbox({ port: 0, seed: false });
    scope = await startScopeSandbox({
      port: 0,
      clock: { manual: true },
      seed: { historicalSessions: 0, historicalCalls: 0 }
    });
  });
  after(async () => {
    await Promise.all([sf.close(), scope.close()]);
  });

  it('is retried within the retry budget, not dead-lettered', async () => {
    const auth = createSalesforceAuth({
      loginUrl: sf.url,
      flow: 'client_credentials',
      clientId: sf.clientId,
      clientSecret: 'rotated-away'
    });
    const error = await auth.authenticate().catch((e: unknown) => e);
    const classification = classifyError(error);
    assert.equal(classification.kind, 'retry');
    assert.match(classification.reason, /invalid_client/);
    const jwt = createSalesforceAuth({
      loginUrl: sf.url,
      flow: 'jwt',
      clientId: sf.clientId,
      username: 'nobody@worklink.sandbox',
      privateKeyPem: sf.jwtPrivateKeyPem
    });
    const grant = await jwt.authenticate().catch((e: unknown) => e);
    assert.equal(classifyError(grant).kind, 'retry');
    assert.match(classifyError(grant).reason, /invalid_grant/);
  });

  it('is logged at error level once per distinct error, and its recovery once', async () => {
    const { lines, logger } = recordingLogger();
    const options: SalesforceAuthOptions = {
      loginUrl: sf.url,
      flow: 'client_credentials',
      clientId: sf.clientId,
      clientSecret: 'rotated-away',
      logger
    };
    const auth = createSalesforceAuth(options);
    for (let i = 0; i < 5; i++)
      await auth.authenticate().catch(() => undefined);
    assert.equal(lines.filter((l) => l.level === 'error').length, 1);
    assert.match(lines[0]?.message ?? '', /invalid_client/);
    assert.match(lines[0]?.message ?? '', /retried/);
    options.clientSecret = sf.clientSecret; // the admin fixes the secret
    await auth.authenticate();
    await auth.authenticate();
    assert.deepEqual(
      lines.map((l) => l.level),
      ['error', 'info']
    );
  });

  it('makes /readyz not ready with the reason, and counts the refused token requests', async () => {
    const tokenStatuses: (number | 'network')[] = [];
    const config = loadConfig({
      SCOPE_BASE_URL: scope.url,
      SCOPE_API_TOKEN: 'sandbox-company-token',
      SCOPE_PERMALINK: 'sandbox',
      SF_LOGIN_URL: sf.url,
      SF_AUTH_FLOW: 'client_credentials',
      SF_CLIENT_ID: sf.clientId,
      SF_CLIENT_SECRET: 'rotated-away'
    });
    const metrics: ProcessingMetrics = {
      ...noopProcessingMetrics,
      apiCall: (_system, operation, status) => {
        if (operation === 'token') tokenStatuses.push(status);
      }
    };
    const processing = createProcessing(config, { metrics });
    const readiness = createReadiness(
      { salesforce: processing.pingSalesforce },
      { cacheMs: 0 }
    );
    const report = await readiness.check();
    assert.equal(report.ready, false);
    assert.match(report.checks.salesforce?.error ?? '', /invalid_client/);
    assert.deepEqual(tokenStatuses, [400]);
  });
});

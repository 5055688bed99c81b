import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../connector/src/config.ts';

const variablesOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.issues.map((i) => i.variable);
  }
  return [];
};

describe('loadConfig', () => {
  it('applies the agreed defaults', () => {
    const config = loadConfig({});
    assert.equal(config.http.host, '127.0.0.1');
    assert.equal(config.http.port, 8080);
    assert.equal(config.database.url, undefined);
    assert.equal(config.database.dataDir, '.data/postgres');
    assert.equal(config.database.embeddedPort, 5433);
    assert.equal(config.webhook.encoding, 'base64');
    assert.equal(config.webhook.mode, 'enforce');
    assert.equal(config.webhook.allowUnsigned, false);
    assert.equal(config.webhook.bodyLimitBytes, 1024 * 1024);
    assert.equal(config.scope.fetchBatchSize, 50);
    assert.equal(config.salesforce.apiVersion, '68.0');
    assert.deepEqual(config.mapping.workOrderIdKeys, ['work_order_id']);
    assert.equal(config.worker.batchSize, 200);
    assert.equal(config.worker.rollupIntervalSeconds, 30);
  });
  it('takes ROLLUP_INTERVAL_SECONDS from 0 (per batch) to an hour, nothing else', () => {
    assert.equal(
      loadConfig({ ROLLUP_INTERVAL_SECONDS: '0' }).worker.rollupIntervalSeconds,
      0
    );
    assert.equal(
      loadConfig({ ROLLUP_INTERVAL_SECONDS: '2.5' }).worker
        .rollupIntervalSeconds,
      2.5
    );
    for (const bad of ['-1', '3601', 'soon'])
      assert.deepEqual(variablesOf({ ROLLUP_INTERVAL_SECONDS: bad }), [
        'ROLLUP_INTERVAL_SECONDS'
      ]);
  });
  it('parses lists and booleans', () => {
    const config = loadConfig({
      WEBHOOK_SECRETS: 'first-secret-1, second-secret-2',
      WEBHOOK_ALLOW_UNSIGNED: 'true',
      WORK_ORDER_ID_KEYS: 'wo,work_order_id'
    });
    assert.deepEqual(config.webhook.secrets, [
      'first-secret-1',
      'second-secret-2'
    ]);
    assert.equal(config.webhook.allowUnsigned, true);
    assert.deepEqual(config.mapping.workOrderIdKeys, ['wo', 'work_order_id']);
  });
  it('names every bad variable in the error', () => {
    assert.deepEqual(variablesOf({ PORT: 'eighty' }), ['PORT']);
    assert.deepEqual(variablesOf({ WEBHOOK_SIGNATURE_ENCODING: 'base32' }), [
      'WEBHOOK_SIGNATURE_ENCODING'
    ]);
    const secretIssues = variablesOf({ WEBHOOK_SECRETS: 'a,b,c' });
    assert.ok(
      secretIssues.length > 0 &&
        secretIssues.every((v) => v === 'WEBHOOK_SECRETS')
    );
    assert.deepEqual(variablesOf({ DATABASE_URL: 'not a url' }), [
      'DATABASE_URL'
    ]);
    assert.deepEqual(variablesOf({ SCOPE_EMAIL: 'a@b.c' }), ['SCOPE_PASSWORD']);
    assert.deepEqual(variablesOf({ WEBHOOK_PATH_TOKEN: 'short' }), [
      'WEBHOOK_PATH_TOKEN'
    ]);
    assert.deepEqual(
      variablesOf({ SF_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }),
      ['SF_PRIVATE_KEY_FILE']
    );
    const error = (() => {
      try {
        loadConfig({ EMBEDDED_PG_PORT: '70000' });
      } catch (e) {
        return e as Error;
      }
    })();
    assert.match(error?.message ?? '', /EMBEDDED_PG_PORT/);
  });
});

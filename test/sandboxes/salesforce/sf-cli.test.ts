import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { connect, startSandbox } from './helpers.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const run = promisify(execFile);
const SF_BIN = resolve('node_modules/@salesforce/cli/bin/run.js');
const ALIAS = 'worklink-sandbox';

interface CliResult<T> {
  status: number;
  result: T;
}

/**
 * The real `sf` CLI (pinned 2.146.3) pointed at the sandbox. It writes ~/.sf, so HOME is a temp dir;
 * telemetry, auto-update and the npm version check are off, so it talks to 127.0.0.1 only.
 */
describe('the sf CLI as a client of the sandbox', () => {
  let sandbox: SalesforceSandbox;
  let home: string;
  let env: NodeJS.ProcessEnv;

  async function sf<T>(
    args: string[],
    extraEnv: NodeJS.ProcessEnv = {}
  ): Promise<CliResult<T>> {
    const { stdout } = await run(
      process.execPath,
      [SF_BIN, ...args, '--json'],
      {
        env: { ...env, ...extraEnv },
        cwd: home,
        timeout: 90_000
      }
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return JSON.parse(stdout) as CliResult<T>;
  }

  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 0 } });
    home = mkdtempSync(join(tmpdir(), 'sf-cli-home-'));
    env = {
      PATH: process.env.PATH,
      HOME: home,
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_HIDE_RELEASE_NOTES: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_NPM_REGISTRY: 'http://127.0.0.1:9/'
    };
  });
  after(async () => {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('logs in with an access token, queries with a parent field and creates a record', async () => {
    const token = (await connect(sandbox)).accessToken ?? '';
    const login = await sf<{ username: string; orgId: string }>(
      [
        'org',
        'login',
        'access-token',
        '--instance-url',
        sandbox.url,
        '--no-prompt',
        '--alias',
        ALIAS
      ],
      { SF_ACCESS_TOKEN: token }
    );
    assert.equal(login.status, 0, JSON.stringify(login));
    assert.equal(login.result.username, 'integration@worklink.sandbox');
    assert.equal(login.result.orgId, '00D8d0000000001EAA');

    const query = await sf<{
      totalSize: number;
      records: {
        Id: string;
        WorkOrderNumber: string;
        Asset: { Name: string };
      }[];
    }>([
      'data',
      'query',
      '--query',
      "SELECT Id, WorkOrderNumber, Asset.Name FROM WorkOrder WHERE WorkOrderNumber = '00000101'",
      '--target-org',
      ALIAS
    ]);
    assert.equal(query.status, 0, JSON.stringify(query));
    assert.equal(query.result.totalSize, 1);
    assert.equal(query.result.records[0]?.WorkOrderNumber, '00000101');
    assert.equal(query.result.records[0]?.Asset.Name, 'Centrifugal Pump P-100');

    const created = await sf<{ id: string; success: boolean }>([
      'data',
      'create',
      'record',
      '--sobject',
      'Scope_AR_Session__c',
      '--values',
      "Scope_Id__c=sf-cli-1 Kind__c='Scenario Session'",
      '--target-org',
      ALIAS
    ]);
    assert.equal(created.status, 0, JSON.stringify(created));
    const row = sandbox.state.store.get(
      'Scope_AR_Session__c',
      created.result.id
    );
    assert.equal(row?.Scope_Id__c, 'sf-cli-1');
    assert.equal(row?.Kind__c, 'Scenario Session');

    // Every call reached the sandbox; the CLI never checked npm for a newer version.
    const paths = sandbox.state.log.map((r) => r.path);
    assert.ok(paths.includes('/services/oauth2/userinfo'));
    assert.equal(existsSync(join(home, '.cache', 'sf', 'version')), false);
  });
});

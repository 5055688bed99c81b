// The App Extension recipe: every LaunchValue fits Salesforce's 255 characters, keeps its {!$Field}
// tokens literal (Field Service fills them), uses the launcher's external-data keys, and the script
// refuses what would not fit or not work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  JOB_KEYS,
  LAUNCH_VALUE_LIMIT,
  appExtensionValues,
  checkInput
} from '../../scripts/app-extension/app-extension-values.ts';
import { REPO_ROOT } from '../support/replicas/replica-process.ts';

const DANA = 'worklink://resource?action=fetch_user&user=501';
const DEFERRED = 'https://getworklink.com/deferred';

function runScript(...args: string[]) {
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'scripts/print-app-extension.ts'),
      ...args
    ],
    { encoding: 'utf8' }
  );
}

/** What a LaunchValue becomes once Field Service has put the record's values in. */
function filled(launchValue: string, record: Record<string, string>): string {
  return launchValue.replace(
    /\{!\$([A-Za-z0-9_]+)\}/g,
    (_m, f: string) => record[f] ?? ''
  );
}

describe('App Extension values', () => {
  it('fit 255 characters with the longest recipe: Launch, a deferred page and a long field name', () => {
    const values = appExtensionValues({
      expertLink: DANA,
      workOrderAssetField: 'WorkLink_Scope_Asset_Id__c',
      deferredBase: DEFERRED
    });
    assert.deepEqual(
      values.map((v) => [v.AppExtensionName, v.ScopedToObjectTypes]),
      [
        ['WorkLink_Launch_Work_Order', 'WorkOrder'],
        ['WorkLink_Call_Work_Order', 'WorkOrder'],
        ['WorkLink_Call_Appointment', 'ServiceAppointment']
      ]
    );
    for (const v of values) {
      assert.ok(
        v.LaunchValue.length <= LAUNCH_VALUE_LIMIT,
        `${v.AppExtensionName}: ${v.LaunchValue.length} characters`
      );
      assert.equal(v.fits, true);
    }
  });

  it('carry the launcher keys as tokens of the record on screen', () => {
    const [launch, callWo, callSa] = appExtensionValues({
      expertLink: DANA,
      workOrderAssetField: 'WorkLink_Asset_Id__c'
    });
    const workOrder = {
      Id: '0WO5g0000000101GAA',
      WorkOrderNumber: '00000101',
      CaseId: '5005g0000001001AAA',
      WorkLink_Asset_Id__c: 'PUMP-100'
    };
    assert.equal(
      filled(String(launch?.LaunchValue), workOrder),
      'worklink://resource?action=fetch_catalog&asset=PUMP-100&work_order_id=0WO5g0000000101GAA' +
        '&work_order_number=00000101&case_id=5005g0000001001AAA'
    );
    assert.equal(
      filled(String(callWo?.LaunchValue), workOrder),
      `${DANA}&work_order_id=0WO5g0000000101GAA&work_order_number=00000101&case_id=5005g0000001001AAA`
    );
    assert.equal(
      filled(String(callSa?.LaunchValue), {
        Id: '08p5g0000000301AAA',
        ParentRecordId: '1WL5g0000000201AAA'
      }),
      `${DANA}&service_appointment_id=08p5g0000000301AAA&work_order_id=1WL5g0000000201AAA` +
        '&work_order_line_item_id=1WL5g0000000201AAA'
    );
  });

  it('encode the inner link for the deferred page but leave the tokens for Field Service', () => {
    const [call] = appExtensionValues({
      expertLink: DANA,
      deferredBase: DEFERRED
    });
    const value = String(call?.LaunchValue);
    assert.ok(
      value.startsWith(`${DEFERRED}?deep_link=worklink%3A%2F%2Fresource%3F`)
    );
    assert.ok(value.includes('{!$Id}'));
    const deepLink = new URL(
      filled(value, {
        Id: '0WO5g0000000101GAA',
        WorkOrderNumber: '1',
        CaseId: ''
      })
    ).searchParams.get('deep_link');
    assert.equal(
      deepLink,
      `${DANA}&work_order_id=0WO5g0000000101GAA&work_order_number=1&case_id=`
    );
  });

  it('use the same keys as the launcher', async () => {
    const lwc = (await import(
      pathToFileURL(
        join(
          REPO_ROOT,
          'force-app/main/default/lwc/worklinkDeeplinks/worklinkDeeplinks.js'
        )
      ).href
    )) as { DEFAULT_KEYS: Record<string, string> };
    assert.deepEqual({ ...lwc.DEFAULT_KEYS }, JOB_KEYS);
  });

  it('refuse links and fields that cannot work', () => {
    assert.deepEqual(checkInput({ expertLink: DANA }), []);
    assert.equal(checkInput({ expertLink: 'javascript:alert(1)' }).length, 1);
    assert.equal(
      checkInput({
        expertLink: DANA,
        workOrderAssetField: 'Asset.Scope_Asset_Id__c'
      }).length,
      1
    );
    assert.equal(
      checkInput({ expertLink: DANA, deferredBase: 'http://x' }).length,
      1
    );
  });
});

describe('npm run app-extension', () => {
  it('prints each value with its length', () => {
    const run = runScript(
      '--expert-link',
      DANA,
      '--asset-field',
      'WorkLink_Asset_Id__c'
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /Launch Value \(\d+\/255\): worklink:\/\/resource\?action=fetch_catalog&asset=\{!\$WorkLink_Asset_Id__c\}/
    );
    assert.match(run.stdout, /Scoped To Object Types: ServiceAppointment/);
  });

  it('fails when a value is longer than 255 characters', () => {
    const run = runScript('--expert-link', `${DANA}&note=${'x'.repeat(200)}`);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /exceed 255 characters/);
  });

  it('fails without an expert link', () => {
    const run = runScript();
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--expert-link/);
  });
});

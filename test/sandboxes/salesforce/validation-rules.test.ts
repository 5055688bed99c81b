import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, rejection, startSandbox } from './helpers.ts';
import { copyMetadata } from './metadata-fixture.ts';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const SESSION = 'Scope_AR_Session__c';

const ruleXml = (rule: {
  name: string;
  active?: boolean;
  formula: string;
  message: string;
  field?: string;
}) => `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${rule.name}</fullName>
    <active>${rule.active ?? true}</active>
    <errorConditionFormula>${rule.formula
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')}</errorConditionFormula>
${rule.field ? `    <errorDisplayField>${rule.field}</errorDisplayField>\n` : ''}    <errorMessage>${rule.message}</errorMessage>
</ValidationRule>
`;

function withRules(rules: Parameters<typeof ruleXml>[0][]) {
  const metadata = copyMetadata();
  metadata.writePermissionSet();
  const dir = join(metadata.dir, 'objects', SESSION, 'validationRules');
  mkdirSync(dir, { recursive: true });
  for (const rule of rules)
    writeFileSync(
      join(dir, `${rule.name}.validationRule-meta.xml`),
      ruleXml(rule)
    );
  return metadata;
}

describe('validation rules', () => {
  const metadata = withRules([
    {
      name: 'Ended_After_Started',
      formula:
        'AND(NOT(ISBLANK(Ended_At__c)), NOT(ISBLANK(Started_At__c)), Ended_At__c < Started_At__c)',
      message: 'A session cannot end before it starts.',
      field: 'Ended_At__c'
    },
    {
      name: 'Steps_Within_Possible',
      formula:
        'Steps_Viewed__c > Steps_Possible__c && ISPICKVAL(Kind__c, "Scenario Session")',
      message: 'More steps viewed than the scenario has.'
    },
    {
      name: 'Scenario_Name_Short',
      formula: 'OR(LEN(Scenario_Name__c) > 20, Scenario_Name__c = "forbidden")',
      message: 'Scenario name too long.',
      field: 'Scenario_Name__c'
    },
    {
      name: 'Inactive_Rule',
      active: false,
      formula: 'TRUE',
      message: 'never shown'
    }
  ]);
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  before(async () => {
    sandbox = await startSandbox({
      metadataDir: metadata.dir,
      seed: { closedWorkOrders: 0 }
    });
    conn = await connect(sandbox);
  });
  after(async () => {
    await sandbox.close();
    metadata.cleanup();
  });

  it('answers FIELD_CUSTOM_VALIDATION_EXCEPTION with the message and errorDisplayField', async () => {
    const error = await rejection(
      conn.sobject(SESSION).create({
        Scope_Id__c: 'vr-1',
        Started_At__c: '2026-12-01T10:00:00.000Z',
        Ended_At__c: '2026-12-01T09:00:00.000Z'
      })
    );
    assert.equal(error.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    assert.equal(error.message, 'A session cannot end before it starts.');
    assert.deepEqual((error.data as { fields: string[] }).fields, [
      'Ended_At__c'
    ]);
  });

  it('reports every broken rule of a record in a Collections result, without a display field as []', async () => {
    const results = (await conn.sobject(SESSION).create(
      [
        {
          Scope_Id__c: 'vr-2',
          Kind__c: 'Scenario Session',
          Steps_Viewed__c: 9,
          Steps_Possible__c: 5,
          Scenario_Name__c: 'forbidden'
        },
        {
          Scope_Id__c: 'vr-3',
          Kind__c: 'Call',
          Steps_Viewed__c: 9,
          Steps_Possible__c: 5,
          Scenario_Name__c: 'Pump start-up'
        }
      ],
      { allOrNone: false }
    )) as {
      success: boolean;
      errors: { statusCode: string; message: string; fields: string[] }[];
    }[];
    assert.deepEqual(
      results[0]?.errors.map((e) => [e.statusCode, e.message, e.fields]),
      [
        [
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          'Scenario name too long.',
          ['Scenario_Name__c']
        ],
        [
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          'More steps viewed than the scenario has.',
          []
        ]
      ]
    );
    assert.equal(results[1]?.success, true, 'the rule needs ISPICKVAL to hold');
  });

  it('evaluates updates on the record as it would be saved', async () => {
    const created = await conn.sobject(SESSION).create({
      Scope_Id__c: 'vr-4',
      Started_At__c: '2026-12-01T10:00:00.000Z'
    });
    const error = await rejection(
      conn.sobject(SESSION).update({
        Id: created.id ?? '',
        Ended_At__c: '2026-12-01T08:00:00.000Z'
      })
    );
    assert.equal(error.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
  });
});

describe('validation rules outside the supported formula subset', () => {
  for (const [formula, reason] of [
    ['ISCHANGED(State__c)', /function ISCHANGED is not supported/],
    ['Work_Order__r.Subject = "x"', /cross-object/],
    ['Kind__c = "Call"', /picklist fields are only supported/],
    ['Steps_Viewed__c ^ 2 > 3', /unsupported character '\^'/]
  ] as const) {
    it(`refuses to start on ${formula}, naming the rule`, async () => {
      const metadata = withRules([
        { name: 'Unsupported_Rule', formula, message: 'x' }
      ]);
      try {
        await assert.rejects(
          startSandbox({ metadataDir: metadata.dir, seed: false }),
          (error: Error) => {
            assert.match(
              error.message,
              /Validation rule Scope_AR_Session__c\.Unsupported_Rule/
            );
            assert.match(error.message, reason);
            return true;
          }
        );
      } finally {
        metadata.cleanup();
      }
    });
  }
});

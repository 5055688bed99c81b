import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCustomLabels } from '../../demo/preview-build/custom-labels.ts';
import {
  schemaModule,
  createSalesforceModulesPlugin
} from '../../demo/preview-build/salesforce-modules-plugin.ts';
import {
  QUICK_ACTIONS_DIR,
  componentsEntrySource,
  tagNameOf
} from '../../demo/preview-build/build-preview.ts';
import { readQuickActions } from '../../demo/preview-build/quick-actions.ts';
import { parsePrometheusText, sumSamples } from '../../demo/prometheus-text.ts';

const LABELS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CustomLabels xmlns="http://soap.sforce.com/2006/04/metadata">
    <labels>
        <fullName>WorkLink_Launch</fullName>
        <language>en_US</language>
        <protected>false</protected>
        <shortDescription>Launch button</shortDescription>
        <value>Launch in WorkLink</value>
    </labels>
    <labels>
        <fullName>WorkLink_Count</fullName>
        <language>en_US</language>
        <protected>false</protected>
        <shortDescription>A number-looking label</shortDescription>
        <value>007</value>
    </labels>
</CustomLabels>`;

test('Custom Labels are read by full name, values kept as text', () => {
  const labels = parseCustomLabels(LABELS_XML);
  assert.equal(labels.get('WorkLink_Launch'), 'Launch in WorkLink');
  assert.equal(labels.get('WorkLink_Count'), '007');
  assert.equal(labels.size, 2);
});

test('a single label is still a list', () => {
  const one = LABELS_XML.replace(
    /<labels>\s*<fullName>WorkLink_Count[\s\S]*?<\/labels>/,
    ''
  );
  assert.deepEqual([...parseCustomLabels(one).keys()], ['WorkLink_Launch']);
});

test('@salesforce/schema imports become the platform FieldId / ObjectId objects', () => {
  assert.equal(
    schemaModule('WorkOrder.Asset.Scope_Asset_Id__c'),
    'export default {"objectApiName":"WorkOrder","fieldApiName":"Asset.Scope_Asset_Id__c"};'
  );
  assert.equal(
    schemaModule('WorkOrder'),
    'export default {"objectApiName":"WorkOrder"};'
  );
});

test('the modules plugin resolves platform imports to stand-ins and labels to their values', async () => {
  const plugin = createSalesforceModulesPlugin({
    labels: new Map([['WorkLink_Launch', 'Launch in WorkLink']]),
    uiRecordApiPath: '/stand-ins/uiRecordApi.js',
    uiGraphQLApiPath: '/stand-ins/uiGraphQLApi.js',
    formFactorPath: '/stand-ins/formFactor.js'
  });
  const resolveId = plugin.resolveId as (source: string) => string | null;
  const load = plugin.load as (
    this: { warn(message: string): void },
    id: string
  ) => string | null;
  assert.equal(resolveId('lightning/uiRecordApi'), '/stand-ins/uiRecordApi.js');
  assert.equal(
    resolveId('lightning/uiGraphQLApi'),
    '/stand-ins/uiGraphQLApi.js'
  );
  assert.equal(
    resolveId('@salesforce/client/formFactor'),
    '/stand-ins/formFactor.js'
  );
  assert.equal(resolveId('lightning/button'), null);
  const warnings: string[] = [];
  const context = { warn: (message: string) => warnings.push(message) };
  const labelId = resolveId('@salesforce/label/c.WorkLink_Launch');
  assert.ok(labelId);
  assert.equal(
    load.call(context, labelId),
    'export default "Launch in WorkLink";'
  );
  const missing = resolveId('@salesforce/label/c.Nope');
  assert.ok(missing);
  assert.equal(load.call(context, missing), 'export default "c.Nope";');
  assert.match(warnings[0] ?? '', /c\.Nope/);
});

test('component names map to the element names the platform uses', () => {
  assert.equal(tagNameOf('worklinkLauncher'), 'c-worklink-launcher');
});

test('Prometheus text samples are summed by name and labels', () => {
  const samples = parsePrometheusText(
    [
      '# HELP worklink_deliveries_total Webhook deliveries by outcome',
      '# TYPE worklink_deliveries_total counter',
      'worklink_deliveries_total{outcome="accepted"} 7',
      'worklink_deliveries_total{outcome="duplicate"} 2',
      'worklink_dead_letters_total 1',
      'worklink_api_calls_total{system="salesforce",operation="upsert",status="200"} 3',
      'worklink_api_calls_total{system="scope",operation="node",status="200"} 4'
    ].join('\n')
  );
  assert.equal(sumSamples(samples, 'worklink_deliveries_total'), 9);
  assert.equal(
    sumSamples(samples, 'worklink_deliveries_total', { outcome: 'accepted' }),
    7
  );
  assert.equal(
    sumSamples(samples, 'worklink_api_calls_total', { system: 'salesforce' }),
    3
  );
  assert.equal(sumSamples(samples, 'worklink_dead_letters_total'), 1);
  assert.equal(sumSamples(samples, 'absent_total'), 0);
});

test("the package's LWC quick actions decide which component each record page shows", () => {
  const actions = readQuickActions(QUICK_ACTIONS_DIR);
  assert.deepEqual(
    actions.map((action) => [
      action.objectApiName,
      action.componentName,
      action.label
    ]),
    [
      ['Case', 'worklinkCaseLauncher', 'WorkLink'],
      ['ServiceAppointment', 'worklinkAppointmentLauncher', 'WorkLink'],
      ['WorkOrder', 'worklinkLauncher', 'WorkLink'],
      ['WorkOrderLineItem', 'worklinkLineItemLauncher', 'WorkLink']
    ]
  );
  const source = componentsEntrySource(actions);
  assert.match(
    source,
    /import component1 from 'c\/worklinkAppointmentLauncher';/
  );
  assert.match(
    source,
    /"ServiceAppointment": \{ component: component1, tagName: "c-worklink-appointment-launcher", actionLabel: "WorkLink" \}/
  );
});

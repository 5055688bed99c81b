import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONNECTOR_WRITTEN_SESSION_FIELDS } from '../../scripts/metadata/connector-fields.ts';
import { validateProject } from '../../scripts/metadata/validate-project.ts';
import {
  assertEditRejected,
  assertProblem,
  copyProject,
  DEFAULT,
  edit,
  problemsOf,
  REPO
} from './helpers.ts';

describe('validate-metadata', () => {
  it('accepts the package as committed and converts every component type', async () => {
    const report = await validateProject({ projectRoot: REPO });
    assert.deepEqual(report.problems, []);
    for (const type of [
      'CustomObject',
      'PermissionSet',
      'Layout',
      'FlexiPage',
      'QuickAction',
      'LightningComponentBundle',
      'CustomLabels',
      'CustomTab',
      'CustomApplication',
      'ExternalClientApplication',
      'ExtlClntAppOauthSettings',
      'ExtlClntAppConfigurablePolicies',
      'ExtlClntAppOauthConfigurablePolicies'
    ]) {
      assert.ok((report.components[type] ?? 0) > 0, `no ${type} converted`);
    }
  });

  it('rejects a permission set naming a field that does not exist', async () => {
    await assertEditRejected(
      'permissionsets/WorkLink_User.permissionset-meta.xml',
      (t) =>
        t.replace(
          '<field>Scope_AR_Session__c.State__c</field>',
          '<field>Scope_AR_Session__c.Stat__c</field>'
        ),
      /Scope_AR_Session__c\.Stat__c does not exist/
    );
  });

  it('rejects malformed XML and names the line', async () => {
    await assertEditRejected(
      'tabs/Scope_AR_Session__c.tab-meta.xml',
      (t) => t.replace('</motif>', '</motf>'),
      /malformed XML at line \d+/
    );
  });

  it('rejects an integration permission set that cannot edit a field the connector writes', async () => {
    await assertEditRejected(
      'permissionsets/WorkLink_Integration.permissionset-meta.xml',
      (t) =>
        t.replace(
          /<editable>true<\/editable>(\s*<field>Scope_AR_Session__c\.Percent_Steps_Viewed__c<\/field>)/,
          '<editable>false</editable>$1'
        ),
      /does not grant edit on Scope_AR_Session__c\.Percent_Steps_Viewed__c/
    );
  });

  it('rejects an integration permission set that can delete sessions', async () => {
    await assertEditRejected(
      'permissionsets/WorkLink_Integration.permissionset-meta.xml',
      (t) =>
        t.replace(
          /(<allowCreate>true<\/allowCreate>\s*)<allowDelete>false<\/allowDelete>/,
          '$1<allowDelete>true</allowDelete>'
        ),
      /more than the connector needs on Scope_AR_Session__c: allowDelete/
    );
  });

  it('rejects an integration permission set without edit on a rollup field the connector writes', async () => {
    await assertEditRejected(
      'permissionsets/WorkLink_Integration.permissionset-meta.xml',
      (t) =>
        t.replace(
          /<editable>true<\/editable>(\s*<field>WorkOrder\.WorkLink_AR_Minutes__c<\/field>)/,
          '<editable>false</editable>$1'
        ),
      /does not grant edit on WorkOrder\.WorkLink_AR_Minutes__c, which the connector writes/
    );
  });

  it('rejects an integration permission set that can create the work orders it only updates', async () => {
    await assertEditRejected(
      'permissionsets/WorkLink_Integration.permissionset-meta.xml',
      (t) =>
        t.replace(
          /<allowCreate>false<\/allowCreate>(\s*<allowDelete>false<\/allowDelete>\s*<allowEdit>true<\/allowEdit>\s*<allowRead>true<\/allowRead>\s*<modifyAllRecords>false<\/modifyAllRecords>\s*<object>WorkOrder<\/object>)/,
          '<allowCreate>true</allowCreate>$1'
        ),
      /grants create on WorkOrder; the connector only updates it/
    );
  });

  it('rejects field permissions on a required field', async () => {
    await assertEditRejected(
      'permissionsets/WorkLink_Admin.permissionset-meta.xml',
      (t) =>
        t.replace(
          '<hasActivationRequired>',
          '<fieldPermissions><editable>true</editable><field>Scope_AR_Session__c.Scope_Id__c</field><readable>true</readable></fieldPermissions>\n    <hasActivationRequired>'
        ),
      /required field Scope_AR_Session__c\.Scope_Id__c/,
      'fls-required'
    );
  });

  it('rejects a layout that leaves out a required field', async () => {
    await assertEditRejected(
      'layouts/Scope_AR_Session__c-Scope AR Session Layout.layout-meta.xml',
      (t) =>
        t.replace(
          /<layoutItems>\s*<behavior>Required<\/behavior>\s*<field>Scope_Id__c<\/field>\s*<\/layoutItems>/,
          ''
        ),
      /required field Scope_AR_Session__c\.Scope_Id__c is not on the layout/
    );
  });

  it('rejects a list view, flexipage and LWC that name missing things', async () => {
    const root = copyProject();
    edit(
      root,
      'objects/Scope_AR_Session__c/listViews/Unmatched.listView-meta.xml',
      (t) =>
        t.replace('<field>Link_Status__c</field>', '<field>Link__c</field>')
    );
    edit(
      root,
      'flexipages/WorkOrder_WorkLink_Record_Page.flexipage-meta.xml',
      (t) =>
        t.replace(
          '<value>Scope_AR_Sessions__r</value>',
          '<value>Sessions__r</value>'
        )
    );
    edit(root, 'lwc/worklinkLauncher/worklinkLauncher.js', (t) =>
      t.replace('WorkOrder.WorkLink_Expert__r.Name', 'WorkOrder.Expert__r.Name')
    );
    edit(root, 'labels/CustomLabels.labels-meta.xml', (t) =>
      t.replace(
        '<fullName>WorkLink_Opens_App</fullName>',
        '<fullName>WorkLink_Opens</fullName>'
      )
    );
    const problems = await problemsOf(root);
    assertProblem(
      problems,
      `${DEFAULT}/objects/Scope_AR_Session__c/listViews/Unmatched.listView-meta.xml`,
      /Scope_AR_Session__c\.Link__c does not exist/
    );
    assertProblem(
      problems,
      `${DEFAULT}/flexipages/WorkOrder_WorkLink_Record_Page.flexipage-meta.xml`,
      /Sessions__r: no lookup to WorkOrder/
    );
    assertProblem(
      problems,
      `${DEFAULT}/lwc/worklinkLauncher/worklinkLauncher.js`,
      /relationship WorkOrder\.Expert__r does not exist/
    );
    assertProblem(
      problems,
      `${DEFAULT}/lwc/worklinkLauncher/worklinkLauncher.js`,
      /no custom label WorkLink_Opens_App/
    );
  });

  it('rejects label text that a formatter wrapped onto several lines', async () => {
    await assertEditRejected(
      'labels/CustomLabels.labels-meta.xml',
      (t) =>
        t.replace(
          '<value>Call expert</value>',
          '<value>Call\n      expert</value>'
        ),
      /<value> contains a line break/
    );
  });

  it('rejects a quick action pointing at a missing component', async () => {
    await assertEditRejected(
      'quickActions/WorkOrder.WorkLink.quickAction-meta.xml',
      (t) =>
        t.replace(
          '<lightningWebComponent>worklinkLauncher<',
          '<lightningWebComponent>worklinkLaunch<'
        ),
      /no LWC of that name/
    );
  });

  it('names every session field but Name as written by the connector', () => {
    const fieldsDir = join(REPO, DEFAULT, 'objects/Scope_AR_Session__c/fields');
    const onDisk = readdirSync(fieldsDir)
      .map((f) => f.replace('.field-meta.xml', ''))
      .sort();
    assert.deepEqual([...CONNECTOR_WRITTEN_SESSION_FIELDS].sort(), onDisk);
  });

  it('exits non-zero from the command line, naming the file and the problem', () => {
    const root = copyProject();
    edit(root, 'permissionsets/WorkLink_User.permissionset-meta.xml', (t) =>
      t.replace(
        '<field>Asset.Scope_Asset_Id__c</field>',
        '<field>Asset.Scope_Asset__c</field>'
      )
    );
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'scripts/validate-metadata.ts'), root],
      { encoding: 'utf8', cwd: REPO }
    );
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /force-app\/main\/default\/permissionsets\/WorkLink_User\.permissionset-meta\.xml: \[permission-set\] field permission for Asset\.Scope_Asset__c: field Asset\.Scope_Asset__c does not exist/
    );
  });
});

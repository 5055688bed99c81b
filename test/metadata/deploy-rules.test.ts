import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseQuery } from '../../scripts/metadata/connector-soql.ts';
import {
  addFile,
  assertEditRejected,
  assertProblem,
  copyProject,
  DEFAULT,
  edit,
  problemsOf
} from './helpers.ts';

const FIELDS = 'objects/Scope_AR_Session__c/fields';
const FLEXIPAGE =
  'flexipages/WorkOrder_WorkLink_Record_Page.flexipage-meta.xml';
const LAUNCHER_META = 'lwc/worklinkLauncher/worklinkLauncher.js-meta.xml';
const INTEGRATION =
  'permissionsets/WorkLink_Integration.permissionset-meta.xml';
const APP = 'applications/WorkLink.app-meta.xml';
const ADMIN = 'permissionsets/WorkLink_Admin.permissionset-meta.xml';
const ECA_OAUTH =
  'extlClntAppOauthSettings/WorkLink_Connector_oauth.ecaOauth-meta.xml';

/** Every metadata type force-app ships, one file each. */
const ONE_FILE_PER_TYPE = [
  'objects/Scope_AR_Session__c/Scope_AR_Session__c.object-meta.xml',
  `${FIELDS}/Kind__c.field-meta.xml`,
  'permissionsets/WorkLink_User.permissionset-meta.xml',
  'layouts/Scope_AR_Session__c-Scope AR Session Layout.layout-meta.xml',
  FLEXIPAGE,
  'quickActions/WorkOrder.WorkLink.quickAction-meta.xml',
  'labels/CustomLabels.labels-meta.xml',
  'tabs/Scope_AR_Session__c.tab-meta.xml',
  APP,
  'objects/Scope_AR_Session__c/listViews/All.listView-meta.xml',
  'objects/Scope_AR_Session__c/compactLayouts/Scope_AR_Session_Compact.compactLayout-meta.xml',
  'externalClientApps/WorkLink_Connector.eca-meta.xml',
  ECA_OAUTH,
  'extlClntAppPolicies/WorkLink_Connector_plcy.ecaPlcy-meta.xml',
  'extlClntAppOauthPolicies/WorkLink_Connector_oauthPlcy.ecaOauthPlcy-meta.xml',
  LAUNCHER_META
];

/** Adds an element no Metadata type has right after the root element opens. */
const withUnknownElement = (text: string): string =>
  text.replace(
    /(<\?xml[^>]*>\s*<\w+[^>]*>)/,
    '$1\n  <notAnElement>x</notAnElement>'
  );

describe('validate-metadata: element and enum values by type', () => {
  it('rejects an unknown element in every metadata type the package ships', async () => {
    const root = copyProject();
    for (const file of ONE_FILE_PER_TYPE) edit(root, file, withUnknownElement);
    const problems = await problemsOf(root);
    for (const file of ONE_FILE_PER_TYPE)
      assertProblem(
        problems,
        `${DEFAULT}/${file}: [schema]`,
        /unknown element <notAnElement>/
      );
  });

  it('rejects an unknown element in a report type, described by jsforce', async () => {
    const root = copyProject();
    addFile(
      root,
      'reportTypes/Sessions.reportType-meta.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<ReportType xmlns="http://soap.sforce.com/2006/04/metadata">
  <baseObject>WorkOrder</baseObject>
  <category>workOrders</category>
  <deployed>true</deployed>
  <label>Work orders with sessions</label>
  <joins>Scope_AR_Sessions__r</joins>
</ReportType>
`
    );
    assertProblem(
      await problemsOf(root),
      `${DEFAULT}/reportTypes/Sessions.reportType-meta.xml: [schema]`,
      /unknown element <joins> in <ReportType>/
    );
  });

  it('rejects a wrong enum value, naming the documentation page', async () => {
    await assertEditRejected(
      'layouts/Scope_AR_Session__c-Scope AR Session Layout.layout-meta.xml',
      (t) =>
        t.replace(
          '<behavior>Readonly</behavior>',
          '<behavior>ReadOnly</behavior>'
        ),
      /"ReadOnly" is not a value of LayoutItem\.behavior \(https:\/\/developer\.salesforce\.com/,
      'enum'
    );
  });

  it('rejects a boolean element that is not true or false', async () => {
    await assertEditRejected(
      `${FIELDS}/Work_Order__c.field-meta.xml`,
      (t) => t.replace('<required>false</required>', '<required>no</required>'),
      /<CustomField\.required> must be true or false, not "no"/,
      'schema'
    );
  });

  it('rejects a tab motif Salesforce does not have', async () => {
    await assertEditRejected(
      'tabs/Scope_AR_Session__c.tab-meta.xml',
      (t) => t.replace('Custom19: Wrench', 'Custom19: Hammer'),
      /"Custom19: Hammer" is not a value of CustomTab\.motif/,
      'enum'
    );
  });

  it('rejects OAuth scopes written as the OAuth parameter instead of the metadata value', async () => {
    await assertEditRejected(
      ECA_OAUTH,
      (t) => t.replace('Api,RefreshToken', 'api,refresh_token'),
      /"refresh_token" is not a value of ExtlClntAppOauthSettings\.commaSeparatedOauthScopes/,
      'enum'
    );
  });
});

describe('validate-metadata: deploy rules', () => {
  it('rejects a region mode on a page without a parent', async () => {
    await assertEditRejected(
      FLEXIPAGE,
      (t) =>
        t.replace(
          '<name>main</name>',
          '<mode>Replace</mode>\n    <name>main</name>'
        ),
      /region main specifies mode Replace but the page has no <parentFlexiPage>/,
      'flexipage-mode'
    );
  });

  it('rejects a region the template does not have', async () => {
    await assertEditRejected(
      FLEXIPAGE,
      (t) => t.replace('<name>sidebar</name>', '<name>rightSidebar</name>'),
      /region rightSidebar does not exist in template flexipage:recordHomeTemplateDesktop \(regions: header, main, sidebar\)/,
      'flexipage-region'
    );
  });

  it('rejects a LongTextArea over 131,072 characters', async () => {
    await assertEditRejected(
      `${FIELDS}/External_Data__c.field-meta.xml`,
      (t) => t.replace('<length>131072</length>', '<length>131073</length>'),
      /LongTextArea External_Data__c needs a length from 256 to 131,072, not 131073/,
      'field-limits'
    );
  });

  it('rejects a Percent precision over 18', async () => {
    await assertEditRejected(
      `${FIELDS}/Percent_Steps_Viewed__c.field-meta.xml`,
      (t) => t.replace('<precision>5</precision>', '<precision>19</precision>'),
      /Percent Percent_Steps_Viewed__c needs a precision from 1 to 18, not 19/,
      'field-limits'
    );
  });

  it('rejects SetNull on a required lookup', async () => {
    await assertEditRejected(
      `${FIELDS}/Work_Order__c.field-meta.xml`,
      (t) =>
        t.replace('<required>false</required>', '<required>true</required>'),
      /required lookup Work_Order__c has deleteConstraint SetNull: use Restrict or Cascade/,
      'delete-constraint'
    );
  });

  it('rejects component properties on the quick action target', async () => {
    await assertEditRejected(
      LAUNCHER_META,
      (t) =>
        t.replace(
          '</targetConfigs>',
          '  <targetConfig targets="lightning__RecordAction">\n      <property name="assetIdField" type="String" />\n    </targetConfig>\n  </targetConfigs>'
        ),
      /targetConfig for lightning__RecordAction declares properties/,
      'record-action-properties'
    );
  });

  it('rejects a compact layout with more than 10 fields', async () => {
    await assertEditRejected(
      'objects/Scope_AR_Session__c/compactLayouts/Scope_AR_Session_Compact.compactLayout-meta.xml',
      (t) =>
        t.replace(
          '<fields>Link_Status__c</fields>',
          '<fields>Link_Status__c</fields>\n  <fields>Ended_At__c</fields>\n  <fields>Duration_Seconds__c</fields>\n  <fields>Steps_Viewed__c</fields>\n  <fields>Steps_Possible__c</fields>\n  <fields>Technician__c</fields>'
        ),
      /11 fields; a compact layout takes at most 10/,
      'compact-layout-fields'
    );
  });

  it('rejects a component whose apiVersion lags sourceApiVersion', async () => {
    await assertEditRejected(
      LAUNCHER_META,
      (t) =>
        t.replace(
          '<apiVersion>68.0</apiVersion>',
          '<apiVersion>62.0</apiVersion>'
        ),
      /apiVersion 62\.0 differs from sourceApiVersion 68\.0/,
      'api-version'
    );
  });

  it('rejects OAuth scopes beyond what the connector needs', async () => {
    await assertEditRejected(
      ECA_OAUTH,
      (t) => t.replace('Api,RefreshToken', 'Api,RefreshToken,Full'),
      /scopes Full are more than the connector needs/,
      'eca-scopes'
    );
  });

  it('rejects ECA settings for an app the package does not ship', async () => {
    await assertEditRejected(
      ECA_OAUTH,
      (t) =>
        t.replace(
          '<externalClientApplication>WorkLink_Connector<',
          '<externalClientApplication>WorkLink_Conector<'
        ),
      /externalClientApplication WorkLink_Conector: no such External Client App/,
      'eca-reference'
    );
  });

  it('rejects committed global OAuth settings (consumer key and certificate)', async () => {
    const root = copyProject();
    const file =
      'extlClntAppGlobalOauthSets/WorkLink_Connector_glbloauth.ecaGlblOauth-meta.xml';
    addFile(
      root,
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">
  <externalClientApplication>WorkLink_Connector</externalClientApplication>
</ExtlClntAppGlobalOauthSettings>
`
    );
    assertProblem(
      await problemsOf(root),
      `${DEFAULT}/${file}: [eca-secrets]`,
      /org-specific: never commit or deploy them/
    );
  });

  it('rejects an oauthLink retrieved from another org', async () => {
    await assertEditRejected(
      ECA_OAUTH,
      (t) =>
        t.replace(
          '<label>',
          '<oauthLink>00D000000000001:0H4000000000001</oauthLink>\n  <label>'
        ),
      /oauthLink ties the app to one org's OAuth consumer/,
      'eca-secrets'
    );
  });

  it('rejects a scratch definition without Field Service or with a setting its type lacks', async () => {
    const root = copyProject();
    const path = `${root}/config/project-scratch-def.json`;
    const { readFileSync, writeFileSync } = await import('node:fs');
    const definition = JSON.parse(readFileSync(path, 'utf8')) as {
      features: string[];
      settings: Record<string, Record<string, unknown>>;
    };
    definition.features = definition.features.filter(
      (f) => !f.startsWith('FieldService:')
    );
    definition.settings.fieldServiceSettings = {
      ...definition.settings.fieldServiceSettings,
      enableWorkOrder: true
    };
    writeFileSync(path, JSON.stringify(definition));
    const problems = await problemsOf(root);
    assertProblem(
      problems,
      'config/project-scratch-def.json: [scratch-def]',
      /features must include FieldService/
    );
    assertProblem(
      problems,
      'config/project-scratch-def.json: [scratch-def]',
      /settings\.fieldServiceSettings\.enableWorkOrder is not a field of FieldServiceSettings/
    );
  });
});

describe('validate-metadata: the WorkLink app and its tabs', () => {
  it('rejects an app navigation type the API does not have', async () => {
    await assertEditRejected(
      APP,
      (t) =>
        t.replace('<navType>Standard</navType>', '<navType>Tabs</navType>'),
      /"Tabs" is not a value of CustomApplication\.navType/,
      'enum'
    );
  });

  it('rejects an app that names a tab the package does not ship', async () => {
    await assertEditRejected(
      APP,
      (t) =>
        t.replace(
          '<tabs>Scope_AR_Session__c</tabs>',
          '<tabs>Scope_AR_Session__c</tabs>\n  <tabs>WorkLink_Nowhere</tabs>'
        ),
      /tab WorkLink_Nowhere: no such tab in force-app/,
      'app-reference'
    );
  });

  it('rejects a utility bar the package does not ship', async () => {
    await assertEditRejected(
      APP,
      (t) =>
        t.replace(
          '<uiType>Lightning</uiType>',
          '<uiType>Lightning</uiType>\n  <utilityBar>WorkLink_UtilityBar</utilityBar>'
        ),
      /utilityBar WorkLink_UtilityBar: no UtilityBar flexipage/,
      'app-reference'
    );
  });

  it('rejects a Lightning page tab that shows a record page', async () => {
    const root = copyProject();
    addFile(
      root,
      'tabs/WorkLink_Wrong_Page.tab-meta.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<CustomTab xmlns="http://soap.sforce.com/2006/04/metadata">
  <description>Points at a record page.</description>
  <flexiPage>WorkOrder_WorkLink_Record_Page</flexiPage>
  <motif>Custom19: Wrench</motif>
</CustomTab>
`
    );
    const problems = await problemsOf(root);
    const file = `${DEFAULT}/tabs/WorkLink_Wrong_Page.tab-meta.xml: [app-reference]`;
    assertProblem(
      problems,
      file,
      /is a RecordPage: a Lightning page tab shows an AppPage/
    );
    assertProblem(problems, file, /a Lightning page tab needs a <label>/);
  });

  it('rejects a permission set that makes an unknown app visible', async () => {
    await assertEditRejected(
      ADMIN,
      (t) =>
        t.replace(
          '<application>WorkLink</application>',
          '<application>WorkLink_Classic</application>'
        ),
      /application visibility for WorkLink_Classic: no such app in force-app/,
      'app-reference'
    );
  });
});

describe('validate-metadata: the integration permission set follows the connector', () => {
  it('rejects a set that cannot read a standard field the connector queries', async () => {
    await assertEditRejected(
      INTEGRATION,
      (t) =>
        t.replace(
          /<fieldPermissions>\s*<editable>false<\/editable>\s*<field>WorkOrder\.Status<\/field>\s*<readable>true<\/readable>\s*<\/fieldPermissions>/,
          ''
        ),
      /does not grant read on WorkOrder\.Status, which connector\/src\/report\/ttr-source\.ts queries/,
      'integration-access'
    );
  });

  it('rejects a set without View All on work orders (Private sharing)', async () => {
    await assertEditRejected(
      INTEGRATION,
      (t) =>
        t.replace(
          /(<object>WorkOrder<\/object>\s*<viewAllRecords>)true/,
          '$1false'
        ),
      /must grant read and view all on WorkOrder/,
      'integration-access'
    );
  });

  it('rejects a set that cannot write a heartbeat field the connector upserts', async () => {
    await assertEditRejected(
      INTEGRATION,
      (t) =>
        t.replace(
          /  <fieldPermissions>\n    <editable>true<\/editable>\n    <field>WorkLink_Connector_Status__c\.Queue_Depth__c<\/field>\n    <readable>true<\/readable>\n  <\/fieldPermissions>\n/,
          ''
        ),
      /does not grant edit on WorkLink_Connector_Status__c\.Queue_Depth__c, which the connector writes/,
      'integration-access'
    );
  });

  it('rejects a grant the connector does not use', async () => {
    await assertEditRejected(
      INTEGRATION,
      (t) =>
        t.replace(
          '<hasActivationRequired>',
          '<fieldPermissions><editable>false</editable><field>WorkOrder.WorkLink_Expert__c</field><readable>true</readable></fieldPermissions>\n  <hasActivationRequired>'
        ),
      /grants WorkOrder\.WorkLink_Expert__c, which the connector neither reads nor writes/,
      'integration-access'
    );
  });

  it('reads the fields of a query from its SELECT list and WHERE clause', () => {
    const query = parseQuery(
      "SELECT Id, AssetId, CreatedDate FROM WorkOrder WHERE AssetId IN (${ids.map(soqlString).join(', ')}) AND IsClosed = true AND LastModifiedDate >= ${literal(options.from)}"
    );
    assert.deepEqual(query, {
      file: '',
      object: 'WorkOrder',
      fields: ['Id', 'AssetId', 'CreatedDate', 'IsClosed', 'LastModifiedDate']
    });
    assert.equal(
      parseQuery('SELECT Scope_Id__c FROM ${SESSION_OBJECT}')?.object,
      'Scope_AR_Session__c'
    );
  });
});

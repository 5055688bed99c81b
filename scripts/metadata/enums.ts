// Enumerations the Metadata API accepts, by `Type.element`. jsforce's schema types them as plain
// strings, so each list is written from its documentation page. Tab motifs come from the sf CLI's
// own list (plugin-sobject, `sf schema generate tab`), read where the CLI installs it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const META =
  'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta';

export interface EnumDescription {
  readonly values: ReadonlySet<string>;
  readonly doc: string;
  /** The element holds a comma-separated list of values. */
  readonly commaSeparated?: boolean;
}

const values = (
  doc: string,
  list: readonly string[],
  commaSeparated = false
): EnumDescription => ({ values: new Set(list), doc, commaSeparated });

const SHARING_MODELS = [
  'Private',
  'Read',
  'ReadSelect',
  'ReadWrite',
  'ReadWriteTransfer',
  'FullAccess',
  'ControlledByParent',
  'ControlledByCampaign',
  'ControlledByLeadOrContact'
];

/** Tab styles ("Custom19: Wrench"): Salesforce's list as the sf CLI ships it. */
function tabMotifs(): string[] {
  const modules = resolve(import.meta.dirname, '../../node_modules');
  const file = [
    '@salesforce/plugin-sobject',
    '@salesforce/cli/node_modules/@salesforce/plugin-sobject'
  ]
    .map((dir) => join(modules, dir, 'lib/commands/schema/generate/tab.js'))
    .find((path) => existsSync(path));
  if (!file)
    throw new Error(
      'the tab motif list of @salesforce/plugin-sobject (installed with @salesforce/cli) is missing'
    );
  const source = readFileSync(file, 'utf8');
  const motifs = [...source.matchAll(/'(Custom\d+: [^']+)'/g)].map(
    (m) => m[1] ?? ''
  );
  if (motifs.length < 50)
    throw new Error(
      `expected the tab motif list in @salesforce/plugin-sobject, found ${motifs.length} entries`
    );
  return motifs;
}

export const ENUMS: Readonly<Record<string, EnumDescription>> = {
  'CustomField.type': values(`${META}/customfield.htm`, [
    'AutoNumber',
    'Checkbox',
    'Currency',
    'Date',
    'DateTime',
    'Email',
    'EncryptedText',
    'ExternalLookup',
    'File',
    'Hierarchy',
    'Html',
    'IndirectLookup',
    'Location',
    'LongTextArea',
    'Lookup',
    'MasterDetail',
    'MetadataRelationship',
    'MultiselectPicklist',
    'Number',
    'Percent',
    'Phone',
    'Picklist',
    'Summary',
    'Text',
    'TextArea',
    'Time',
    'Url'
  ]),
  'CustomField.deleteConstraint': values(`${META}/customfield.htm`, [
    'Cascade',
    'Restrict',
    'SetNull'
  ]),
  'CustomObject.sharingModel': values(
    `${META}/customobject.htm`,
    SHARING_MODELS
  ),
  'CustomObject.externalSharingModel': values(
    `${META}/customobject.htm`,
    SHARING_MODELS
  ),
  'CustomObject.deploymentStatus': values(`${META}/customobject.htm`, [
    'InDevelopment',
    'Deployed'
  ]),
  'CustomObject.visibility': values(`${META}/customobject.htm`, [
    'Public',
    'Protected',
    'PackageProtected'
  ]),
  'CustomApplication.formFactors': values(
    `${META}/meta_customapplication.htm`,
    ['Small', 'Large']
  ),
  'CustomApplication.navType': values(`${META}/meta_customapplication.htm`, [
    'Console',
    'Standard'
  ]),
  'CustomApplication.uiType': values(`${META}/meta_customapplication.htm`, [
    'Aloha',
    'Lightning'
  ]),
  'CustomTab.motif': values(`${META}/meta_tab.htm`, tabMotifs()),
  'FlexiPage.type': values(`${META}/meta_flexipage.htm`, [
    'AppPage',
    'CommAppPage',
    'CommForgotPasswordPage',
    'CommLoginPage',
    'CommObjectPage',
    'CommQuickActionCreatePage',
    'CommRecordPage',
    'CommRelatedListPage',
    'CommSearchResultPage',
    'CommGlobalSearchResultPage',
    'CommSelfRegisterPage',
    'CommThemeLayoutPage',
    'HomePage',
    'MailAppAppPage',
    'RecordPage',
    'UtilityBar'
  ]),
  'FlexiPageRegion.mode': values(`${META}/meta_flexipage.htm`, [
    'Append',
    'Prepend',
    'Replace'
  ]),
  'FlexiPageRegion.type': values(`${META}/meta_flexipage.htm`, [
    'Region',
    'Facet',
    'Background'
  ]),
  'LayoutItem.behavior': values(`${META}/meta_layouts.htm`, [
    'Edit',
    'Required',
    'Readonly'
  ]),
  'LayoutSection.style': values(`${META}/meta_layouts.htm`, [
    'TwoColumnsTopToBottom',
    'TwoColumnsLeftToRight',
    'OneColumn',
    'CustomLinks'
  ]),
  'RelatedListItem.sortOrder': values(`${META}/meta_layouts.htm`, [
    'Asc',
    'Desc'
  ]),
  'PlatformActionListItem.actionType': values(`${META}/meta_layouts.htm`, [
    'ActionLink',
    'CustomButton',
    'InvocableAction',
    'ProductivityAction',
    'QuickAction',
    'StandardButton'
  ]),
  'ListView.filterScope': values(`${META}/meta_listview.htm`, [
    'Everything',
    'Mine',
    'MineAndMyGroups',
    'Queue',
    'Delegated',
    'MyTerritory',
    'MyTeamTerritory',
    'Team',
    'AssignedToMe'
  ]),
  'ListViewFilter.operation': values(`${META}/meta_listview.htm`, [
    'equals',
    'notEqual',
    'lessThan',
    'greaterThan',
    'lessOrEqual',
    'greaterOrEqual',
    'contains',
    'notContain',
    'startsWith',
    'includes',
    'excludes',
    'within'
  ]),
  'PermissionSetTabSetting.visibility': values(
    `${META}/meta_permissionset.htm`,
    ['Available', 'None', 'Visible']
  ),
  'QuickAction.type': values(`${META}/meta_quickaction.htm`, [
    'Canvas',
    'Create',
    'Flow',
    'LightningComponent',
    'LightningWebComponent',
    'LogACall',
    'Post',
    'SendEmail',
    'SocialPost',
    'Update',
    'VisualforcePage'
  ]),
  'ExternalClientApplication.distributionState': values(
    `${META}/meta_externalclientapplication.htm`,
    ['Local', 'Packaged', 'Managed', 'AutoInstalled']
  ),
  'ExtlClntAppOauthSettings.commaSeparatedOauthScopes': values(
    `${META}/meta_extlclntappoauthsettings.htm`,
    [
      'Address',
      'Api',
      'Basic',
      'Chatter',
      'CustomApplications',
      'CustomPermissions',
      'Email',
      'Full',
      'Lightning',
      'OfflineAccess',
      'OpenID',
      'Pardot',
      'Phone',
      'Profile',
      'RefreshToken',
      'Visualforce',
      'Wave',
      'Web'
    ],
    true
  ),
  'ExtlClntAppOauthConfigurablePolicies.permittedUsersPolicyType': values(
    `${META}/meta_extlclntappoauthconfigurablepolicies.htm`,
    ['AdminApprovedPreAuthorized', 'AllSelfAuthorized']
  ),
  'ExtlClntAppOauthConfigurablePolicies.ipRelaxationPolicyType': values(
    `${META}/meta_extlclntappoauthconfigurablepolicies.htm`,
    ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh']
  ),
  'ExtlClntAppOauthConfigurablePolicies.policyAction': values(
    `${META}/meta_extlclntappoauthconfigurablepolicies.htm`,
    ['Block', 'RaiseSessionLevel']
  ),
  'ReportType.category': values(`${META}/meta_reporttype.htm`, [
    'accounts',
    'opportunities',
    'forecasts',
    'cases',
    'leads',
    'campaigns',
    'activities',
    'busop',
    'products',
    'admin',
    'territory',
    'territory2',
    'usage_entitlement',
    'wdc',
    'calibration',
    'other',
    'content',
    'quotes',
    'individual',
    'employee',
    'data_cloud',
    'commerce',
    'flow',
    'semantic_model'
  ]),
  'Report.format': values(`${META}/meta_report.htm`, [
    'Tabular',
    'Summary',
    'Matrix',
    'MultiBlock'
  ]),
  'ReportFilterItem.operator': values(`${META}/meta_report.htm`, [
    'equals',
    'notEqual',
    'lessThan',
    'greaterThan',
    'lessOrEqual',
    'greaterOrEqual',
    'contains',
    'notContain',
    'startsWith',
    'includes',
    'excludes',
    'within'
  ]),
  'ReportGrouping.dateGranularity': values(`${META}/meta_report.htm`, [
    'None',
    'Day',
    'Week',
    'Month',
    'Quarter',
    'Year',
    'FiscalQuarter',
    'FiscalYear',
    'MonthInYear',
    'DayInMonth',
    'FiscalPeriod',
    'FiscalWeek'
  ]),
  'ReportGrouping.sortOrder': values(`${META}/meta_report.htm`, [
    'Asc',
    'Desc'
  ]),
  'ReportBucketField.bucketType': values(`${META}/meta_report.htm`, [
    'text',
    'number',
    'picklist'
  ]),
  'ReportFolder.accessType': values(`${META}/meta_folder.htm`, [
    'Shared',
    'Public',
    'Hidden',
    'PublicInternal'
  ]),
  'DashboardFolder.accessType': values(`${META}/meta_folder.htm`, [
    'Shared',
    'Public',
    'Hidden',
    'PublicInternal'
  ]),
  'ReportFolder.publicFolderAccess': values(`${META}/meta_folder.htm`, [
    'ReadOnly',
    'ReadWrite'
  ]),
  'DashboardFolder.publicFolderAccess': values(`${META}/meta_folder.htm`, [
    'ReadOnly',
    'ReadWrite'
  ]),
  'Dashboard.dashboardType': values(`${META}/meta_dashboard.htm`, [
    'SpecifiedUser',
    'LoggedInUser',
    'MyTeamUser'
  ]),
  'DashboardComponent.componentType': values(`${META}/meta_dashboard.htm`, [
    'Bar',
    'BarGrouped',
    'BarStacked',
    'BarStacked100',
    'Column',
    'ColumnGrouped',
    'ColumnStacked',
    'ColumnStacked100',
    'Line',
    'LineGrouped',
    'LineCumulative',
    'LineGroupedCumulative',
    'Pie',
    'Donut',
    'Funnel',
    'Scatter',
    'ScatterGrouped',
    'Gauge',
    'Metric',
    'Table',
    'FlexTable',
    'VisualforcePage',
    'SControl'
  ])
};

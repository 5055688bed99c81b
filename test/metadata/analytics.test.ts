// The validator's analytics rules: one copy of force-app broken in every way at once (one validation
// run), each problem expected on its file with its rule; the package itself has none.
import { describe, it } from 'node:test';
import {
  assertProblem,
  copyProject,
  DEFAULT,
  edit,
  problemsOf
} from './helpers.ts';

const OUTCOMES = 'reportTypes/WorkLink_Work_Order_Outcomes.reportType-meta.xml';
const JOINED = 'reportTypes/WorkLink_Work_Orders_AR.reportType-meta.xml';
const TTR =
  'reports/WorkLink_Analytics/WorkLink_TTR_by_AR_Call.report-meta.xml';
const FTF =
  'reports/WorkLink_Analytics/WorkLink_FTF_by_AR_Call.report-meta.xml';
const MONTH =
  'reports/WorkLink_Analytics/WorkLink_Outcomes_by_Month.report-meta.xml';
const UNMATCHED =
  'reports/WorkLink_Analytics/WorkLink_Unmatched_Sessions.report-meta.xml';
const DASHBOARD =
  'dashboards/WorkLink_Dashboards/WorkLink_AR_Impact.dashboard-meta.xml';
const REPORT_FOLDER = 'reports/WorkLink_Analytics.reportFolder-meta.xml';

describe('validate-metadata: report types, reports, dashboards, folders', () => {
  it('finds every broken reference, the running user and the folder access', async () => {
    const root = copyProject();
    edit(root, OUTCOMES, (t) =>
      t.replace(
        '<field>Asset.Product2.Name</field>',
        '<field>Asset.Model__c</field>'
      )
    );
    edit(root, JOINED, (t) =>
      t.replace(
        '<relationship>Scope_AR_Sessions__r</relationship>',
        '<relationship>Sessions__r</relationship>'
      )
    );
    edit(root, TTR, (t) =>
      t.replace(
        '<field>WorkOrder$WorkOrderNumber</field>',
        '<field>WorkOrder$Subject</field>'
      )
    );
    edit(root, FTF, (t) =>
      t.replace(
        '<reportType>WorkLink_Work_Order_Outcomes__c</reportType>',
        '<reportType>WorkLink_Missing__c</reportType>'
      )
    );
    edit(root, MONTH, (t) =>
      t.replace(
        '<field>WorkOrder$WorkLink_AR_Used__c</field>',
        '<field>WorkOrder$Priority</field>'
      )
    );
    edit(root, UNMATCHED, (t) =>
      t.replace('<operator>equals</operator>', '<operator>between</operator>')
    );
    edit(root, DASHBOARD, (t) =>
      t
        .replace(
          'WorkLink_Analytics/WorkLink_Expert_Calls_by_Expert',
          'WorkLink_Analytics/WorkLink_Gone'
        )
        .replace(
          '<dashboardType>LoggedInUser</dashboardType>',
          '<dashboardType>SpecifiedUser</dashboardType>\n  <runningUser>admin@worklink.example</runningUser>'
        )
    );
    edit(root, REPORT_FOLDER, (t) =>
      t.replace(
        '<accessType>Public</accessType>',
        '<accessType>Shared</accessType>'
      )
    );
    const problems = await problemsOf(root);
    const expect = (file: string, rule: string, pattern: RegExp) =>
      assertProblem(problems, `${DEFAULT}/${file}: [${rule}]`, pattern);
    expect(OUTCOMES, 'analytics-reference', /Asset\.Model__c/);
    expect(JOINED, 'analytics-reference', /Sessions__r/);
    expect(
      TTR,
      'analytics-reference',
      /column WorkOrder\$Subject is not a column of report type/
    );
    expect(
      FTF,
      'analytics-reference',
      /report type WorkLink_Missing__c is not a packaged report type/
    );
    expect(MONTH, 'analytics-reference', /grouping WorkOrder\$Priority/);
    expect(UNMATCHED, 'enum', /between/);
    expect(
      DASHBOARD,
      'analytics-reference',
      /WorkLink_Analytics\/WorkLink_Gone/
    );
    expect(DASHBOARD, 'dashboard-running-user', /LoggedInUser/);
    expect(REPORT_FOLDER, 'folder-access', /Shared/);
  });
});

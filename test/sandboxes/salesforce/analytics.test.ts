// The sandbox's Analytics REST API over the packaged reports: Report and Dashboard records by SOQL,
// describe, synchronous runs (saved and overridden filters, details, groupings by month), record
// sharing and field-level security of the running user, and the refusals in Salesforce's error shape.
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'jsforce';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { analytics, figuresByGroup } from '../../support/analytics-api.ts';
import type {
  AnalyticsSession,
  ReportAnswer
} from '../../support/analytics-api.ts';
import {
  recomputeOutcomeFields,
  seedArImpactWorld
} from '../../support/ar-impact-world.ts';
import { connect } from './helpers.ts';

/**
 * force-app where WorkLink_Integration (the running user of these tests' client-credentials token) reads
 * neither a session's Technician nor a Repeat Visit, reads the two formula fields the reports filter and
 * average on, and has no View All on WorkOrder (Private here): it sees the work orders it owns.
 */
function metadataWithoutGrants(fields: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sf-sandbox-analytics-'));
  cpSync(join(process.cwd(), 'force-app', 'main', 'default'), dir, {
    recursive: true
  });
  const file = join(
    dir,
    'permissionsets',
    'WorkLink_Integration.permissionset-meta.xml'
  );
  let xml = readFileSync(file, 'utf8');
  for (const field of fields) {
    const block = new RegExp(
      `\\s*<fieldPermissions>\\s*<editable>\\w+</editable>\\s*<field>${field.replace('.', '\\.')}</field>[\\s\\S]*?</fieldPermissions>`
    );
    assert.match(xml, block, `${field} is granted in the package`);
    xml = xml.replace(block, '');
  }
  const grants = ['WorkLink_Closed_At__c', 'WorkLink_Resolution_Hours__c']
    .map(
      (f) =>
        `<fieldPermissions><editable>false</editable><field>WorkOrder.${f}</field><readable>true</readable></fieldPermissions>`
    )
    .join('');
  xml = xml.replace(
    '<hasActivationRequired>',
    `${grants}<hasActivationRequired>`
  );
  const viewAll = /(<object>WorkOrder<\/object>\s*<viewAllRecords>)true/;
  assert.match(xml, viewAll);
  writeFileSync(file, xml.replace(viewAll, '$1false'));
  return dir;
}

const metadataDir = metadataWithoutGrants([
  'Scope_AR_Session__c.Technician__c',
  'WorkOrder.WorkLink_Repeat_Visit__c'
]);
let sf: SalesforceSandbox;
let admin: AnalyticsSession;
let integration: AnalyticsSession;
let adminConn: Connection;
const ids = new Map<string, string>();

before(async () => {
  sf = await startSalesforceSandbox({
    port: 0,
    seed: { closedWorkOrders: 0 },
    metadataDir,
    privateObjects: ['WorkOrder']
  });
  seedArImpactWorld(sf);
  adminConn = new Connection({ loginUrl: sf.url, version: '64.0' });
  await adminConn.login('admin@worklink.sandbox', 'worklink-sandbox');
  await recomputeOutcomeFields(adminConn, {
    windowDays: 30,
    resolvedStatuses: ['Completed', 'Closed'],
    now: new Date()
  });
  admin = { instanceUrl: sf.url, accessToken: adminConn.accessToken ?? '' };
  const conn = await connect(sf);
  integration = { instanceUrl: sf.url, accessToken: conn.accessToken ?? '' };
  const reports = await adminConn.query<{ Id: string; DeveloperName: string }>(
    'SELECT Id, DeveloperName, FolderName FROM Report'
  );
  for (const r of reports.records) ids.set(r.DeveloperName, r.Id);
});
after(async () => {
  await sf?.close();
  rmSync(metadataDir, { recursive: true, force: true });
});

const id = (name: string) => {
  const found = ids.get(name);
  assert.ok(found, `report ${name} exists`);
  return found;
};

describe('Report and Dashboard records', () => {
  it('every packaged report is a Report with a real-shaped 00O id in its folder', async () => {
    const rows = await adminConn.query<{
      Id: string;
      DeveloperName: string;
      FolderName: string;
    }>(
      "SELECT Id, DeveloperName, FolderName FROM Report WHERE FolderName = 'WorkLink Analytics'"
    );
    assert.equal(rows.totalSize, 13);
    for (const r of rows.records) assert.match(r.Id, /^00O[0-9A-Za-z]{15}$/);
    const dashboards = await adminConn.query<{ Id: string; Type: string }>(
      "SELECT Id, Type FROM Dashboard WHERE DeveloperName = 'WorkLink_AR_Impact'"
    );
    assert.match(dashboards.records[0]?.Id ?? '', /^01Z[0-9A-Za-z]{15}$/);
    assert.equal(dashboards.records[0]?.Type, 'LoggedInUser');
  });
});

describe('describe and run', () => {
  it('describe answers the saved metadata: format, report type, bucket grouping, filters, date filter', async () => {
    const { status, body } = await analytics(
      admin,
      `/reports/${id('WorkLink_FTF_by_AR_Call')}/describe`
    );
    assert.equal(status, 200);
    const meta = (body as { reportMetadata: Record<string, unknown> })
      .reportMetadata;
    assert.equal(meta.reportFormat, 'SUMMARY');
    assert.deepEqual(meta.reportType, {
      type: 'WorkLink_Work_Order_Outcomes__c',
      label: 'Work Orders with WorkLink Outcomes'
    });
    assert.deepEqual(meta.groupingsDown, [
      { name: 'BucketField_AR_Call', sortOrder: 'Asc', dateGranularity: 'None' }
    ]);
    assert.deepEqual(meta.aggregates, [
      'a!WorkOrder$WorkLink_First_Time_Fix__c',
      'RowCount'
    ]);
    assert.deepEqual(meta.standardDateFilter, {
      column: 'WorkOrder$WorkLink_Closed_At__c',
      durationValue: 'LAST_90_DAYS',
      startDate: null,
      endDate: null
    });
    assert.ok(
      (meta.reportFilters as { operator: string }[]).some(
        (f) => f.operator === 'notEqual'
      )
    );
  });

  it('a 15-character id runs the same report; details come with includeDetails', async () => {
    const full = id('WorkLink_Unmatched_Sessions');
    const { status, body } = await analytics(
      admin,
      `/reports/${full.slice(0, 15)}?includeDetails=true`
    );
    assert.equal(status, 200);
    const answer = body as ReportAnswer;
    const unmatched = await adminConn.query(
      "SELECT Id FROM Scope_AR_Session__c WHERE Link_Status__c = 'Unmatched'"
    );
    assert.ok(unmatched.totalSize > 0);
    assert.equal(answer.factMap['T!T']?.rows?.length, unmatched.totalSize);
    assert.equal(
      answer.factMap['T!T']?.aggregates.at(-1)?.value,
      unmatched.totalSize
    );
    const refColumn = answer.reportMetadata.detailColumns.indexOf(
      'Scope_AR_Session__c$External_Work_Order_Ref__c'
    );
    assert.ok(
      answer.factMap['T!T']?.rows?.every((r) =>
        /^WO-9\d{3}$/.test(String(r.dataCells[refColumn]?.value))
      )
    );
  });

  it('POST overrides the filters for one run: a status filter narrows the counts', async () => {
    const report = id('WorkLink_TTR_by_AR_Call');
    const saved = (await analytics(admin, `/reports/${report}`))
      .body as ReportAnswer;
    const described = (await analytics(admin, `/reports/${report}/describe`))
      .body as {
      reportMetadata: {
        reportFilters: { column: string; operator: string; value: string }[];
      };
    };
    const onlyCompleted = described.reportMetadata.reportFilters.map((f) =>
      f.column === 'WorkOrder$StatusCategory' ? { ...f, value: 'Completed' } : f
    );
    const { status, body } = await analytics(admin, `/reports/${report}`, {
      method: 'POST',
      body: { reportMetadata: { reportFilters: onlyCompleted } }
    });
    assert.equal(status, 200);
    const completed = await adminConn.query<{ Id: string }>(
      "SELECT Id, EndDate FROM WorkOrder WHERE Status = 'Completed' AND EndDate = LAST_N_DAYS:90"
    );
    const total =
      (body as ReportAnswer).factMap['T!T']?.aggregates.at(-1)?.value ?? 0;
    assert.ok(
      total > 0 && total < (saved.factMap['T!T']?.aggregates.at(-1)?.value ?? 0)
    );
    assert.equal(total, completed.totalSize);
  });

  it('a month grouping has one group per month of closure, in order, with sub-groups by AR Used', async () => {
    const { body } = await analytics(
      admin,
      `/reports/${id('WorkLink_Outcomes_by_Month')}`
    );
    const answer = body as ReportAnswer & {
      groupingsDown: {
        groupings: {
          key: string;
          value: string;
          groupings: { key: string; label: string }[];
        }[];
      };
    };
    const months = answer.groupingsDown.groupings.map((g) => String(g.value));
    assert.ok(months.length >= 3);
    assert.deepEqual([...months].sort(), months);
    for (const m of months) assert.match(m, /^\d{4}-\d{2}-01$/);
    const first = answer.groupingsDown.groupings[0];
    assert.ok(
      first?.groupings.every(
        (g) =>
          ['True', 'False'].includes(g.label) &&
          g.key.startsWith(`${first.key}_`)
      )
    );
    const sum = answer.groupingsDown.groupings.reduce(
      (s, g) =>
        s + Number(answer.factMap[`${g.key}!T`]?.aggregates.at(-1)?.value),
      0
    );
    assert.equal(sum, answer.factMap['T!T']?.aggregates.at(-1)?.value);
  });
});

describe('report type joins and lookups', () => {
  it('the outer join gives one row per session, and one blank row for a work order without any', async () => {
    const { body } = await analytics(
      admin,
      `/reports/${id('WorkLink_AR_Sessions_per_Work_Order')}?includeDetails=true`
    );
    const answer = body as ReportAnswer;
    const resolved = await adminConn.query<{
      Id: string;
      WorkOrderNumber: string;
    }>(
      "SELECT Id, WorkOrderNumber FROM WorkOrder WHERE StatusCategory IN ('Completed', 'Closed') AND EndDate = LAST_N_DAYS:90"
    );
    const sessions = await adminConn.query<{ Work_Order__c: string }>(
      'SELECT Work_Order__c FROM Scope_AR_Session__c WHERE Work_Order__c != null'
    );
    const perOrder = (woId: string) =>
      sessions.records.filter((r) => r.Work_Order__c === woId).length;
    const expected = resolved.records.reduce(
      (sum, w) => sum + Math.max(1, perOrder(w.Id)),
      0
    );
    assert.equal(answer.factMap['T!T']?.aggregates.at(-1)?.value, expected);
    assert.equal(answer.groupingsDown.groupings.length, resolved.totalSize);
    const without = resolved.records.find((w) => perOrder(w.Id) === 0);
    assert.ok(without, 'some resolved work order has no session');
    const group = answer.groupingsDown.groupings.find(
      (g) => g.label === without.WorkOrderNumber
    );
    const rows = answer.factMap[`${group?.key}!T`]?.rows ?? [];
    assert.equal(rows.length, 1);
    assert.ok(
      rows[0]?.dataCells.every((c) => c.value === null && c.label === '-')
    );
  });

  it("groups by lookups: work type and the asset's product (multi-byte names, blank without an asset)", async () => {
    const byType = (
      await analytics(admin, `/reports/${id('WorkLink_Outcomes_by_Work_Type')}`)
    ).body as ReportAnswer;
    assert.deepEqual(
      byType.groupingsDown.groupings.map((g) => g.label),
      ['Installation — Inbetriebnahme', 'Preventive Maintenance', 'Repair']
    );
    const byModel = (
      await analytics(
        admin,
        `/reports/${id('WorkLink_Outcomes_by_Asset_Model')}`
      )
    ).body as ReportAnswer;
    assert.deepEqual(
      byModel.groupingsDown.groupings.map((g) => g.label),
      [
        '-',
        'Carrier 48TC Rooftop Unit',
        'Wärmepumpe Vitocal 250-A — Außeneinheit'
      ]
    );
    const total = (a: ReportAnswer) =>
      a.factMap['T!T']?.aggregates.at(-1)?.value;
    assert.equal(total(byType), total(byModel));
  });
});

describe('the running user', () => {
  it('sees only the work orders it may see (Private WorkOrder without View All)', async () => {
    const report = `/reports/${id('WorkLink_TTR_by_AR_Call')}`;
    const count = async (session: AnalyticsSession) =>
      ((await analytics(session, report)).body as ReportAnswer).factMap[
        'T!T'
      ]?.aggregates.at(-1)?.value;
    const everything = await count(admin);
    assert.equal(
      await count(integration),
      everything,
      'the integration user owns the seeded work orders'
    );
    const adminId = sf.state.findUser('admin@worklink.sandbox') ?? '';
    const resolved = await adminConn.query<{ Id: string }>(
      "SELECT Id FROM WorkOrder WHERE StatusCategory IN ('Completed', 'Closed') AND EndDate = LAST_N_DAYS:60 ORDER BY EndDate LIMIT 3"
    );
    assert.equal(resolved.totalSize, 3);
    await adminConn.sobject('WorkOrder').update(
      resolved.records.map((r) => ({ Id: r.Id, OwnerId: adminId })),
      { allOrNone: true }
    );
    assert.equal(await count(integration), (everything ?? 0) - 3);
    assert.equal(await count(admin), everything);
  });

  it('a detail column the user cannot read is left out; a measure it cannot read is refused', async () => {
    const { body } = await analytics(
      integration,
      `/reports/${id('WorkLink_Unmatched_Sessions')}?includeDetails=true`
    );
    const answer = body as ReportAnswer;
    assert.ok(
      !answer.reportMetadata.detailColumns.includes(
        'Scope_AR_Session__c$Technician__c'
      )
    );
    assert.equal(
      answer.factMap['T!T']?.rows?.[0]?.dataCells.length,
      answer.reportMetadata.detailColumns.length
    );
    const refused = await analytics(
      integration,
      `/reports/${id('WorkLink_Repeat_Visits_by_AR_Call')}`
    );
    assert.equal(refused.status, 403);
    assert.equal(
      (refused.body as { errorCode: string }[])[0]?.errorCode,
      'INSUFFICIENT_PRIVILEGES'
    );
    const figures = figuresByGroup(
      (
        await analytics(
          integration,
          `/reports/${id('WorkLink_FTF_by_AR_Call')}`
        )
      ).body as ReportAnswer
    );
    assert.ok(figures.size > 0, 'the first-time-fix report still runs');
  });
});

describe('refusals, in the error shape of the REST API', () => {
  const refuse = async (
    path: string,
    init: { method?: string; body?: unknown },
    status: number,
    code: string,
    message?: RegExp
  ) => {
    const answer = await analytics(admin, path, init);
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    const [error] = answer.body as { errorCode: string; message: string }[];
    assert.equal(error?.errorCode, code);
    if (message) assert.match(error?.message ?? '', message);
  };
  it('an unknown report id, a work order id and an unknown dashboard are 404 NOT_FOUND', async () => {
    await refuse('/reports/00O8d00000009ZZEAA', {}, 404, 'NOT_FOUND');
    const wo = await adminConn.query<{ Id: string }>(
      'SELECT Id FROM WorkOrder LIMIT 1'
    );
    await refuse(
      `/reports/${wo.records[0]?.Id}/describe`,
      {},
      404,
      'NOT_FOUND'
    );
    await refuse(
      '/dashboards/01Z8d00000009ZZEAA/describe',
      {},
      404,
      'NOT_FOUND'
    );
  });
  it('bad filters are 400 BAD_REQUEST: operator, column, value, date, body, format change', async () => {
    const report = `/reports/${id('WorkLink_TTR_by_AR_Call')}`;
    const run = (reportMetadata: unknown) => ({
      method: 'POST',
      body: { reportMetadata }
    });
    await refuse(
      report,
      run({
        reportFilters: [
          { column: 'WorkOrder$Status', operator: 'between', value: 'x' }
        ]
      }),
      400,
      'BAD_REQUEST',
      /operator between/
    );
    await refuse(
      report,
      run({
        reportFilters: [
          { column: 'WorkOrder$Subject', operator: 'equals', value: 'x' }
        ]
      }),
      400,
      'BAD_REQUEST',
      /WorkOrder\$Subject/
    );
    await refuse(
      report,
      run({
        reportFilters: [
          {
            column: 'WorkOrder$WorkLink_AR_Calls__c',
            operator: 'greaterThan',
            value: 'many'
          }
        ]
      }),
      400,
      'BAD_REQUEST',
      /many/
    );
    await refuse(
      report,
      run({
        standardDateFilter: {
          durationValue: 'CUSTOM',
          startDate: '01/12/2026',
          endDate: null
        }
      }),
      400,
      'BAD_REQUEST',
      /01\/12\/2026/
    );
    await refuse(
      report,
      run({ reportFormat: 'MATRIX' }),
      400,
      'BAD_REQUEST',
      /format/
    );
    await refuse(
      report,
      { method: 'POST', body: { filters: [] } },
      400,
      'BAD_REQUEST',
      /reportMetadata/
    );
  });
});

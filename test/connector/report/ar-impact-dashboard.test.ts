// The AR Impact dashboard's figures equal those of `connector report ttr` on the same data: the
// packaged reports run by the Salesforce sandbox's Analytics REST API (as a manager, the admin user)
// against the seeded history, and the CLI (as the integration user) over the same days. Compared: the
// counts, mean hours, first-time-fix and repeat-visit rates, with vs without AR call and scenario
// session. Medians and p90 are the CLI's alone (a summary report has no percentile).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'jsforce';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { figuresByGroup, runDashboard } from '../../support/analytics-api.ts';
import type { ReportAnswer } from '../../support/analytics-api.ts';
import { cliGroup, runTtrCli } from '../../support/ttr-cli.ts';
import type { CliTtr } from '../../support/ttr-cli.ts';
import {
  recomputeOutcomeFields,
  seedArImpactWorld
} from '../../support/ar-impact-world.ts';

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round = (v: number | null | undefined, digits: number) =>
  v === null || v === undefined
    ? null
    : Math.round(v * 10 ** digits) / 10 ** digits;

let sf: SalesforceSandbox;
let answers: Map<string, ReportAnswer>;
let cli: CliTtr;

before(async () => {
  sf = await startSalesforceSandbox({ port: 0, seed: { closedWorkOrders: 0 } });
  const now = Date.now();
  const world = seedArImpactWorld(sf, now);
  const admin = new Connection({ loginUrl: sf.url, version: '64.0' });
  await admin.login('admin@worklink.sandbox', 'worklink-sandbox');
  await recomputeOutcomeFields(admin, {
    windowDays: 30,
    resolvedStatuses: ['Completed', 'Closed'],
    now: new Date()
  });
  const range = {
    startDate: day(world.today - 90 * DAY_MS),
    endDate: day(world.today)
  };
  const dashboard = await admin.query<{ Id: string }>(
    "SELECT Id FROM Dashboard WHERE DeveloperName = 'WorkLink_AR_Impact'"
  );
  answers = await runDashboard(
    { instanceUrl: sf.url, accessToken: admin.accessToken ?? '' },
    dashboard.records[0]?.Id ?? '',
    range
  );
  cli = await runTtrCli(sf, range.startDate, day(world.today + DAY_MS));
  console.log(
    JSON.stringify(cli.groups),
    JSON.stringify(
      [...answers.values()].map((a) => [
        a.reportMetadata.developerName,
        a.groupingsDown.groupings.map((g) => [
          g.label,
          a.factMap[`${g.key}!T`]?.aggregates
        ])
      ])
    )
  );
});
after(() => sf?.close());

const group = (name: string) => cliGroup(cli, name);

/** The dashboard's figure for one grouping: [average, count] (the reports' aggregates, RowCount last). */
function figure(
  report: string,
  label: string
): { mean: number | null; count: number } {
  const answer = answers.get(report);
  assert.ok(answer, `the dashboard runs ${report}`);
  const aggregates = figuresByGroup(answer).get(label);
  return {
    mean: aggregates?.[0]?.value ?? null,
    count: aggregates?.at(-1)?.value ?? 0
  };
}

const SPLITS = [
  {
    by: 'AR call',
    suffix: 'AR_Call',
    with: 'With AR call',
    without: 'Without AR call',
    cli: 'ar_call'
  },
  {
    by: 'scenario session',
    suffix: 'Scenario_Session',
    with: 'With scenario session',
    without: 'Without scenario session',
    cli: 'scenario_session'
  }
] as const;

describe(
  'AR Impact dashboard = connector report ttr',
  { timeout: 120_000 },
  () => {
    it('the seeded history has both sides of every split, and unknown outcomes', () => {
      assert.ok(cli.workOrders > 30, `${cli.workOrders} resolved work orders`);
      for (const s of SPLITS) {
        assert.ok(group(`with_${s.cli}`).workOrders > 3);
        assert.ok(group(`without_${s.cli}`).workOrders > 3);
      }
      assert.ok(
        group('all').firstTimeFixKnown < cli.workOrders,
        'some first-time fixes are unknown'
      );
      assert.ok(
        (group('all').repeatVisitRate ?? 0) > 0,
        'some work orders are repeat visits'
      );
    });

    for (const s of SPLITS) {
      for (const side of ['with', 'without'] as const) {
        const label = s[side];
        const cliGroup = `${side}_${s.cli}`;
        it(`time to resolution ${side} ${s.by}: count and mean hours`, () => {
          const f = figure(`WorkLink_TTR_by_${s.suffix}`, label);
          assert.equal(f.count, group(cliGroup).workOrders);
          assert.equal(round(f.mean, 2), group(cliGroup).meanHours);
        });
        it(`first-time fix ${side} ${s.by}: known and rate`, () => {
          const f = figure(`WorkLink_FTF_by_${s.suffix}`, label);
          assert.equal(f.count, group(cliGroup).firstTimeFixKnown);
          assert.equal(round(f.mean, 4), group(cliGroup).firstTimeFixRate);
        });
        it(`repeat visits ${side} ${s.by}: known and rate`, () => {
          const f = figure(`WorkLink_Repeat_Visits_by_${s.suffix}`, label);
          assert.equal(f.count, group(cliGroup).repeatVisitKnown);
          assert.equal(round(f.mean, 4), group(cliGroup).repeatVisitRate);
        });
      }
    }

    it('the grand totals are the CLI group "all"', () => {
      const total =
        answers.get('WorkLink_TTR_by_AR_Call')?.factMap['T!T']?.aggregates ??
        [];
      assert.equal(total.at(-1)?.value, group('all').workOrders);
      assert.equal(round(total[0]?.value, 2), group('all').meanHours);
    });
  }
);

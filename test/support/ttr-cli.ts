// `connector report ttr --format json --no-store` against a Salesforce sandbox (the integration user,
// client credentials), as the AR Impact tests compare it with the dashboard.
import assert from 'node:assert/strict';
import { runCli } from '../../connector/src/cli.ts';
import type { SalesforceSandbox } from '../../sandboxes/salesforce/index.ts';

export interface CliGroup {
  group: string;
  workOrders: number;
  meanHours: number | null;
  firstTimeFixKnown: number;
  firstTimeFixRate: number | null;
  repeatVisitKnown: number;
  repeatVisitRate: number | null;
}

export interface CliTtr {
  workOrders: number;
  groups: CliGroup[];
}

/** The report over [from, to) (YYYY-MM-DD, UTC), first-time-fix window 30 days. */
export async function runTtrCli(
  sf: SalesforceSandbox,
  from: string,
  to: string
): Promise<CliTtr> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [
      'report',
      'ttr',
      '--format',
      'json',
      '--no-store',
      '--from',
      from,
      '--to',
      to,
      '--ftf-days',
      '30'
    ],
    {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {
        SCOPE_BASE_URL: 'http://127.0.0.1:9',
        SCOPE_API_TOKEN: 'sandbox-company-token',
        SCOPE_PERMALINK: 'sandbox',
        SF_LOGIN_URL: sf.url,
        SF_AUTH_FLOW: 'client_credentials',
        SF_CLIENT_ID: sf.clientId,
        SF_CLIENT_SECRET: sf.clientSecret,
        LOG_LEVEL: 'silent'
      }
    }
  );
  assert.equal(code, 0, err.join('\n'));
  return JSON.parse(out.join('\n')) as CliTtr;
}

export function cliGroup(report: CliTtr, name: string): CliGroup {
  const found = report.groups.find((g) => g.group === name);
  assert.ok(found, `the CLI reports group ${name}`);
  return found;
}

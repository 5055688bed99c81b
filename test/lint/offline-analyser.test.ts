// Salesforce's offline analyser (Komaci, @salesforce/eslint-plugin-lwc-graph-analyzer) runs in
// `npm run lint` on every launcher bundle, JavaScript and templates, with its findings as errors, and
// finds nothing there: what Field Service mobile needs to prime the quick actions for offline use.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../support/replicas/replica-process.ts';

const LWC = 'force-app/main/default/lwc';
const PREFIX = '@salesforce/lwc-graph-analyzer/';
const LAUNCHERS = [
  'worklinkLauncher',
  'worklinkLineItemLauncher',
  'worklinkAppointmentLauncher',
  'worklinkCaseLauncher'
];

const eslint = new ESLint({ cwd: REPO_ROOT });

function bundleFiles(bundle: string): string[] {
  return readdirSync(join(REPO_ROOT, LWC, bundle))
    .filter((f) => f.endsWith('.js') || f.endsWith('.html'))
    .map((f) => join(LWC, bundle, f));
}

describe('the offline analyser', () => {
  it('is configured, as errors, for the JavaScript and the templates of every launcher', async () => {
    for (const bundle of LAUNCHERS) {
      for (const file of bundleFiles(bundle)) {
        const config = (await eslint.calculateConfigForFile(
          join(REPO_ROOT, file)
        )) as { rules: Record<string, unknown> };
        const rules = Object.entries(config.rules).filter(([name]) =>
          name.startsWith(PREFIX)
        );
        assert.ok(
          rules.length >= 20,
          `${file}: ${rules.length} analyser rules`
        );
        for (const [name, setting] of rules)
          assert.equal(
            Array.isArray(setting) ? setting[0] : setting,
            2,
            `${file}: ${name} is an error`
          );
      }
    }
  });

  it('reports nothing on the launcher bundles', async () => {
    const results = await eslint.lintFiles(
      LAUNCHERS.flatMap((bundle) => bundleFiles(bundle))
    );
    assert.ok(results.length >= LAUNCHERS.length * 2);
    const findings = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`)
    );
    assert.deepEqual(findings, []);
  });

  it('does find what breaks priming: a wire on a private property', async () => {
    const [result] = await eslint.lintText(
      [
        "import { LightningElement, wire } from 'lwc';",
        "import { getRecord } from 'lightning/uiRecordApi';",
        'export default class Probe extends LightningElement {',
        '  recordId;',
        "  @wire(getRecord, { recordId: '$recordId', fields: ['WorkOrder.Id'] })",
        '  record;',
        '}',
        ''
      ].join('\n'),
      { filePath: join(REPO_ROOT, LWC, 'probe/probe.js') }
    );
    assert.ok(
      result?.messages.some(
        (m) => m.ruleId === `${PREFIX}no-private-wire-config-property`
      ),
      JSON.stringify(result?.messages)
    );
  });
});

// npm run app-extension -- --expert-link <call link> [--asset-field <Work Order field>] [--deferred <https page>]
// Prints the Field Service mobile App Extensions (Setup → Field Service Mobile Settings → App
// Extensions) that open WorkLink from Work Orders and Service Appointments, ready to paste, and
// fails when a LaunchValue is longer than the 255 characters Salesforce accepts.
import { parseArgs } from 'node:util';
import {
  LAUNCH_VALUE_LIMIT,
  appExtensionValues,
  checkInput
} from './app-extension/app-extension-values.ts';

function fail(message: string): never {
  console.error(`app-extension: ${message}`);
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    options: {
      'expert-link': { type: 'string' },
      'asset-field': { type: 'string' },
      deferred: { type: 'string' }
    }
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (!options['expert-link'])
  fail(
    'pass --expert-link with the call link of the expert to call (copied from the Scope CMS)'
  );

const input = {
  expertLink: options['expert-link'],
  workOrderAssetField: options['asset-field'],
  deferredBase: options.deferred
};
const problems = checkInput(input);
if (problems.length > 0) fail(problems.join('; '));

const values = appExtensionValues(input);
for (const v of values) {
  console.log(`${v.AppExtensionLabel} (${v.ScopedToObjectTypes})`);
  console.log(`  Name:                  ${v.AppExtensionName}`);
  console.log(`  Type:                  iOS, and again as Android`);
  console.log(`  Scoped To Object Types: ${v.ScopedToObjectTypes}`);
  console.log(
    `  Launch Value (${v.LaunchValue.length}/${LAUNCH_VALUE_LIMIT}): ${v.LaunchValue}`
  );
  console.log('');
}
if (!input.workOrderAssetField)
  console.log(
    'No --asset-field: no Launch extension. Give a Work Order field holding the Scope Asset ID (e.g. a formula field WorkLink_Asset_Id__c = Asset.Scope_Asset_Id__c) to add one.'
  );
const tooLong = values.filter((v) => !v.fits);
if (tooLong.length > 0) {
  console.error(
    `app-extension: ${tooLong.map((v) => v.AppExtensionName).join(', ')} exceed ${LAUNCH_VALUE_LIMIT} characters: use a shorter call link or no deferred page`
  );
  process.exit(1);
}

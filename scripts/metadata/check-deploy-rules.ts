// Deploy rules no XSD states, seen in Salesforce's samples and public deploy logs (see
// /work/shared/reference/salesforce-platform.md, "Deploy rules that no XSD catches").
import { basename } from 'node:path';
import type { LwcBundle, Problem, XmlFile } from './read-project.ts';
import { nodes, text, texts } from '../../sandboxes/salesforce/metadata/xml.ts';

/** Region names per FlexiPage template (Lightning App Builder's standard templates). */
export const TEMPLATE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'flexipage:recordHomeTemplateDesktop': ['header', 'main', 'sidebar'],
  'flexipage:recordHomeSingleColTemplateDesktop': ['header', 'main'],
  'flexipage:recordHomeSingleColNoHeaderTemplateDesktop': ['main'],
  'flexipage:defaultAppHomeTemplate': ['main'],
  'flexipage:appHomeTemplateHeaderTwoColumnsLeftSidebar': [
    'header',
    'main',
    'sidebar'
  ]
};

const MAX_LONG_TEXT = 131_072;
const MAX_TEXT = 255;
const MAX_PRECISION = 18;
const MAX_COMPACT_LAYOUT_FIELDS = 10;
/** The connector's OAuth client needs API access; refresh tokens only because the JWT grant asks for the scope. */
const CONNECTOR_SCOPES = new Set(['Api', 'RefreshToken']);

type Add = (file: string, rule: string, message: string) => void;

function checkFlexipage(file: XmlFile, add: Add): void {
  const hasParent = text(file.body, 'parentFlexiPage') !== '';
  const template = text(nodes(file.body, 'template')[0], 'name');
  const regions = TEMPLATE_REGIONS[template];
  if (!regions)
    add(
      file.file,
      'flexipage-region',
      `template ${template || '(none)'} is not one whose regions the validator knows: add it to TEMPLATE_REGIONS`
    );
  for (const region of nodes(file.body, 'flexiPageRegions')) {
    const name = text(region, 'name');
    const mode = text(region, 'mode');
    if (mode && !hasParent)
      add(
        file.file,
        'flexipage-mode',
        `region ${name} specifies mode ${mode} but the page has no <parentFlexiPage>: a page built from scratch must omit <mode>`
      );
    if (text(region, 'type') === 'Region' && regions && !regions.includes(name))
      add(
        file.file,
        'flexipage-region',
        `region ${name} does not exist in template ${template} (regions: ${regions.join(', ')})`
      );
  }
}

function checkField(file: XmlFile, add: Add): void {
  const field = file.body;
  const name = text(field, 'fullName') || basename(file.file).split('.')[0];
  const type = text(field, 'type');
  const number = (key: string): number | undefined => {
    const value = text(field, key);
    return value === '' ? undefined : Number(value);
  };
  const length = number('length');
  const precision = number('precision');
  const scale = number('scale');
  const limit = (message: string) => add(file.file, 'field-limits', message);
  if (type === 'Lookup' && text(field, 'required') === 'true') {
    const constraint = text(field, 'deleteConstraint') || 'SetNull';
    if (constraint === 'SetNull')
      add(
        file.file,
        'delete-constraint',
        `required lookup ${name} has deleteConstraint SetNull${text(field, 'deleteConstraint') ? '' : ' (the default)'}: use Restrict or Cascade`
      );
  }
  if (type === 'MasterDetail' && text(field, 'deleteConstraint'))
    add(
      file.file,
      'delete-constraint',
      `master-detail ${name} takes no deleteConstraint (deleting the master always deletes the details)`
    );
  if (
    type === 'Text' &&
    (length === undefined || length < 1 || length > MAX_TEXT)
  )
    limit(
      `Text ${name} needs a length from 1 to ${MAX_TEXT}, not ${length ?? 'none'}`
    );
  if (
    (type === 'LongTextArea' || type === 'Html') &&
    (length === undefined || length < 256 || length > MAX_LONG_TEXT)
  )
    limit(
      `${type} ${name} needs a length from 256 to ${MAX_LONG_TEXT.toLocaleString('en-US')}, not ${length ?? 'none'}`
    );
  if (
    (type === 'LongTextArea' || type === 'Html') &&
    !text(field, 'visibleLines')
  )
    limit(`${type} ${name} needs visibleLines`);
  if (['Number', 'Currency', 'Percent'].includes(type)) {
    if (precision === undefined || precision < 1 || precision > MAX_PRECISION)
      limit(
        `${type} ${name} needs a precision from 1 to ${MAX_PRECISION}, not ${precision ?? 'none'}`
      );
    else if (scale !== undefined && (scale < 0 || scale > precision))
      limit(
        `${type} ${name}: scale ${scale} must be from 0 to the precision ${precision}`
      );
  }
}

function checkEca(xml: readonly XmlFile[], add: Add): void {
  const apps = new Set(
    xml
      .filter((f) => f.root === 'ExternalClientApplication')
      .map((f) => basename(f.file).replace('.eca-meta.xml', ''))
  );
  for (const file of xml) {
    if (file.root === 'ExtlClntAppGlobalOauthSettings')
      add(
        file.file,
        'eca-secrets',
        'the global OAuth settings (consumer key, secret, certificate) are org-specific: never commit or deploy them from force-app'
      );
    if (!file.root.startsWith('ExtlClntApp')) continue;
    const app = text(file.body, 'externalClientApplication');
    if (!apps.has(app))
      add(
        file.file,
        'eca-reference',
        `externalClientApplication ${app || '(none)'}: no such External Client App in force-app`
      );
    if (
      file.root === 'ExtlClntAppOauthSettings' &&
      text(file.body, 'oauthLink')
    )
      add(
        file.file,
        'eca-secrets',
        "oauthLink ties the app to one org's OAuth consumer and fails the deploy anywhere else: remove it (the deploy generates it)"
      );
    if (file.root === 'ExtlClntAppOauthSettings') {
      const scopes = text(file.body, 'commaSeparatedOauthScopes')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const extra = scopes.filter((s) => !CONNECTOR_SCOPES.has(s));
      if (extra.length > 0)
        add(
          file.file,
          'eca-scopes',
          `scopes ${extra.join(', ')} are more than the connector needs (${[...CONNECTOR_SCOPES].join(', ')})`
        );
    }
  }
}

function checkBundles(
  lwc: readonly LwcBundle[],
  apiVersion: string,
  add: Add
): void {
  for (const bundle of lwc) {
    const meta = bundle.meta;
    if (!meta) continue;
    const version = text(meta.body, 'apiVersion');
    if (version !== apiVersion)
      add(
        meta.file,
        'api-version',
        `apiVersion ${version || '(none)'} differs from sourceApiVersion ${apiVersion} in sfdx-project.json`
      );
    for (const config of nodes(
      nodes(meta.body, 'targetConfigs')[0],
      'targetConfig'
    )) {
      const targets = String(config['@targets'] ?? '')
        .split(',')
        .map((t) => t.trim());
      if (
        targets.includes('lightning__RecordAction') &&
        nodes(config, 'property').length > 0
      )
        add(
          meta.file,
          'record-action-properties',
          'a targetConfig for lightning__RecordAction declares properties: quick actions take no component properties'
        );
    }
  }
}

/** The deploy rules of the shared reference, for every file they apply to. */
export function checkDeployRules(
  xml: readonly XmlFile[],
  lwc: readonly LwcBundle[],
  apiVersion: string
): Problem[] {
  const problems: Problem[] = [];
  const add: Add = (file, rule, message) =>
    problems.push({ file, rule, message });
  for (const file of xml) {
    if (file.root === 'FlexiPage') checkFlexipage(file, add);
    if (file.root === 'CustomField') checkField(file, add);
    if (file.root === 'CompactLayout') {
      const count = texts(file.body, 'fields').length;
      if (count > MAX_COMPACT_LAYOUT_FIELDS)
        add(
          file.file,
          'compact-layout-fields',
          `${count} fields; a compact layout takes at most ${MAX_COMPACT_LAYOUT_FIELDS}`
        );
    }
  }
  checkEca(xml, add);
  checkBundles(lwc, apiVersion, add);
  return problems;
}

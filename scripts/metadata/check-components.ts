import { basename } from 'node:path';
import type { LwcBundle, Problem, XmlFile } from './read-project.ts';
import type { XmlNode } from '../../sandboxes/salesforce/metadata/xml.ts';
import { nodes, text, texts } from '../../sandboxes/salesforce/metadata/xml.ts';
import type { Schema } from './schema.ts';
import { resolvePath, resolveQualified } from './schema.ts';

const SCHEMA_IMPORT = '@salesforce/schema/';
const LABEL_IMPORT = '@salesforce/label/c.';
/** App Builder properties whose name ends in "Field" hold a field path on the page's object. */
const isFieldProperty = (name: string) => /Field$/.test(name);
/** The js-meta target a component needs to be placed on a page of each FlexiPage type. */
const PAGE_TARGETS: Readonly<Record<string, string>> = {
  RecordPage: 'lightning__RecordPage',
  AppPage: 'lightning__AppPage',
  HomePage: 'lightning__HomePage',
  UtilityBar: 'lightning__UtilityBar'
};

interface BundleInfo {
  readonly exposed: boolean;
  readonly targets: ReadonlySet<string>;
  /** targetConfig per target: its declared properties and objects. */
  readonly configs: readonly {
    targets: string[];
    properties: XmlNode[];
    objects: string[];
  }[];
}

function bundleInfo(bundle: LwcBundle): BundleInfo {
  const body = bundle.meta?.body;
  const targetsNode = nodes(body, 'targets')[0];
  return {
    exposed: text(body, 'isExposed') === 'true',
    targets: new Set(texts(targetsNode, 'target')),
    configs: nodes(nodes(body, 'targetConfigs')[0], 'targetConfig').map(
      (c) => ({
        targets: String(c['@targets'] ?? '')
          .split(',')
          .map((t) => t.trim()),
        properties: nodes(c, 'property'),
        objects: texts(nodes(c, 'objects')[0], 'object')
      })
    )
  };
}

function checkBundle(
  bundle: LwcBundle,
  schema: Schema,
  labels: ReadonlySet<string>
): Problem[] {
  const problems: Problem[] = [];
  if (!bundle.meta)
    problems.push({
      file: bundle.dir,
      message: `LWC ${bundle.name} has no ${bundle.name}.js-meta.xml`
    });
  for (const { file, specifier } of bundle.imports) {
    if (specifier.startsWith(SCHEMA_IMPORT)) {
      const target = specifier.slice(SCHEMA_IMPORT.length);
      const resolved = target.includes('.')
        ? resolveQualified(schema, target)
        : schema.has(target)
          ? null
          : `object ${target} is unknown`;
      if (typeof resolved === 'string')
        problems.push({ file, message: `import ${specifier}: ${resolved}` });
    } else if (specifier.startsWith(LABEL_IMPORT)) {
      const label = specifier.slice(LABEL_IMPORT.length);
      if (!labels.has(label))
        problems.push({
          file,
          message: `import ${specifier}: no custom label ${label} in labels/CustomLabels.labels-meta.xml`
        });
    }
  }
  const info = bundleInfo(bundle);
  for (const config of info.configs) {
    for (const property of config.properties) {
      const name = String(property['@name'] ?? '');
      const value = String(property['@default'] ?? '');
      for (const object of config.objects) {
        if (isFieldProperty(name) && value) {
          const resolved = resolvePath(
            schema,
            object,
            value.replace(new RegExp(`^${object}\\.`), '')
          );
          if (typeof resolved === 'string')
            problems.push({
              file: bundle.meta?.file ?? bundle.dir,
              message: `property ${name} default: ${resolved}`
            });
        }
      }
    }
  }
  return problems;
}

function checkFlexipage(
  file: XmlFile,
  schema: Schema,
  bundles: ReadonlyMap<string, BundleInfo>
): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ file: file.file, message });
  const objectName = text(file.body, 'sobjectType');
  const target =
    PAGE_TARGETS[text(file.body, 'type')] ?? 'lightning__RecordPage';
  if (objectName && !schema.has(objectName))
    add(`sobjectType ${objectName} is unknown`);
  const components = nodes(file.body, 'flexiPageRegions')
    .flatMap((r) => nodes(r, 'itemInstances'))
    .flatMap((i) => nodes(i, 'componentInstance'));
  for (const component of components) {
    const name = text(component, 'componentName');
    const props = new Map(
      nodes(component, 'componentInstanceProperties').map((p) => [
        text(p, 'name'),
        text(p, 'value')
      ])
    );
    if (name === 'force:relatedListSingleContainer') {
      const relationship = props.get('relatedListApiName') ?? '';
      const parent = props.get('parentFieldApiName') ?? '';
      const fromCustom = [...schema.values()].some((o) =>
        [...o.fields.values()].some(
          (f) =>
            f.childRelationship === relationship &&
            f.relationship?.to === objectName
        )
      );
      if (relationship.endsWith('__r') && !fromCustom)
        add(
          `related list ${relationship}: no lookup to ${objectName} has that relationship name`
        );
      if (parent && parent !== `${objectName}.Id`)
        add(
          `related list ${relationship}: parentFieldApiName should be ${objectName}.Id, not ${parent}`
        );
      continue;
    }
    if (name.includes(':')) continue; // standard components (force:, flexipage:)
    const bundle = bundles.get(name);
    if (!bundle) {
      add(`component ${name}: no LWC of that name in force-app`);
      continue;
    }
    if (!bundle.exposed || !bundle.targets.has(target))
      add(`component ${name} is not exposed for ${target}`);
    const config = bundle.configs.find((c) => c.targets.includes(target));
    const declared = new Set(
      config?.properties.map((p) => String(p['@name'] ?? '')) ?? []
    );
    if (
      config &&
      config.objects.length > 0 &&
      !config.objects.includes(objectName)
    )
      add(`component ${name} does not support ${objectName}`);
    for (const [prop, value] of props) {
      if (!declared.has(prop)) add(`component ${name} has no property ${prop}`);
      else if (isFieldProperty(prop) && value) {
        const resolved = resolvePath(
          schema,
          objectName,
          value.replace(new RegExp(`^${objectName}\\.`), '')
        );
        if (typeof resolved === 'string')
          add(`component ${name} property ${prop}: ${resolved}`);
      }
    }
  }
  return problems;
}

function checkQuickAction(
  file: XmlFile,
  schema: Schema,
  bundles: ReadonlyMap<string, BundleInfo>
): Problem[] {
  const problems: Problem[] = [];
  const objectName = basename(file.file).split('.')[0] ?? '';
  if (!schema.has(objectName))
    problems.push({
      file: file.file,
      message: `quick action on unknown object ${objectName}`
    });
  if (text(file.body, 'type') === 'LightningWebComponent') {
    const name = text(file.body, 'lightningWebComponent');
    const bundle = bundles.get(name);
    if (!bundle)
      problems.push({
        file: file.file,
        message: `lightningWebComponent ${name}: no LWC of that name in force-app`
      });
    else if (!bundle.targets.has('lightning__RecordAction'))
      problems.push({
        file: file.file,
        message: `LWC ${name} has no lightning__RecordAction target`
      });
    if (text(file.body, 'optionsCreateFeedItem') === '')
      problems.push({
        file: file.file,
        message: 'optionsCreateFeedItem is required'
      });
  }
  return problems;
}

/** LWC imports, flexipages, quick actions and tabs reference things that exist. */
export function checkComponents(
  xml: readonly XmlFile[],
  lwc: readonly LwcBundle[],
  schema: Schema,
  labels: ReadonlySet<string>
): Problem[] {
  const bundles = new Map(lwc.map((b) => [b.name, bundleInfo(b)]));
  const problems = lwc.flatMap((b) => checkBundle(b, schema, labels));
  for (const file of xml) {
    if (file.root === 'FlexiPage')
      problems.push(...checkFlexipage(file, schema, bundles));
    if (file.root === 'QuickAction')
      problems.push(...checkQuickAction(file, schema, bundles));
    if (
      file.root === 'CustomTab' &&
      text(file.body, 'customObject') === 'true'
    ) {
      const objectName = basename(file.file).replace('.tab-meta.xml', '');
      if (!schema.get(objectName)?.file)
        problems.push({
          file: file.file,
          message: `tab for ${objectName}: no such custom object in force-app`
        });
    }
  }
  return problems;
}

/** Names of the custom labels defined in force-app. */
export function labelNames(xml: readonly XmlFile[]): Set<string> {
  return new Set(
    xml
      .filter((f) => f.root === 'CustomLabels')
      .flatMap((f) => nodes(f.body, 'labels').map((l) => text(l, 'fullName')))
  );
}

/** Names of the custom tabs defined in force-app. */
export function tabNames(xml: readonly XmlFile[]): Set<string> {
  return new Set(
    xml
      .filter((f) => f.root === 'CustomTab')
      .map((f) => basename(f.file).replace('.tab-meta.xml', ''))
  );
}

/** `Object.Action` names of the quick actions defined in force-app. */
export function quickActionNames(xml: readonly XmlFile[]): Set<string> {
  return new Set(
    xml
      .filter((f) => f.root === 'QuickAction')
      .map((f) => basename(f.file).replace('.quickAction-meta.xml', ''))
  );
}

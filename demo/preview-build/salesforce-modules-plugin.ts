import type { Plugin } from 'rollup';

export interface SalesforceModulesOptions {
  /** Values of the org's Custom Labels, by full name. */
  labels: Map<string, string>;
  /** Absolute paths of the browser stand-ins. */
  uiRecordApiPath: string;
  uiGraphQLApiPath: string;
  formFactorPath: string;
}

const SCHEMA_PREFIX = '@salesforce/schema/';
const LABEL_PREFIX = '@salesforce/label/c.';
const VIRTUAL_SCHEMA = '\0sf-schema:';
const VIRTUAL_LABEL = '\0sf-label:';

/**
 * Resolves the platform-provided `@salesforce/*`, `lightning/uiRecordApi` and `lightning/uiGraphQLApi` modules the way the
 * Lightning platform does at compile time, so the component from force-app builds unchanged with LWC OSS.
 * Must come before the LWC plugin: the first resolver wins, and lightning-base-components ships its own
 * `@salesforce/client/formFactor` that always says 'Large'.
 */
export function createSalesforceModulesPlugin(
  options: SalesforceModulesOptions
): Plugin {
  return {
    name: 'worklink-preview-salesforce-modules',
    resolveId(source) {
      if (source.startsWith(SCHEMA_PREFIX))
        return VIRTUAL_SCHEMA + source.slice(SCHEMA_PREFIX.length);
      if (source.startsWith(LABEL_PREFIX))
        return VIRTUAL_LABEL + source.slice(LABEL_PREFIX.length);
      if (source === '@salesforce/client/formFactor')
        return options.formFactorPath;
      if (source === 'lightning/uiRecordApi') return options.uiRecordApiPath;
      if (source === 'lightning/uiGraphQLApi') return options.uiGraphQLApiPath;
      return null;
    },
    load(id) {
      if (id.startsWith(VIRTUAL_SCHEMA))
        return schemaModule(id.slice(VIRTUAL_SCHEMA.length));
      if (id.startsWith(VIRTUAL_LABEL)) {
        const name = id.slice(VIRTUAL_LABEL.length);
        let value = options.labels.get(name);
        if (value === undefined) {
          // The platform would refuse to compile; the preview still renders and shows the label's name.
          this.warn(
            `Custom Label c.${name} is not defined in force-app's CustomLabels`
          );
          value = `c.${name}`;
        }
        return `export default ${JSON.stringify(value)};`;
      }
      return null;
    },
    transform(code) {
      // The LWC engine branches on NODE_ENV and lightning-base-components on Vite's `import.meta.env.SSR`;
      // a browser has neither.
      if (
        !code.includes('process.env.NODE_ENV') &&
        !code.includes('import.meta.env')
      )
        return null;
      const replaced = code
        .replaceAll('process.env.NODE_ENV', JSON.stringify('production'))
        .replaceAll('import.meta.env.SSR', 'false')
        .replaceAll('import.meta.env', '({})');
      return { code: replaced, map: null };
    }
  };
}

/** `@salesforce/schema/WorkOrder.Asset.Name` → `{ objectApiName: 'WorkOrder', fieldApiName: 'Asset.Name' }`. */
export function schemaModule(reference: string): string {
  const dot = reference.indexOf('.');
  const value =
    dot < 0
      ? { objectApiName: reference }
      : {
          objectApiName: reference.slice(0, dot),
          fieldApiName: reference.slice(dot + 1)
        };
  return `export default ${JSON.stringify(value)};`;
}

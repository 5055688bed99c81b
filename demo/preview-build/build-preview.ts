import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import lwcPluginModule from '@lwc/rollup-plugin';
import type { Plugin } from 'rollup';
import { readCustomLabels } from './custom-labels.ts';
import { readQuickActions } from './quick-actions.ts';
import type { QuickActionComponent } from './quick-actions.ts';
import { createSalesforceModulesPlugin } from './salesforce-modules-plugin.ts';

export const REPO_ROOT = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../..'
);
export const PREVIEW_DIR = join(REPO_ROOT, 'preview');
export const FORCE_APP_LWC_DIR = join(REPO_ROOT, 'force-app/main/default/lwc');
const LABELS_PATH = join(
  REPO_ROOT,
  'force-app/main/default/labels/CustomLabels.labels-meta.xml'
);
export const QUICK_ACTIONS_DIR = join(
  REPO_ROOT,
  'force-app/main/default/quickActions'
);
const COMPONENTS_ENTRY = '\0preview-components';

// @lwc/rollup-plugin is CommonJS whose typings declare an ES default export: under Node's ESM loader the
// function is the module itself, while the typings see it behind `.default`.
type LwcPlugin = (typeof lwcPluginModule)['default'];
const lwc: LwcPlugin =
  (lwcPluginModule as unknown as { default?: LwcPlugin }).default ??
  (lwcPluginModule as unknown as LwcPlugin);

export interface BuildPreviewOptions {
  outDir: string;
  /** Which c/<name> component each record page shows; default: the package's LWC quick actions. */
  entryPoints?: QuickActionComponent[];
}

export interface PreviewBuild {
  outDir: string;
  /** Object API name → the c/<name> component its page shows. */
  components: Record<string, string>;
}

/** Every `lwc/<name>/<name>.js` as an alias record `c/<name>`, the namespace the platform gives org components. */
function namespaceCModules(lwcDir: string): { name: string; path: string }[] {
  if (!existsSync(lwcDir)) return [];
  return readdirSync(lwcDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(join(lwcDir, entry.name, `${entry.name}.js`))
    )
    .map((entry) => ({
      name: `c/${entry.name}`,
      path: join(lwcDir, entry.name, `${entry.name}.js`)
    }));
}

function checkComponent(name: string): void {
  if (!existsSync(join(FORCE_APP_LWC_DIR, name, `${name}.js`))) {
    throw new Error(`No LWC named ${name} in ${FORCE_APP_LWC_DIR}`);
  }
}

/** `worklinkLauncher` → `c-worklink-launcher`, the element name the platform gives the component. */
export function tagNameOf(componentName: string): string {
  return `c-${componentName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * `preview:components`: per object API name the component class, its element name and the quick
 * action's label, e.g. `{ WorkOrder: { component, tagName: 'c-worklink-launcher', actionLabel } }`.
 */
export function componentsEntrySource(
  entryPoints: QuickActionComponent[]
): string {
  const imports = entryPoints.map(
    (entry, index) =>
      `import component${index} from 'c/${entry.componentName}';`
  );
  const members = entryPoints.map(
    (entry, index) =>
      `  ${JSON.stringify(entry.objectApiName)}: { component: component${index}, tagName: ${JSON.stringify(tagNameOf(entry.componentName))}, actionLabel: ${JSON.stringify(entry.label)} }`
  );
  return `${imports.join('\n')}\nexport default {\n${members.join(',\n')}\n};\n`;
}

function componentsEntryPlugin(entryPoints: QuickActionComponent[]): Plugin {
  return {
    name: 'worklink-preview-components-entry',
    resolveId: (source) =>
      source === 'preview:components' ? COMPONENTS_ENTRY : null,
    load: (id) =>
      id === COMPONENTS_ENTRY ? componentsEntrySource(entryPoints) : null
  };
}

/**
 * Compiles the record page preview: the page shell, the real components from force-app under namespace
 * `c`, lightning-base-components, and stand-ins for the platform modules, into one ES module bundle.
 */
export async function buildPreview(
  options: BuildPreviewOptions
): Promise<PreviewBuild> {
  const entryPoints =
    options.entryPoints ?? readQuickActions(QUICK_ACTIONS_DIR);
  if (entryPoints.length === 0)
    throw new Error(`No LWC quick actions in ${QUICK_ACTIONS_DIR}`);
  for (const entry of entryPoints) checkComponent(entry.componentName);
  const labels = await readCustomLabels(LABELS_PATH);
  const bundle = await rollup({
    input: {
      main: join(PREVIEW_DIR, 'src/main.js'),
      // The WorkLink app's pages (Unmatched Inbox, Health): preview/app.html.
      'app-page': join(PREVIEW_DIR, 'src/app-page.js')
    },
    onwarn(warning, warn) {
      if (
        warning.code === 'CIRCULAR_DEPENDENCY' ||
        warning.code === 'THIS_IS_UNDEFINED'
      )
        return;
      // lightning-base-components compiles with template warnings of its own (e.g. LWC1137 duplicate slots).
      if (warning.id?.includes('lightning-base-components')) return;
      warn(warning);
    },
    plugins: [
      componentsEntryPlugin(entryPoints),
      createSalesforceModulesPlugin({
        labels,
        uiRecordApiPath: join(PREVIEW_DIR, 'src/standins/uiRecordApi.js'),
        uiGraphQLApiPath: join(PREVIEW_DIR, 'src/standins/uiGraphQLApi.js'),
        formFactorPath: join(PREVIEW_DIR, 'src/standins/formFactor.js')
      }),
      lwc({
        rootDir: join(PREVIEW_DIR, 'src'),
        modules: [
          ...namespaceCModules(FORCE_APP_LWC_DIR),
          // lightning-base-components has no record picker; the inbox's pickers get the stand-in.
          {
            name: 'lightning/recordPicker',
            path: join(PREVIEW_DIR, 'src/standins/recordPicker/recordPicker.js')
          },
          { npm: 'lightning-base-components' }
        ]
      })
    ]
  });
  try {
    await bundle.write({
      dir: options.outDir,
      format: 'esm',
      entryFileNames: '[name].js',
      sourcemap: false
    });
  } finally {
    await bundle.close();
  }
  return {
    outDir: options.outDir,
    components: Object.fromEntries(
      entryPoints.map((entry) => [entry.objectApiName, entry.componentName])
    )
  };
}

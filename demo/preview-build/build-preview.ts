import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import lwcPluginModule from '@lwc/rollup-plugin';
import type { Plugin } from 'rollup';
import { readCustomLabels } from './custom-labels.ts';
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
const COMPONENT_ENTRY = '\0preview-component';

// @lwc/rollup-plugin is CommonJS whose typings declare an ES default export: under Node's ESM loader the
// function is the module itself, while the typings see it behind `.default`.
type LwcPlugin = (typeof lwcPluginModule)['default'];
const lwc: LwcPlugin =
  (lwcPluginModule as unknown as { default?: LwcPlugin }).default ??
  (lwcPluginModule as unknown as LwcPlugin);

export interface BuildPreviewOptions {
  outDir: string;
  /** The c/<name> component from force-app shown on the page. */
  componentName?: string;
}

export interface PreviewBuild {
  outDir: string;
  componentName: string;
  componentDir: string;
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

function pickComponent(name: string): { name: string; dir: string } {
  if (!existsSync(join(FORCE_APP_LWC_DIR, name, `${name}.js`))) {
    throw new Error(`No LWC named ${name} in ${FORCE_APP_LWC_DIR}`);
  }
  return { name, dir: FORCE_APP_LWC_DIR };
}

/** `worklinkLauncher` → `c-worklink-launcher`, the element name the platform gives the component. */
export function tagNameOf(componentName: string): string {
  return `c-${componentName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function componentEntryPlugin(componentName: string): Plugin {
  return {
    name: 'worklink-preview-component-entry',
    resolveId: (source) =>
      source === 'preview:component' ? COMPONENT_ENTRY : null,
    load: (id) =>
      id === COMPONENT_ENTRY
        ? `export { default } from 'c/${componentName}';\nexport const tagName = ${JSON.stringify(tagNameOf(componentName))};`
        : null
  };
}

/**
 * Compiles the Work Order page preview: the page shell, the real component from force-app under namespace
 * `c`, lightning-base-components, and stand-ins for the platform modules, into one ES module bundle.
 */
export async function buildPreview(
  options: BuildPreviewOptions
): Promise<PreviewBuild> {
  const component = pickComponent(options.componentName ?? 'worklinkLauncher');
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
      componentEntryPlugin(component.name),
      createSalesforceModulesPlugin({
        labels,
        uiRecordApiPath: join(PREVIEW_DIR, 'src/standins/uiRecordApi.js'),
        uiGraphQLApiPath: join(PREVIEW_DIR, 'src/standins/uiGraphQLApi.js'),
        formFactorPath: join(PREVIEW_DIR, 'src/standins/formFactor.js')
      }),
      lwc({
        rootDir: join(PREVIEW_DIR, 'src'),
        modules: [
          ...namespaceCModules(component.dir),
          ...(component.dir === FORCE_APP_LWC_DIR
            ? []
            : namespaceCModules(FORCE_APP_LWC_DIR)),
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
    componentName: component.name,
    componentDir: component.dir
  };
}

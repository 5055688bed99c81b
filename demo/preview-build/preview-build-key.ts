import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  FORCE_APP_LWC_DIR,
  PREVIEW_DIR,
  QUICK_ACTIONS_DIR,
  REPO_ROOT
} from './build-preview.ts';

const BUILD_CODE = [
  'build-preview.ts',
  'salesforce-modules-plugin.ts',
  'custom-labels.ts',
  'quick-actions.ts'
].map((file) => join(REPO_ROOT, 'demo/preview-build', file));
const PACKAGES = [
  'lwc',
  '@lwc/rollup-plugin',
  'lightning-base-components',
  'rollup'
];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && !entry.parentPath.includes('__tests__')
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A digest of everything the preview bundle is made from: same key, same bundle. */
export function previewBuildKey(): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(FORCE_APP_LWC_DIR),
    ...filesUnder(join(PREVIEW_DIR, 'src')),
    ...filesUnder(QUICK_ACTIONS_DIR),
    join(
      REPO_ROOT,
      'force-app/main/default/labels/CustomLabels.labels-meta.xml'
    ),
    ...BUILD_CODE,
    ...PACKAGES.map((name) =>
      join(REPO_ROOT, 'node_modules', name, 'package.json')
    )
  ].sort();
  for (const file of files) {
    hash.update(relative(REPO_ROOT, file));
    hash.update(existsSync(file) ? readFileSync(file) : 'missing');
  }
  return hash.digest('hex').slice(0, 16);
}

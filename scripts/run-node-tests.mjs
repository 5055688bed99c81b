// Runs every connector, sandbox, demo and process TypeScript test with Node's own test runner
// (the browser test under test/browser runs apart: npm run test:e2e).
// Node 20's --test cannot glob .ts files itself, so the list is built here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (
      entry.name.endsWith('.test.ts') &&
      !path.includes(`${join('test', 'browser')}`)
    )
      files.push(path);
  }
};
roots.forEach(walk);
files.sort();
if (files.length === 0) {
  console.error('No *.test.ts files found under', roots.join(', '));
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit' }
);
process.exit(result.status ?? 1);

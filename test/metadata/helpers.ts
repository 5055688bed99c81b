// Break-a-copy helpers: each test breaks a private copy of force-app and expects the validator to
// name the file and the rule.
import { strict as assert } from 'node:assert';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after } from 'node:test';
import { validateProject } from '../../scripts/metadata/validate-project.ts';

export const REPO = resolve(import.meta.dirname, '../..');
export const DEFAULT = 'force-app/main/default';
const copies: string[] = [];

/** A private copy of the project's Salesforce source, to break on purpose. */
export function copyProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'worklink-metadata-'));
  copies.push(root);
  cpSync(join(REPO, 'force-app'), join(root, 'force-app'), { recursive: true });
  cpSync(join(REPO, 'config'), join(root, 'config'), { recursive: true });
  for (const file of ['sfdx-project.json', '.forceignore'])
    cpSync(join(REPO, file), join(root, file));
  return root;
}

export function edit(
  root: string,
  file: string,
  change: (text: string) => string
): void {
  const path = join(root, DEFAULT, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  writeFileSync(path, after);
}

export async function problemsOf(root: string): Promise<string[]> {
  const report = await validateProject({ projectRoot: root });
  return report.problems.map((p) => `${p.file}: [${p.rule}] ${p.message}`);
}

export function assertProblem(
  problems: string[],
  file: string,
  pattern: RegExp
): void {
  assert.ok(
    problems.some((p) => p.startsWith(file) && pattern.test(p)),
    `expected a problem in ${file} matching ${pattern}, got:\n${problems.join('\n')}`
  );
}

/** Breaks one file in a fresh copy of the project and expects the validator to name it and the rule. */
export async function assertEditRejected(
  file: string,
  change: (text: string) => string,
  pattern: RegExp,
  rule?: string
): Promise<void> {
  const root = copyProject();
  edit(root, file, change);
  const problems = await problemsOf(root);
  assertProblem(problems, `${DEFAULT}/${file}`, pattern);
  if (rule) assertProblem(problems, `${DEFAULT}/${file}: [${rule}]`, pattern);
}

after(() =>
  copies.forEach((dir) => rmSync(dir, { recursive: true, force: true }))
);

/** Writes a new file (relative to force-app/main/default) into a copy. */
export function addFile(root: string, file: string, text: string): void {
  const path = join(root, DEFAULT, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

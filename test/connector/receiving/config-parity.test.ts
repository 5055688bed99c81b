// The configuration's descriptions agree: the zod schema (connector/src/config.ts), .env.example (every
// variable with its default), the groups of docs/operating-the-connector.md (Essentials, Scope unknowns,
// Tuning; .env.example uses the same) and app.json's env list (Heroku).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_VARIABLES, loadConfig } from '../../../connector/src/config.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** Variables read by a library rather than by the connector's schema, with the reader. */
const LIBRARY_VARIABLES: Record<string, string> = {
  PGSSLMODE: 'pg (node-postgres) reads it for every connection'
};

interface EnvExampleEntry {
  name: string;
  value: string;
  group: string;
}

function readEnvExample(text: string): EnvExampleEntry[] {
  const entries: EnvExampleEntry[] = [];
  let group = '';
  for (const line of text.split('\n')) {
    const heading = /^# =+ (.+?) =+$/.exec(line);
    if (heading?.[1]) group = heading[1];
    const assignment = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment?.[1] !== undefined && assignment[2] !== undefined)
      entries.push({ name: assignment[1], value: assignment[2], group });
  }
  return entries;
}

/** Variable → group from the tables under `### <group>` in the docs page's Configuration section. */
function readDocumentedGroups(text: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  let group = '';
  for (const line of text.split('\n')) {
    const heading = /^(#{2,3}) (.+)$/.exec(line);
    if (heading) group = heading[1] === '###' ? (heading[2] ?? '') : '';
    const variable = /^\| `([A-Z][A-Z0-9_]*)` /.exec(line)?.[1];
    if (group && variable)
      groups.set(variable, [...(groups.get(variable) ?? []), group]);
  }
  return groups;
}

const envExample = readEnvExample(read('.env.example'));
const documented = readDocumentedGroups(
  read('docs/operating-the-connector.md')
);
const appEnv = (
  JSON.parse(read('app.json')) as {
    env: Record<string, { value?: string; required?: boolean }>;
  }
).env;

describe('configuration parity', () => {
  it('.env.example names every schema variable exactly once, and nothing else', () => {
    const names = envExample.map((e) => e.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
      'duplicates'
    );
    assert.deepEqual([...names].sort(), [...CONFIG_VARIABLES].sort());
  });

  it('.env.example puts each variable in one of the three documented groups', () => {
    const groups = new Set(envExample.map((e) => e.group));
    assert.deepEqual(
      [...groups].sort(),
      ['Essentials', 'Scope unknowns', 'Tuning'].sort()
    );
  });

  it('docs/operating-the-connector.md documents every variable once, in the group .env.example gives it', () => {
    assert.deepEqual(
      [...documented.keys()].sort(),
      [...CONFIG_VARIABLES].sort()
    );
    const misplaced = envExample
      .filter((e) => documented.get(e.name)?.join() !== e.group)
      .map(
        (e) =>
          `${e.name}: docs ${documented.get(e.name)?.join(' + ')}, .env.example ${e.group}`
      );
    assert.deepEqual(misplaced, []);
  });

  it('every value in .env.example is the default', () => {
    const values = Object.fromEntries(envExample.map((e) => [e.name, e.value]));
    assert.deepEqual(loadConfig(values), loadConfig({}));
  });

  it("app.json's env list holds only variables the schema (or a named library) reads, with valid values", () => {
    const unknown = Object.keys(appEnv).filter(
      (name) => !CONFIG_VARIABLES.includes(name) && !(name in LIBRARY_VARIABLES)
    );
    assert.deepEqual(unknown, []);
    const values = Object.fromEntries(
      Object.entries(appEnv)
        .filter(
          ([name, v]) => v.value !== undefined && !(name in LIBRARY_VARIABLES)
        )
        .map(([name, v]) => [name, v.value])
    );
    assert.doesNotThrow(() => loadConfig(values));
  });

  it('drops what the connector never reads', () => {
    assert.ok(!CONFIG_VARIABLES.includes('NODE_ENV'));
    assert.ok(!('NODE_ENV' in appEnv));
  });
});

// The README and docs/ stay true to the repository: the README's layout names only paths git tracks and
// every top-level directory, every relative link (and its #anchor) resolves, and no table row is broken
// by a pipe inside a code span (GitHub splits the cell there; write &#124; or reword).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tracked = execFileSync('git', ['ls-files'], {
  cwd: root,
  encoding: 'utf8'
})
  .split('\n')
  .filter(Boolean);
const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`)
];
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): { line: string; number: number }[] {
  let fenced = false;
  const out: { line: string; number: number }[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) out.push({ line, number: i + 1 });
  });
  return out;
}

/** The paths on the README's layout lines: before the first run of two spaces, space-separated. */
function layoutPaths(readme: string): string[] {
  const section = /^## Layout\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  assert.ok(section, 'README.md has a "## Layout" section');
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the Layout section has a code block');
  return block
    .split('\n')
    .filter((line) => line !== '' && !/^\s/.test(line))
    .flatMap((line) => (line.split(/ {2,}/)[0] ?? '').split(' '))
    .filter(Boolean);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Code spans of a line that contain an unescaped `|`. */
function pipesInCodeSpans(line: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < line.length;) {
    if (line[i] !== '`') {
      i += 1;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n += 1;
    const close = line.indexOf('`'.repeat(n), i + n);
    if (close < 0) {
      i += n;
      continue;
    }
    const span = line.slice(i + n, close);
    if (/(^|[^\\])\|/.test(span)) found.push(span);
    i = close + n;
  }
  return found;
}

describe('README layout', () => {
  const paths = layoutPaths(read('README.md'));

  it('names only paths git tracks', () => {
    const missing = paths.filter((p) =>
      p.endsWith('/')
        ? !tracked.some((f) => f.startsWith(p))
        : !tracked.includes(p)
    );
    assert.deepEqual(missing, []);
  });

  it('names every top-level directory', () => {
    const directories = [
      ...new Set(
        tracked.filter((f) => f.includes('/')).map((f) => f.split('/')[0])
      )
    ];
    const unnamed = directories.filter(
      (d) => !paths.some((p) => p.startsWith(`${d}/`))
    );
    assert.deepEqual(unnamed, []);
  });
});

describe('docs links and tables', () => {
  it('every relative link points to an existing file (and heading)', () => {
    const broken: string[] = [];
    for (const doc of docs) {
      for (const { line, number } of proseLines(read(doc))) {
        for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const target = match[1] ?? '';
          if (/^[a-z]+:/i.test(target)) continue;
          const [file = '', anchor] = target.split('#');
          const path = file
            ? relative(root, join(root, dirname(doc), file))
            : doc;
          if (!existsSync(join(root, path)))
            broken.push(`${doc}:${number} ${target}`);
          else if (
            anchor &&
            path.endsWith('.md') &&
            !anchorsOf(read(path)).has(anchor)
          )
            broken.push(`${doc}:${number} ${target} (no such heading)`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('no table row has a pipe inside a code span', () => {
    const broken = docs.flatMap((doc) =>
      proseLines(read(doc))
        .filter(({ line }) => line.trimStart().startsWith('|'))
        .flatMap(({ line, number }) =>
          pipesInCodeSpans(line).map((span) => `${doc}:${number} \`${span}\``)
        )
    );
    assert.deepEqual(broken, []);
  });

  it('the checks themselves catch what they look for', () => {
    assert.deepEqual(pipesInCodeSpans('| `a|b` | `c\\|d` | ``e|f`` |'), [
      'a|b',
      'e|f'
    ]);
    assert.ok(
      anchorsOf('## Processing: Scope → Salesforce').has(
        'processing-scope--salesforce'
      )
    );
    assert.deepEqual(
      layoutPaths(
        '## Layout\n\n```\na/ b.md  text\n  more text\n```\n\n## Next\n'
      ),
      ['a/', 'b.md']
    );
  });
});

// The connector's code stays enterable: each file says its job in a header comment, and no function
// is longer than 80 lines (a longer one is split into named stages with explicit inputs and outcomes).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import ts from 'typescript';

const MAX_FUNCTION_LINES = 80;

const connectorFiles = execFileSync('git', ['ls-files', 'connector/src'], {
  encoding: 'utf8'
})
  .split('\n')
  .filter((file) => file.endsWith('.ts'));

function longFunctions(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lineOf = (pos: number) =>
    source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.end) - lineOf(node.getStart()) + 1;
      if (lines > MAX_FUNCTION_LINES)
        found.push(`${file}:${lineOf(node.getStart()) + 1} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('connector code shape', () => {
  it('finds the connector sources', () => {
    assert.ok(connectorFiles.length > 50, `${connectorFiles.length} files`);
  });

  it('starts every file with a comment that says its job', () => {
    const bare = connectorFiles.filter(
      (file) => !/^\s*(\/\/|\/\*)/.test(readFileSync(file, 'utf8'))
    );
    assert.deepEqual(bare, []);
  });

  it(`has no function longer than ${MAX_FUNCTION_LINES} lines`, () => {
    assert.deepEqual(connectorFiles.flatMap(longFunctions), []);
  });
});

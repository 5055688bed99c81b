import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CALL_TYPE_CANDIDATES,
  resolveCallSchema
} from '../../../connector/src/scope/call-schema.ts';

const fields = (...names: string[]) => ({
  fields: names.map((name) => ({ name }))
});
const root = (...entries: [string, string][]) => ({
  fields: entries.map(([name, type]) => ({
    name,
    type: {
      name: null,
      kind: 'NON_NULL',
      ofType: { name: type, kind: 'OBJECT' }
    }
  }))
});

describe('resolveCallSchema', () => {
  it('takes the first candidate the schema has and the root returning its connection', () => {
    const schema = resolveCallSchema(
      {},
      CALL_TYPE_CANDIDATES,
      [null, fields('id', 'updatedAt'), null],
      root(
        ['scenarioSessions', 'ScenarioSessionConnection'],
        ['callSessions', 'CallSessionConnection']
      )
    );
    assert.equal(schema.typeName, 'CallSession');
    assert.equal(schema.rootField, 'callSessions');
    assert.deepEqual([...(schema.fields ?? [])], ['id', 'updatedAt']);
    assert.deepEqual(schema.problems, []);
  });

  it('keeps the type but names the missing root when no Query field returns its connection', () => {
    const schema = resolveCallSchema(
      {},
      ['Call'],
      [fields('id')],
      root(['viewer', 'User'])
    );
    assert.equal(schema.typeName, 'Call');
    assert.equal(schema.rootField, null);
    assert.match(
      schema.problems.join(),
      /no Query field returns CallConnection.*SCOPE_CALLS_FIELD/
    );
  });

  it('assumes the configured or default root when the answer leaves the Query type out', () => {
    const schema = resolveCallSchema(
      { rootField: 'expertCalls' },
      ['Call'],
      [fields('id')],
      null
    );
    assert.deepEqual(
      [schema.rootField, schema.rootSource],
      ['expertCalls', 'configured']
    );
    const unconfigured = resolveCallSchema(
      {},
      ['Call'],
      [fields('id')],
      undefined
    );
    assert.deepEqual(
      [unconfigured.rootField, unconfigured.rootSource],
      ['calls', 'assumed']
    );
  });

  it('assumes the names, rather than disabling calls, when the answer describes nothing at all', () => {
    const schema = resolveCallSchema({}, CALL_TYPE_CANDIDATES, [], null);
    assert.deepEqual(
      [schema.typeName, schema.typeSource, schema.problems],
      ['Call', 'assumed', []]
    );
  });

  it('rejects a configured root the Query type lacks', () => {
    const schema = resolveCallSchema(
      { typeName: 'Call', rootField: 'nope' },
      ['Call'],
      [fields('id')],
      root(['calls', 'CallConnection'])
    );
    assert.equal(schema.rootField, null);
    assert.match(
      schema.problems.join(),
      /SCOPE_CALLS_FIELD=nope is not a field of Query/
    );
  });
});

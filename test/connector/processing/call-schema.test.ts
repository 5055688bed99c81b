import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CALL_TYPE_CANDIDATES,
  resolveCallSchema
} from '../../../connector/src/scope/call-schema.ts';
import {
  buildCapabilitiesQuery,
  readCapabilities
} from '../../../connector/src/scope/scope-capabilities.ts';

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

describe('readCapabilities (the one introspection answer)', () => {
  const input = {
    call: {},
    candidates: [...CALL_TYPE_CANDIDATES],
    sessionType: 'ScenarioSession',
    otherTypes: ['User', 'Attachment']
  };
  const dateTime = { name: 'ISO8601DateTime', kind: 'SCALAR' };
  const connection = (name: string, ...connectionFields: string[]) => ({
    name: null,
    kind: 'NON_NULL',
    ofType: {
      name,
      kind: 'OBJECT',
      fields: connectionFields.map((n) => ({ name: n }))
    }
  });

  it('settles the Call names, the types’ fields, and each connection’s since argument and totalCount', () => {
    const capabilities = readCapabilities(input, {
      t0: fields('id', 'updatedAt'),
      t1: null,
      t2: fields('id', 'state'),
      t3: null,
      x0: fields('id', 'email'),
      x1: null,
      q: {
        fields: [
          {
            name: 'scenarioSessions',
            args: [
              { name: 'first', type: { name: 'Int', kind: 'SCALAR' } },
              { name: 'updatedSince', type: dateTime }
            ],
            type: connection('ScenarioSessionConnection', 'nodes', 'totalCount')
          },
          {
            name: 'callSessions',
            // A "since" argument that is no date does not count.
            args: [
              { name: 'updatedSince', type: { name: 'Int', kind: 'SCALAR' } }
            ],
            type: connection('CallSessionConnection', 'nodes')
          }
        ]
      }
    });
    assert.equal(capabilities.callSchema.typeName, 'CallSession');
    assert.equal(capabilities.callSchema.rootField, 'callSessions');
    assert.deepEqual(capabilities.sessions, {
      available: true,
      sinceArgument: 'updatedSince',
      sinceType: 'ISO8601DateTime',
      totalCount: true
    });
    assert.deepEqual(capabilities.calls, {
      available: true,
      totalCount: false,
      rootField: 'callSessions'
    });
    assert.deepEqual([...(capabilities.fields.Call ?? [])], ['id', 'state']);
    assert.deepEqual([...(capabilities.fields.User ?? [])], ['id', 'email']);
    assert.equal(capabilities.fields.Attachment?.size, 0);
    assert.equal(capabilities.types.has('Attachment'), false);
    assert.equal(
      capabilities.types.get('ScenarioSession')?.has('updatedAt'),
      true
    );
  });

  it('asks for every type by variable in one WorkLinkOptionalFields request', () => {
    const { query, variables } = buildCapabilitiesQuery(input);
    assert.match(query, /^query WorkLinkOptionalFields\(/);
    assert.deepEqual(variables, {
      t0: 'ScenarioSession',
      t1: 'Call',
      t2: 'CallSession',
      t3: 'RemoteAssistanceCall',
      x0: 'User',
      x1: 'Attachment'
    });
    assert.match(query, /q: __type\(name: "Query"\)/);
  });
});

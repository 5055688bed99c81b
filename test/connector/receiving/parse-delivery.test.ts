import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  normalizeResourceType,
  parseDelivery,
  parseTopic
} from '../../../connector/src/webhooks/parse-delivery.ts';
import { exceedsJsonDepth } from '../../../connector/src/webhooks/json-depth.ts';

const gen2 = (topic?: string) => ({ topic, hasGen2Headers: true });
const plain = { hasGen2Headers: false };

describe('parseDelivery — generation 1 (reference §2.1)', () => {
  it('parses the documented body', () => {
    const body = {
      time: '2020-10-20T18:06:02Z',
      event: 'create',
      type: 'resource',
      data: {
        'resource-id': 'U2NlbmFyaW9TZXNzaW9uLTEyMw==',
        'resource-url':
          'https://cms.scopear.com/api/v3/graphql/object/U2NlbmFyaW9TZXNzaW9uLTEyMw==',
        'resource-type': 'ScenarioSession'
      }
    };
    assert.deepEqual(parseDelivery(body, plain), {
      kind: 'event',
      generation: 1,
      resourceId: 'U2NlbmFyaW9TZXNzaW9uLTEyMw==',
      resourceType: 'ScenarioSession',
      event: 'create',
      sentAt: '2020-10-20T18:06:02.000Z'
    });
  });
  it('accepts underscore keys and any casing of the type name', () => {
    for (const name of [
      'scenariosession',
      'ScenarioSession',
      'scenario_session',
      'SCENARIO-SESSION'
    ]) {
      const result = parseDelivery(
        {
          event: 'updated',
          type: 'resource',
          data: { resource_id: 'abc', resource_type: name }
        },
        plain
      );
      assert.equal(
        result.kind === 'event' && result.resourceType,
        'ScenarioSession',
        name
      );
    }
    const call = parseDelivery(
      {
        event: 'update',
        type: 'resource',
        data: { 'resource-id': 'Q2FsbC8x', 'resource-type': 'call' }
      },
      plain
    );
    assert.equal(call.kind === 'event' && call.resourceType, 'Call');
  });
  it('leaves an unknown or ambiguous label to Scope (one docs example labels a session "scenario")', () => {
    for (const label of ['scenario', 'Scenario', 'Widget', undefined]) {
      const result = parseDelivery(
        {
          event: 'create',
          type: 'resource',
          data: { 'resource-id': 'U2Vzc2lvbi8x', 'resource-type': label }
        },
        plain
      );
      assert.deepEqual(
        result,
        {
          kind: 'event',
          generation: 1,
          resourceId: 'U2Vzc2lvbi8x',
          event: 'create'
        },
        String(label)
      );
    }
  });
  it('ignores payload types other than "resource"', () => {
    const result = parseDelivery(
      {
        event: 'create',
        type: 'billing',
        data: { 'resource-id': 'x', 'resource-type': 'ScenarioSession' }
      },
      plain
    );
    assert.equal(result.kind, 'ignored');
  });
  it('refuses a time PostgreSQL cannot store, naming the field', () => {
    for (const time of [
      '0000-01-01T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '+010000-01-01T00:00:00Z'
    ]) {
      assert.ok(!Number.isNaN(Date.parse(time)), `Date.parse accepts ${time}`);
      const result = parseDelivery(
        {
          time,
          event: 'create',
          type: 'resource',
          data: { 'resource-id': 'x', 'resource-type': 'ScenarioSession' }
        },
        plain
      );
      assert.equal(result.kind, 'invalid', time);
      assert.equal(result.kind === 'invalid' && result.field, 'time', time);
      assert.match(
        result.kind === 'invalid' ? result.message : '',
        /^time: must be between 1970-01-01 and 9999-12-31/
      );
    }
    const last = parseDelivery(
      {
        time: '9999-12-31T23:59:59Z',
        event: 'create',
        type: 'resource',
        data: { 'resource-id': 'x', 'resource-type': 'ScenarioSession' }
      },
      plain
    );
    assert.equal(
      last.kind === 'event' && last.sentAt,
      '9999-12-31T23:59:59.000Z'
    );
  });
  it('names the missing field', () => {
    const result = parseDelivery(
      {
        event: 'create',
        type: 'resource',
        data: { 'resource-type': 'ScenarioSession' }
      },
      plain
    );
    assert.deepEqual(result, {
      kind: 'invalid',
      message: 'data.resource-id is required',
      field: 'data.resource-id'
    });
  });
});

describe('parseDelivery — generation 2 (reference §2.2)', () => {
  it('takes the type from X-Scope-Topic for the default body', () => {
    const body = {
      data: {
        id: 'U2NlbmFyaW9TZXNzaW9uLzE',
        url: 'https://cms.scopear.com/api/v3/graphql/object/U2NlbmFyaW9TZXNzaW9uLzE'
      }
    };
    assert.deepEqual(parseDelivery(body, gen2('scenario_session/created')), {
      kind: 'event',
      generation: 2,
      resourceId: 'U2NlbmFyaW9TZXNzaW9uLzE',
      resourceType: 'ScenarioSession',
      event: 'created',
      topic: 'scenario_session/created'
    });
    const call = parseDelivery(
      { data: { id: 'Q2FsbC8x' } },
      gen2('call/updated')
    );
    assert.equal(call.kind === 'event' && call.resourceType, 'Call');
  });
  it('prefers a type in the body over the topic', () => {
    const result = parseDelivery(
      { data: { id: 'x', type: 'Call' } },
      gen2('scenario_session/created')
    );
    assert.equal(result.kind === 'event' && result.resourceType, 'Call');
  });
  it('carries the node of a custom-query payload', () => {
    const node = {
      id: 'U2NlbmFyaW9TZXNzaW9uLzE',
      __typename: 'ScenarioSession',
      state: 'completed',
      externalData: { work_order_id: '0WO000000000001AAA' }
    };
    const result = parseDelivery(
      { data: { node } },
      gen2('scenario_session/completed')
    );
    assert.equal(result.kind, 'event');
    assert.deepEqual(result.kind === 'event' && result.node, node);
  });
  it('never lets the topic header override a type the body names', () => {
    const node = { id: 'U2Vzc2lvbi8x', __typename: 'ScenarioSession' };
    const result = parseDelivery({ data: { node } }, gen2('call/updated'));
    assert.equal(
      result.kind === 'event' && result.resourceType,
      'ScenarioSession'
    );
    assert.deepEqual(result.kind === 'event' && result.node, node);
  });
  it("stores Scope's documented payload query (no id, no __typename) without the node when the envelope names it", () => {
    const documented = {
      startedAt: '2024-05-01T10:00:00Z',
      state: 'completed',
      externalData: {}
    };
    const result = parseDelivery(
      { data: { id: 'U2Vzc2lvbi8x', node: documented } },
      gen2('scenario_session/completed')
    );
    assert.deepEqual(result, {
      kind: 'event',
      generation: 2,
      resourceId: 'U2Vzc2lvbi8x',
      resourceType: 'ScenarioSession',
      event: 'completed',
      topic: 'scenario_session/completed'
    });
    assert.deepEqual(
      parseDelivery(
        { data: { node: documented } },
        gen2('scenario_session/completed')
      ),
      {
        kind: 'invalid',
        message:
          'data.node.id is required: the subscription query must select id and __typename',
        field: 'data.node.id'
      }
    );
  });
  it('keeps a payload node only when it names its id and a handled __typename', () => {
    const withoutType = parseDelivery(
      { data: { node: { id: 'U2Vzc2lvbi8x', state: 'completed' } } },
      gen2('scenario_session/completed')
    );
    assert.equal(withoutType.kind, 'event');
    assert.equal(withoutType.kind === 'event' && withoutType.node, undefined);
    assert.equal(
      withoutType.kind === 'event' && withoutType.resourceType,
      'ScenarioSession',
      'the topic is a hint for the fetch'
    );
    const unhandled = parseDelivery(
      { data: { node: { id: 'VXNlci8x', __typename: 'User' } } },
      gen2('scenario_session/completed')
    );
    assert.equal(unhandled.kind, 'ignored');
  });
  it('leaves the kind to Scope when neither body nor topic names it, or the topic is ambiguous', () => {
    assert.deepEqual(parseDelivery({ data: { id: 'x' } }, gen2()), {
      kind: 'event',
      generation: 2,
      resourceId: 'x',
      event: 'delivered'
    });
    assert.deepEqual(
      parseDelivery({ data: { id: 'x' } }, gen2('scenario/completed')),
      {
        kind: 'event',
        generation: 2,
        resourceId: 'x',
        event: 'completed',
        topic: 'scenario/completed'
      }
    );
  });
  it('ignores unknown topics, and a null node', () => {
    assert.equal(
      parseDelivery({ data: { id: 'VXNlci8x' } }, gen2('user/created')).kind,
      'ignored'
    );
    assert.equal(
      parseDelivery(
        { data: { node: null } },
        gen2('scenario_session/completed')
      ).kind,
      'ignored'
    );
  });
  it('rejects bodies it cannot read, naming the field', () => {
    assert.deepEqual(
      parseDelivery({ data: { url: 'u' } }, gen2('scenario_session/created')),
      {
        kind: 'invalid',
        message: 'data.id is required',
        field: 'data.id'
      }
    );
    assert.deepEqual(
      parseDelivery({ data: { id: 'a b' } }, gen2('scenario_session/created')),
      {
        kind: 'invalid',
        message: 'data.id: must be printable ASCII without spaces',
        field: 'data.id'
      }
    );
    assert.equal(
      parseDelivery(
        { data: { node: { id: 7 } } },
        gen2('scenario_session/created')
      ).kind,
      'invalid'
    );
    assert.equal(parseDelivery([], gen2()).kind, 'invalid');
    assert.equal(parseDelivery({ data: 'x' }, gen2()).kind, 'invalid');
  });
});

describe('helpers', () => {
  it('parseTopic and normalizeResourceType', () => {
    assert.deepEqual(parseTopic('scenario_session/completed'), {
      type: 'ScenarioSession',
      subject: 'scenario_session',
      action: 'completed'
    });
    assert.equal(normalizeResourceType('RemoteAssistanceCall'), 'Call');
    assert.equal(normalizeResourceType('User'), undefined);
  });
  it('exceedsJsonDepth counts brackets outside strings only', () => {
    assert.equal(exceedsJsonDepth(Buffer.from('[[[[]]]]'), 3), true);
    assert.equal(exceedsJsonDepth(Buffer.from('[[[]]]'), 3), false);
    assert.equal(
      exceedsJsonDepth(Buffer.from('{"a":"[[[[[[\\"[[[["}'), 2),
      false
    );
  });
});

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
  it('ignores other resource types (the docs example shows "scenario")', () => {
    const result = parseDelivery(
      {
        event: 'create',
        type: 'resource',
        data: { 'resource-id': 'x', 'resource-type': 'scenario' }
      },
      plain
    );
    assert.equal(result.kind, 'ignored');
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
        message: 'data.id: Required',
        field: 'data.id'
      }
    );
    assert.equal(
      parseDelivery({ data: { id: 'x' } }, { hasGen2Headers: true }).kind,
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

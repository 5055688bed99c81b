// The pure parts of session steps: the step block a tenant's schema allows, and what the mapping makes of
// a node's steps (keys, order, completion, photos, lengths).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mapSessionSteps,
  stepKey
} from '../../../connector/src/mapping/map-session-steps.ts';
import {
  stepBlock,
  withStepSelection
} from '../../../connector/src/scope/step-selection.ts';

const SESSION = 'U2NlbmFyaW9TZXNzaW9uLTQy+/=';
const fields = {
  Scope_Id__c: SESSION,
  Ended_At__c: null,
  Scope_Updated_At__c: '2026-12-03T10:30:00.000Z'
};
const step = (id: string, order: number, viewedAt: string | null) => ({
  id: `session-step-${id}`,
  viewedAt,
  scenarioStep: {
    id,
    name: `Step ${order}`,
    orderIndex: order,
    scenarioSequence: { name: 'Préparation' }
  }
});

describe('session steps mapping', () => {
  it('maps viewed steps in viewing order, completion from the next step, photos per step', () => {
    const steps = mapSessionSteps(
      {
        steps: {
          nodes: [
            step('S-2', 2, '2026-12-03T10:10:00Z'),
            step('S-1', 1, '2026-12-03T10:00:00Z'),
            step('S-1', 1, '2026-12-03T10:00:00Z'),
            step('S-3', 3, '2026-12-03T10:20:00Z')
          ]
        },
        completedSteps: {
          nodes: [
            { id: 'x', scenarioStep: { id: 'S-1' } },
            { id: 'y', scenarioStep: { id: 'S-2' } }
          ]
        },
        stepPhotos: {
          nodes: [
            { scenarioSessionStep: { scenarioStep: { id: 'S-2' } } },
            { scenarioSessionStep: { scenarioStep: { id: 'S-2' } } }
          ]
        }
      },
      fields
    );
    assert.ok(steps);
    assert.deepEqual(
      steps.map((s) => [
        s.Step_Key__c,
        s.Step_Order__c,
        s.Completed_At__c,
        s.Photos__c
      ]),
      [
        [`${SESSION}|S-1`, 1, '2026-12-03T10:10:00.000Z', 0],
        [`${SESSION}|S-2`, 2, '2026-12-03T10:20:00.000Z', 2],
        [`${SESSION}|S-3`, 3, null, 0]
      ]
    );
    assert.equal(steps[0]?.Sequence_Name__c, 'Préparation');
    assert.equal(steps[0]?.Viewed_At__c, '2026-12-03T10:00:00.000Z');
  });

  it('the last completed step ends with the session, else at its last change', () => {
    const node = {
      steps: { nodes: [step('S-1', 1, '2026-12-03T10:00:00Z')] },
      completedSteps: { nodes: [{ scenarioStep: { id: 'S-1' } }] }
    };
    assert.equal(
      mapSessionSteps(node, {
        ...fields,
        Ended_At__c: '2026-12-03T10:25:00.000Z'
      })?.[0]?.Completed_At__c,
      '2026-12-03T10:25:00.000Z'
    );
    assert.equal(
      mapSessionSteps(node, fields)?.[0]?.Completed_At__c,
      fields.Scope_Updated_At__c
    );
  });

  it('writes nothing for a node without a step block, and cuts long names without splitting a pair', () => {
    assert.equal(mapSessionSteps({ id: SESSION }, fields), undefined);
    const long = { ...step('S-1', 1, null) };
    long.scenarioStep.name = `${'a'.repeat(254)}😀`;
    const [mapped] =
      mapSessionSteps({ steps: { nodes: [long] } }, fields) ?? [];
    assert.equal(mapped?.Step_Name__c, 'a'.repeat(254));
  });

  it('keeps a key over 255 characters unique and within the field', () => {
    const key = stepKey('s'.repeat(200), 't'.repeat(100));
    assert.match(key, /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(key, stepKey('s'.repeat(200), `${'t'.repeat(99)}u`));
    assert.equal(stepKey('a', 'b'), 'a|b');
  });
});

describe('step selection from the tenant schema', () => {
  const types = new Map<string, ReadonlySet<string>>([
    ['ScenarioSession', new Set(['steps', 'completedSteps', 'events'])],
    ['ScenarioSessionStep', new Set(['id', 'viewedAt', 'scenarioStep'])],
    ['ScenarioStep', new Set(['id', 'name', 'orderIndex', 'scenarioSequence'])],
    ['ScenarioSequence', new Set(['name'])],
    ['ScenarioSessionEvent', new Set(['scenarioSessionStep'])]
  ]);

  it('selects steps, completed steps and photo events, and counts their nodes', () => {
    const selection = withStepSelection(
      { typeName: 'ScenarioSession', selection: 'id\n', nestedNodes: 2 },
      types
    );
    assert.match(
      selection.selection,
      /steps\(first: 100\) \{ nodes \{ id viewedAt scenarioStep \{ id name orderIndex scenarioSequence \{ name \} \} \} \}/
    );
    assert.match(selection.selection, /completedSteps\(first: 100\)/);
    assert.match(
      selection.selection,
      /stepPhotos: events\(first: 100, valueTypes: \[PHOTO\]\)/
    );
    assert.equal(selection.nestedNodes, 302);
  });

  it('selects nothing when the tenant has no steps connection', () => {
    const without = new Map(types);
    without.set('ScenarioSession', new Set(['events']));
    assert.equal(stepBlock(without, 'ScenarioSession'), '');
  });
});

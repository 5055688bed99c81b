import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSessionRecord,
  extractWorkOrderReference,
  indexWorkOrders,
  lookupExternalKey,
  mapScopeNode,
  parseExternalData,
  resolveLink,
  toId18,
  toRecordId,
  TEXT_FIELD_LENGTHS,
  TRUNCATED_MARKER_KEY
} from '../../../connector/src/mapping/index.ts';
import type { MapResult } from '../../../connector/src/mapping/index.ts';
import { CALL_PATHS } from '../../../connector/src/scope/call-fields.ts';
import { SESSION_PATHS } from '../../../connector/src/scope/session-selection.ts';
import {
  APPOINTMENT_ID,
  ASSET_ID,
  CASE_ID,
  LINE_ITEM_ID,
  MAPPING,
  WORK_ORDER_ID,
  sessionNode
} from './helpers/fixtures.ts';

const NOW = new Date('2025-01-10T10:00:00Z');

function mapOk(
  node: Record<string, unknown>,
  options = MAPPING,
  kind: 'ScenarioSession' | 'Call' = 'ScenarioSession'
) {
  const result: MapResult = mapScopeNode({
    node,
    kind,
    paths: kind === 'Call' ? CALL_PATHS : SESSION_PATHS,
    options,
    now: NOW
  });
  assert.equal(result.ok, true, result.ok ? '' : result.reason);
  if (!result.ok) throw new Error('unreachable');
  return result;
}

describe('Salesforce ids', () => {
  it('computes the documented 18-character forms', () => {
    assert.equal(toId18('a0D30000001n7Pi'), 'a0D30000001n7PiEAI');
    assert.equal(toId18('0015000000Gv7qJ'), '0015000000Gv7qJAAR');
    assert.equal(toId18('001A0000006Vm9r'), '001A0000006Vm9rIAC');
  });
  it('rejects a wrong checksum and odd lengths', () => {
    assert.equal(toId18('a0D30000001n7PiEAJ'), undefined);
    assert.equal(
      toId18('a0D30000001n7PIEAI'),
      undefined,
      'case differs from what the suffix says'
    );
    assert.equal(toId18('a0D30000001n7P'), undefined);
    assert.equal(toId18("a0D30000001n7P'"), undefined);
  });
  it('restores an 18-character id whose case was flattened', () => {
    assert.equal(toId18('A0D30000001N7PIEAI'), 'a0D30000001n7PiEAI');
    assert.equal(toId18('a0d30000001n7pieai'), 'a0D30000001n7PiEAI');
  });
  it('checks the key prefix', () => {
    assert.equal(toRecordId(WORK_ORDER_ID, '0WO'), WORK_ORDER_ID);
    assert.equal(toRecordId(WORK_ORDER_ID.slice(0, 15), '0WO'), WORK_ORDER_ID);
    assert.equal(toRecordId(CASE_ID, '0WO'), undefined);
  });
});

describe('externalData', () => {
  it('accepts an object or a JSON string of one', () => {
    const asObject = parseExternalData({ work_order_id: 'x' });
    const asString = parseExternalData('{"work_order_id":"x"}');
    assert.deepEqual(asObject, {
      ok: true,
      data: { work_order_id: 'x' },
      raw: '{"work_order_id":"x"}'
    });
    assert.deepEqual(asString, {
      ok: true,
      data: { work_order_id: 'x' },
      raw: '{"work_order_id":"x"}'
    });
  });
  it('keeps a malformed string as received and says why', () => {
    const parsed = parseExternalData('{not json');
    assert.equal(parsed.ok, false);
    assert.equal(parsed.raw, '{not json');
  });
  it('looks keys up in configured order, taking the first element of an array', () => {
    const data = {
      wo: ['', 'ignored'],
      work_order: ['00000101', '00000102'],
      n: 101
    };
    assert.equal(
      lookupExternalKey(data, ['missing', 'work_order']),
      '00000101'
    );
    assert.equal(lookupExternalKey(data, ['n']), '101');
    assert.equal(lookupExternalKey(data, ['wo']), undefined);
    assert.equal(lookupExternalKey(null, ['wo']), undefined);
  });
});

describe('work-order reference', () => {
  it('routes an id-looking value to Id and anything else to WorkOrderNumber', () => {
    const ref = extractWorkOrderReference(
      {
        work_order_id: WORK_ORDER_ID.slice(0, 15),
        work_order_number: '00000101',
        case_id: CASE_ID
      },
      MAPPING
    );
    assert.deepEqual(ref.candidates, [
      { by: 'id', value: WORK_ORDER_ID },
      { by: 'number', value: '00000101' }
    ]);
    assert.equal(ref.rawKey, WORK_ORDER_ID.slice(0, 15));
    assert.equal(ref.caseId, CASE_ID);
  });
  it('treats an Id-key value that is not a WorkOrder Id as a number, and drops a malformed case id', () => {
    const ref = extractWorkOrderReference(
      { work_order_id: "00000101' OR Id != '", case_id: 'nope' },
      MAPPING
    );
    assert.deepEqual(ref.candidates, [
      { by: 'number', value: "00000101' OR Id != '" }
    ]);
    assert.equal(ref.caseId, undefined);
  });
  it('takes Line Item and Service Appointment ids only with their own key prefix, normalised to 18 characters', () => {
    const ref = extractWorkOrderReference(
      {
        work_order_id: WORK_ORDER_ID,
        work_order_line_item_id: LINE_ITEM_ID.slice(0, 15),
        service_appointment_id: [APPOINTMENT_ID]
      },
      MAPPING
    );
    assert.equal(ref.lineItemId, LINE_ITEM_ID);
    assert.equal(ref.serviceAppointmentId, APPOINTMENT_ID);
    const swapped = extractWorkOrderReference(
      {
        work_order_line_item_id: APPOINTMENT_ID,
        service_appointment_id: WORK_ORDER_ID
      },
      MAPPING
    );
    assert.equal(
      swapped.lineItemId,
      undefined,
      'an appointment id is no line item'
    );
    assert.equal(swapped.serviceAppointmentId, undefined);
    const malformed = extractWorkOrderReference(
      {
        work_order_line_item_id: "1WL' OR Id != '",
        service_appointment_id: '08p'
      },
      MAPPING
    );
    assert.equal(malformed.lineItemId, undefined);
    assert.equal(malformed.serviceAppointmentId, undefined);
  });
  it('reads the configured keys', () => {
    const ref = extractWorkOrderReference(
      { step_id: LINE_ITEM_ID, visit: APPOINTMENT_ID },
      {
        ...MAPPING,
        lineItemIdKeys: ['step_id'],
        serviceAppointmentIdKeys: ['visit']
      }
    );
    assert.equal(ref.lineItemId, LINE_ITEM_ID);
    assert.equal(ref.serviceAppointmentId, APPOINTMENT_ID);
  });
});

describe('resolveLink', () => {
  const index = indexWorkOrders([
    {
      Id: WORK_ORDER_ID,
      WorkOrderNumber: '00000101',
      CaseId: null,
      AssetId: ASSET_ID
    }
  ]);
  it('matches by number and takes Case from externalData, Asset from the work order', () => {
    const link = resolveLink(
      {
        rawKey: '00000101',
        candidates: [{ by: 'number', value: '00000101' }],
        caseId: CASE_ID,
        lineItemId: undefined,
        serviceAppointmentId: undefined
      },
      index
    );
    assert.deepEqual(link, {
      Work_Order__c: WORK_ORDER_ID,
      Case__c: CASE_ID,
      Asset__c: ASSET_ID,
      Work_Order_Line_Item__c: null,
      Service_Appointment__c: null,
      Link_Status__c: 'Matched',
      External_Work_Order_Ref__c: '00000101'
    });
  });
  it('keeps an unknown work order as Unmatched with the raw key', () => {
    const link = resolveLink(
      {
        rawKey: '99999',
        candidates: [{ by: 'number', value: '99999' }],
        caseId: undefined,
        lineItemId: undefined,
        serviceAppointmentId: undefined
      },
      index
    );
    assert.equal(link.Link_Status__c, 'Unmatched');
    assert.equal(link.Work_Order__c, null);
    assert.equal(link.External_Work_Order_Ref__c, '99999');
  });
  it('links the Line Item and Service Appointment, matched or not, and drops them in the fallback', () => {
    const reference = {
      rawKey: '00000101',
      candidates: [{ by: 'number' as const, value: '00000101' }],
      caseId: CASE_ID,
      lineItemId: LINE_ITEM_ID,
      serviceAppointmentId: APPOINTMENT_ID
    };
    const link = resolveLink(reference, index);
    assert.equal(link.Work_Order_Line_Item__c, LINE_ITEM_ID);
    assert.equal(link.Service_Appointment__c, APPOINTMENT_ID);
    const unmatched = resolveLink(
      { ...reference, candidates: [{ by: 'number', value: '99999' }] },
      index
    );
    assert.equal(unmatched.Link_Status__c, 'Unmatched');
    assert.equal(unmatched.Work_Order_Line_Item__c, LINE_ITEM_ID);
    assert.equal(unmatched.Service_Appointment__c, APPOINTMENT_ID);
    assert.equal(unmatched.Case__c, CASE_ID);
    const fallback = resolveLink(reference, index, false);
    assert.equal(fallback.Work_Order__c, WORK_ORDER_ID);
    assert.equal(fallback.Case__c, null);
    assert.equal(fallback.Work_Order_Line_Item__c, null);
    assert.equal(fallback.Service_Appointment__c, null);
  });
});

describe('mapScopeNode', () => {
  it('maps a documented ScenarioSession node', () => {
    const { fields, reference, warnings } = mapOk(sessionNode());
    assert.deepEqual(warnings, []);
    assert.deepEqual(fields, {
      Scope_Id__c: 'OiSSdfK1Su4gwG4zAi2InavDB9eRE9aOnGHYRMG5dqY=',
      Scope_Database_Id__c: '497',
      Kind__c: 'Scenario Session',
      State__c: 'completed',
      Started_At__c: '2025-01-10T09:00:00.000Z',
      Ended_At__c: '2025-01-10T09:12:30.000Z',
      Duration_Seconds__c: 750.46,
      Idle_Duration_Seconds__c: 30,
      Steps_Possible__c: 6,
      Steps_Viewed__c: 5,
      Percent_Steps_Viewed__c: 83.33,
      Scenario_Name__c: 'Centrifugal Pump P-100 Seal Replacement',
      Scenario_Version__c: '2',
      Technician__c: 'Alex Kim',
      Technician_Email__c: 'alex.kim@sandbox.scopear.test',
      Expert__c: null,
      External_Data__c: JSON.stringify({
        work_order_id: WORK_ORDER_ID,
        work_order_number: '00000101'
      }),
      Scope_Updated_At__c: '2025-01-10T09:12:31.000Z',
      Last_Synced_At__c: NOW.toISOString()
    });
    assert.equal(reference.rawKey, WORK_ORDER_ID);
  });
  it('applies the configured units and scales', () => {
    const { fields } = mapOk(
      sessionNode({
        duration: 750456,
        idleDuration: '1500',
        percentOfStepsViewed: 0.8333
      }),
      {
        ...MAPPING,
        durationUnit: 'milliseconds',
        percentScale: 'fraction'
      }
    );
    assert.equal(fields.Duration_Seconds__c, 750.46);
    assert.equal(fields.Idle_Duration_Seconds__c, 1.5);
    assert.equal(fields.Percent_Steps_Viewed__c, 83.33);
  });
  it('accepts the older finishedAt, an updatedAt, and externalData as a string as received', () => {
    const raw = '{"work_order_number":"00000102"}';
    const { fields, reference } = mapOk(
      sessionNode({
        endedAt: undefined,
        finishedAt: '2025-01-10T09:20:00Z',
        updatedAt: '2025-01-10T09:30:00Z',
        externalData: raw
      })
    );
    assert.equal(fields.Ended_At__c, '2025-01-10T09:20:00.000Z');
    assert.equal(fields.Scope_Updated_At__c, '2025-01-10T09:30:00.000Z');
    assert.equal(fields.External_Data__c, raw);
    assert.deepEqual(reference.candidates, [
      { by: 'number', value: '00000102' }
    ]);
  });
  it('truncates text to the field lengths and warns', () => {
    const { fields, warnings } = mapOk(
      sessionNode({
        state: 'x'.repeat(100),
        scenarioRelease: { version: '😀'.repeat(60) }
      })
    );
    assert.equal(fields.State__c?.length, TEXT_FIELD_LENGTHS.State__c);
    assert.ok(
      (fields.Scenario_Version__c?.length ?? 0) <=
        TEXT_FIELD_LENGTHS.Scenario_Version__c
    );
    assert.ok(
      !/[\uD800-\uDBFF]$/.test(fields.Scenario_Version__c ?? ''),
      'no dangling high surrogate'
    );
    assert.equal(warnings.length, 2);
  });
  it('replaces oversize externalData with a parseable marker, never silently', () => {
    const big = { work_order_number: '00000101', blob: 'é"'.repeat(80_000) };
    const { fields, warnings, reference } = mapOk(
      sessionNode({ externalData: big })
    );
    const stored = fields.External_Data__c ?? '';
    assert.ok(stored.length <= TEXT_FIELD_LENGTHS.External_Data__c);
    const marker = JSON.parse(stored) as Record<string, unknown>;
    assert.equal(marker[TRUNCATED_MARKER_KEY], true);
    assert.equal(marker.originalLength, JSON.stringify(big).length);
    assert.match(warnings.join(), /truncation marker/);
    assert.deepEqual(
      reference.candidates,
      [{ by: 'number', value: '00000101' }],
      'the key still comes from the full data'
    );
  });
  it('leaves bad numbers and dates empty with warnings instead of guessing', () => {
    const { fields, warnings } = mapOk(
      sessionNode({
        duration: 'long',
        startedAt: 'yesterday',
        percentOfStepsViewed: 140
      })
    );
    assert.equal(fields.Duration_Seconds__c, null);
    assert.equal(fields.Started_At__c, null);
    assert.equal(fields.Percent_Steps_Viewed__c, 100);
    assert.equal(warnings.length, 3);
  });
  it('maps a Call with caller and expert', () => {
    const { fields } = mapOk(
      {
        __typename: 'Call',
        id: 'Q2FsbDo3Nw==',
        databaseId: '77',
        startedAt: '2025-01-11T08:00:00Z',
        endedAt: '2025-01-11T08:05:00Z',
        duration: 300,
        externalData: { work_order_id: WORK_ORDER_ID },
        caller: { name: 'Alex Kim' },
        callee: { name: 'Dana Reyes', email: 'dana.reyes@sandbox.scopear.test' }
      },
      MAPPING,
      'Call'
    );
    assert.equal(fields.Kind__c, 'Call');
    assert.equal(fields.Technician__c, 'Alex Kim');
    assert.equal(fields.Expert__c, 'Dana Reyes');
    assert.equal(fields.Scope_Updated_At__c, '2025-01-11T08:05:00.000Z');
  });
  it('refuses a node without an id or with an id too long for the external id', () => {
    const base = {
      node: { state: 'x' },
      kind: 'ScenarioSession' as const,
      paths: SESSION_PATHS,
      options: MAPPING,
      now: NOW
    };
    assert.equal(mapScopeNode(base).ok, false);
    assert.equal(
      mapScopeNode({ ...base, node: { id: 'x'.repeat(256) } }).ok,
      false
    );
  });
  it('builds the full record with the link fields', () => {
    const { fields } = mapOk(sessionNode());
    const record = buildSessionRecord(fields, {
      Work_Order__c: null,
      Case__c: null,
      Asset__c: null,
      Work_Order_Line_Item__c: null,
      Service_Appointment__c: null,
      Link_Status__c: 'Unmatched',
      External_Work_Order_Ref__c: 'k'.repeat(300)
    });
    assert.equal(record.External_Work_Order_Ref__c?.length, 255);
    assert.equal(record.Link_Status__c, 'Unmatched');
    assert.equal(record.Scope_Id__c, fields.Scope_Id__c);
  });
});

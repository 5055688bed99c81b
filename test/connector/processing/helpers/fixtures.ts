// Realistic Scope nodes (shapes from the reference §4/§5.1) and the default mapping options.
import type { MappingOptions } from '../../../../connector/src/mapping/map-scope-node.ts';
import { toId18 } from '../../../../connector/src/mapping/salesforce-id.ts';

export const MAPPING: MappingOptions = {
  durationUnit: 'seconds',
  percentScale: 'percent',
  workOrderIdKeys: ['work_order_id'],
  workOrderNumberKeys: ['work_order_number'],
  caseIdKeys: ['case_id'],
  lineItemIdKeys: ['work_order_line_item_id'],
  serviceAppointmentIdKeys: ['service_appointment_id']
};

export const WORK_ORDER_ID = toId18('0WO8d0000000001') as string;
export const CASE_ID = toId18('5008d0000000001') as string;
export const LINE_ITEM_ID = toId18('1WL8d0000000001') as string;
export const APPOINTMENT_ID = toId18('08p8d0000000001') as string;
export const ASSET_ID = toId18('02i8d0000000001') as string;

export function sessionNode(
  overrides: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    __typename: 'ScenarioSession',
    id: 'OiSSdfK1Su4gwG4zAi2InavDB9eRE9aOnGHYRMG5dqY=',
    databaseId: '497',
    state: 'completed',
    startedAt: '2025-01-10T09:00:00Z',
    endedAt: '2025-01-10T09:12:30Z',
    duration: 750.456,
    idleDuration: 30,
    numberOfStepsPossible: 6,
    numberOfStepsViewed: 5,
    percentOfStepsViewed: 83.3333,
    externalData: {
      work_order_id: WORK_ORDER_ID,
      work_order_number: '00000101'
    },
    scenarioRelease: {
      version: '2',
      scenario: { name: 'Centrifugal Pump P-100 Seal Replacement' }
    },
    email: 'alex.kim@sandbox.scopear.test',
    parts: {
      nodes: [
        {
          createdBy: {
            name: 'Alex Kim',
            email: 'alex.kim@sandbox.scopear.test'
          }
        }
      ]
    },
    events: { nodes: [{ createdAt: '2025-01-10T09:12:31Z' }] },
    ...overrides
  };
}

// End to end from the other entry points: the links the launcher builds on a Service Appointment (of a
// Work Order Line Item) and on a Case are opened in the simulated WorkLink app, Scope sends its
// webhooks to a real connector process, and the session lands in the Salesforce sandbox linked to
// the Line Item, the Service Appointment and the Case the technician started from.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { subscribeConnectorWebhooks } from '../../../demo/subscribe-webhooks.ts';
import type { Replica } from '../../support/replicas/replica-process.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import { freshConnector } from './support/fresh-connector.ts';
import {
  E2E_SECRET,
  SCOPE_TOKEN,
  json,
  sessionsOf,
  startE2eWorld
} from './support/e2e-world.ts';
import { eventually } from '../../support/wait-for.ts';
import type { E2eWorld, SalesforceRow } from './support/e2e-world.ts';
import { loadDeeplinks } from './support/lwc-deeplinks.ts';
import type { WorklinkDeeplinks } from './support/lwc-deeplinks.ts';

const DEADLINE_MS = 90_000;
const PUMP_LINK = 'worklink://resource?action=fetch_user&user=501';

let postgres: TestPostgres;
let world: E2eWorld;
let links: WorklinkDeeplinks;

before(async () => {
  [postgres, world, links] = await Promise.all([
    startTestPostgres(),
    startE2eWorld(),
    loadDeeplinks()
  ]);
});
after(async () => {
  await world?.close();
  await postgres?.stop();
});

async function subscribe(connector: Replica): Promise<void> {
  const ids = await subscribeConnectorWebhooks({
    scopeBaseUrl: world.scope.url,
    apiToken: SCOPE_TOKEN,
    permalink: 'sandbox',
    callbackUrl: `${connector.url}/webhooks/scope`,
    sharedSecret: E2E_SECRET
  });
  assert.ok(ids.length >= 2, 'subscribed to the session and call topics');
}

/** Inserts a record as an admin would (the sandbox's control plane), returning its id. */
async function insert(
  sobject: string,
  row: Record<string, unknown>
): Promise<string> {
  const [result] = await json<{ id?: string; success: boolean }[]>(
    `${world.salesforce.url}/sandbox/records/${sobject}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(row)
    }
  );
  assert.ok(result?.success && result.id, `inserted a ${sobject}`);
  return result.id;
}

async function waitForRecord(
  scopeId: string,
  state: string
): Promise<SalesforceRow> {
  const rows = await eventually(
    `the record of ${scopeId} in state ${state}`,
    async () => {
      const found = await sessionsOf(world, scopeId);
      const { pending } = await world.scopeDeliveries();
      return {
        done: pending === 0 && found.length > 0 && found[0]?.State__c === state,
        value: found
      };
    },
    { timeoutMs: DEADLINE_MS, intervalMs: 200 }
  );
  assert.equal(rows.length, 1, `exactly one record for ${scopeId}`);
  return rows[0] as SalesforceRow;
}

describe(
  'Line Item, Service Appointment and Case links → connector → linked Salesforce records',
  { timeout: 300_000 },
  () => {
    it('a launch from a Service Appointment of a Line Item is linked to the work order, the line item and the appointment', async () => {
      const connector = await freshConnector(world, postgres, 'fsl-launch');
      try {
        await subscribe(connector);
        const wo = await world.workOrder('00000101');
        const lineItemId = await insert('WorkOrderLineItem', {
          WorkOrderId: wo.Id,
          Subject: 'Replace the seal'
        });
        const appointmentId = await insert('ServiceAppointment', {
          ParentRecordId: lineItemId,
          Subject: 'Seal replacement visit'
        });
        assert.ok(
          lineItemId.startsWith('1WL') && appointmentId.startsWith('08p')
        );
        const link = links.buildLaunchLink({
          assetId: 'PUMP-100',
          workOrderId: wo.Id,
          workOrderNumber: String(wo.WorkOrderNumber),
          workOrderLineItemId: lineItemId,
          serviceAppointmentId: appointmentId,
          caseId: wo.CaseId as string | null
        });
        assert.equal(
          link,
          `worklink://resource?action=fetch_catalog&asset=PUMP-100&work_order_id=${wo.Id}` +
            `&work_order_number=00000101&work_order_line_item_id=${lineItemId}` +
            `&service_appointment_id=${appointmentId}&case_id=${String(wo.CaseId)}`
        );
        const opened = await world.open(link as string);
        await world.runToCompletion();
        const record = await waitForRecord(opened.id, 'COMPLETED');
        assert.equal(record.Link_Status__c, 'Matched');
        assert.equal(record.Work_Order__c, wo.Id);
        assert.equal(record.Work_Order_Line_Item__c, lineItemId);
        assert.equal(record.Service_Appointment__c, appointmentId);
        assert.equal(record.Case__c, wo.CaseId);
        assert.equal(record.Asset__c, wo.AssetId);
      } finally {
        await connector.stop();
      }
    });

    it('a call from a Case is linked to the case; a line item id Salesforce does not know falls back to the work order links', async () => {
      const connector = await freshConnector(world, postgres, 'fsl-case');
      try {
        await subscribe(connector);
        const wo = await world.workOrder('00000101');
        const caseId = String(wo.CaseId);
        const caseRow = (await world.sfRecords('Case')).find(
          (c) => c.Id === caseId
        );
        const callLink = links.buildCallLink({
          callLink: PUMP_LINK,
          caseId,
          caseNumber: String(caseRow?.CaseNumber)
        });
        assert.equal(
          callLink,
          `${PUMP_LINK}&case_id=${caseId}&case_number=${String(caseRow?.CaseNumber)}`
        );
        const call = await world.open(callLink as string);

        // A well-formed Line Item id that names no record (deleted, or from another org).
        const unknownLineItem = '1WL9g0000099999';
        const staleLink = links.buildLaunchLink({
          assetId: 'PUMP-100',
          workOrderId: wo.Id,
          workOrderNumber: String(wo.WorkOrderNumber),
          workOrderLineItemId: unknownLineItem
        });
        const stale = await world.open(staleLink as string);
        await world.runToCompletion();

        const callTruth = await world.scopeNode(call.id);
        const callRecord = await waitForRecord(
          call.id,
          String(callTruth.state)
        );
        assert.equal(callRecord.Kind__c, 'Call');
        assert.equal(callRecord.Case__c, caseId);
        assert.equal(callRecord.Work_Order__c, null, 'no work order named');
        assert.equal(callRecord.Link_Status__c, 'Unmatched');
        assert.equal(callRecord.Work_Order_Line_Item__c, null);

        const staleRecord = await waitForRecord(stale.id, 'COMPLETED');
        assert.equal(staleRecord.Link_Status__c, 'Matched');
        assert.equal(staleRecord.Work_Order__c, wo.Id);
        assert.equal(staleRecord.Work_Order_Line_Item__c, null);
        assert.equal(
          JSON.parse(String(staleRecord.External_Data__c))
            .work_order_line_item_id,
          unknownLineItem,
          'the id stays in the external data for an admin'
        );
      } finally {
        await connector.stop();
      }
    });
  }
);

// Browser test of the Field Service entry points: the real wrapper components (Line Item, Service
// Appointment, Case) on their preview record pages and in the Field Service mobile frame, through the
// Scope simulator and the connector to the session row in THAT record's related list and in Salesforce.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  PHONE_WIDTH,
  SCREENSHOTS,
  clickAndWaitForRow,
  startBrowserDemo
} from './support/browser-demo.ts';
import type { BrowserDemo } from './support/browser-demo.ts';

interface SessionRecord {
  Kind__c: string;
  Work_Order__c: string | null;
  Work_Order_Line_Item__c: string | null;
  Service_Appointment__c: string | null;
  Case__c: string | null;
}

let world: BrowserDemo;

before(async () => {
  world = await startBrowserDemo();
});

after(async () => {
  await world?.stop();
});

async function queryOne<T extends Record<string, unknown>>(
  soql: string
): Promise<T> {
  const { records } = await world.salesforce.query<T>(soql);
  assert.equal(records.length, 1, soql);
  return records[0] as T;
}

/** The link's query as an object, without the keys every link of its action has. */
async function linkParams(page: Page, dataId: 'launch' | 'call') {
  const href = await page
    .locator(`c-worklink-launcher a[data-id="${dataId}"]`)
    .getAttribute('href');
  if (!href?.startsWith('worklink://resource?'))
    assert.fail(`${dataId}: ${String(href)}`);
  return Object.fromEntries(new URL(href).searchParams);
}

/** The sessions the connector wrote with `lookup` = recordId, by kind. */
async function sessionsOf(lookup: string, recordId: string) {
  const { records } = await world.salesforce.query<SessionRecord>(
    'SELECT Kind__c, Work_Order__c, Work_Order_Line_Item__c, Service_Appointment__c, Case__c ' +
      `FROM Scope_AR_Session__c WHERE ${lookup} = '${recordId}'`
  );
  return records;
}

/** Launch, then Call expert: each adds a row to this page's related list. */
async function launchAndCall(page: Page, screenshot: string) {
  const [, launchKind] = await clickAndWaitForRow(
    page,
    'launch',
    'Scenario Session'
  );
  assert.equal(launchKind, 'Scenario Session');
  const [, callKind] = await clickAndWaitForRow(page, 'call', 'Call');
  assert.equal(callKind, 'Call');
  await page.screenshot({
    path: join(SCREENSHOTS, screenshot),
    fullPage: true
  });
}

describe('Field Service entry points', { timeout: 240_000 }, () => {
  test('Line Item 00001: links name the line item and its work order; sessions are linked to both', async () => {
    const item = await queryOne<{
      Id: string;
      WorkOrderId: string;
      WorkOrder: { WorkOrderNumber: string; CaseId: string };
    }>(
      "SELECT Id, WorkOrderId, WorkOrder.WorkOrderNumber, WorkOrder.CaseId FROM WorkOrderLineItem WHERE LineItemNumber = '00001'"
    );
    const job = {
      work_order_id: item.WorkOrderId,
      work_order_number: '00000101',
      work_order_line_item_id: item.Id,
      case_id: item.WorkOrder.CaseId
    };
    const page = await world.openPage('/work-order-line-items/00001');
    assert.equal(
      await page.locator('[data-id="record-kind"]').innerText(),
      'Work Order Line Item'
    );
    assert.ok(
      await page.locator('c-worklink-line-item-launcher').isVisible(),
      'the Line Item wrapper component is on the page'
    );
    assert.deepEqual(await linkParams(page, 'launch'), {
      action: 'fetch_catalog',
      asset: 'PUMP-100',
      ...job
    });
    assert.deepEqual(await linkParams(page, 'call'), {
      action: 'fetch_user',
      user: '501',
      ...job
    });
    await page.screenshot({
      path: join(SCREENSHOTS, '10-line-item-00001.png'),
      fullPage: true
    });
    await launchAndCall(page, '11-line-item-00001-sessions.png');
    const written = await sessionsOf('Work_Order_Line_Item__c', item.Id);
    assert.deepEqual(written.map((row) => row.Kind__c).sort(), [
      'Call',
      'Scenario Session'
    ]);
    for (const row of written) {
      assert.equal(row.Work_Order__c, item.WorkOrderId);
      assert.equal(row.Case__c, item.WorkOrder.CaseId);
      assert.equal(row.Service_Appointment__c, null);
    }
    await page.context().close();
  });

  test('Service Appointment SA-0001 of work order 00000102: sessions are linked to the appointment and the work order', async () => {
    const appointment = await queryOne<{ Id: string; ParentRecordId: string }>(
      "SELECT Id, ParentRecordId FROM ServiceAppointment WHERE AppointmentNumber = 'SA-0001'"
    );
    const job = {
      work_order_id: appointment.ParentRecordId,
      work_order_number: '00000102',
      service_appointment_id: appointment.Id
    };
    const page = await world.openPage('/service-appointments/SA-0001');
    assert.equal(
      await page.locator('[data-field="Parent Record"]').innerText(),
      'Work Order 00000102'
    );
    assert.deepEqual(await linkParams(page, 'launch'), {
      action: 'fetch_catalog',
      asset: 'HVAC-7',
      ...job
    });
    assert.deepEqual(await linkParams(page, 'call'), {
      action: 'fetch_user',
      user: '502',
      ...job
    });
    await page.screenshot({
      path: join(SCREENSHOTS, '12-service-appointment-SA-0001.png'),
      fullPage: true
    });
    await launchAndCall(page, '13-service-appointment-SA-0001-sessions.png');
    const written = await sessionsOf('Service_Appointment__c', appointment.Id);
    assert.equal(written.length, 2);
    for (const row of written) {
      assert.equal(row.Work_Order__c, appointment.ParentRecordId);
      assert.equal(row.Work_Order_Line_Item__c, null);
    }
    await page.context().close();
  });

  test('Case 00001002: links carry the case id and number; sessions are linked to the case', async () => {
    const caseRecord = await queryOne<{ Id: string }>(
      "SELECT Id FROM Case WHERE CaseNumber = '00001002'"
    );
    const job = { case_id: caseRecord.Id, case_number: '00001002' };
    const page = await world.openPage('/cases/00001002');
    assert.deepEqual(await linkParams(page, 'launch'), {
      action: 'fetch_catalog',
      asset: 'HVAC-7',
      ...job
    });
    assert.deepEqual(await linkParams(page, 'call'), {
      action: 'fetch_user',
      user: '502',
      ...job
    });
    await page.screenshot({
      path: join(SCREENSHOTS, '14-case-00001002.png'),
      fullPage: true
    });
    await launchAndCall(page, '15-case-00001002-sessions.png');
    const written = await sessionsOf('Case__c', caseRecord.Id);
    assert.equal(written.length, 2);
    for (const row of written) assert.equal(row.Work_Order__c, null);
    await page.context().close();
  });

  test('Field Service mobile frame: SA-0002 of a Line Item opens as the WorkLink quick action', async () => {
    const appointment = await queryOne<{ Id: string; ParentRecordId: string }>(
      "SELECT Id, ParentRecordId FROM ServiceAppointment WHERE AppointmentNumber = 'SA-0002'"
    );
    const item = await queryOne<{ Id: string; WorkOrderId: string }>(
      `SELECT Id, WorkOrderId FROM WorkOrderLineItem WHERE Id = '${appointment.ParentRecordId}'`
    );
    const page = await world.openPage('/service-appointments/SA-0002', {
      phone: true
    });
    const panel = page.locator('[data-id="action-panel"]');
    assert.equal(
      (await panel.locator('#action-panel-title').innerText()).trim(),
      'WorkLink',
      "the panel is headed by the quick action's label"
    );
    assert.ok(
      await panel.locator('c-worklink-appointment-launcher').isVisible(),
      'the component is inside the action panel'
    );
    assert.equal(
      await page
        .locator('#component > c-worklink-appointment-launcher')
        .count(),
      0
    );
    const launch = page.locator('c-worklink-launcher a[data-id="launch"]');
    assert.match(
      (await launch.getAttribute('class')) ?? '',
      /slds-button_stretch/
    );
    assert.deepEqual(await linkParams(page, 'launch'), {
      action: 'fetch_catalog',
      asset: 'PUMP-100',
      work_order_id: item.WorkOrderId,
      work_order_number: '00000101',
      work_order_line_item_id: item.Id,
      service_appointment_id: appointment.Id,
      case_id: (
        await queryOne<{ CaseId: string }>(
          `SELECT CaseId FROM WorkOrder WHERE Id = '${item.WorkOrderId}'`
        )
      ).CaseId
    });
    // With isMobile the layout viewport grows to fit wide content: compare with the device width itself.
    const pageWidth = Number(
      await page.evaluate('document.documentElement.scrollWidth')
    );
    assert.ok(
      pageWidth <= PHONE_WIDTH,
      `no horizontal scrolling on a phone (page ${pageWidth}px wide)`
    );
    await page.screenshot({
      path: join(SCREENSHOTS, '16-phone-service-appointment-SA-0002.png'),
      fullPage: true
    });
    await clickAndWaitForRow(page, 'launch', 'Scenario Session');
    const [written] = await sessionsOf(
      'Service_Appointment__c',
      appointment.Id
    );
    assert.ok(written);
    assert.equal(written.Work_Order_Line_Item__c, item.Id);
    assert.equal(written.Work_Order__c, item.WorkOrderId);
    await page.locator('[data-id="close-action"]').click();
    assert.equal(await panel.isVisible(), false);
    await page.locator('[data-id="open-action"]').click();
    assert.equal(await panel.isVisible(), true);
    await page.screenshot({
      path: join(
        SCREENSHOTS,
        '17-phone-service-appointment-SA-0002-session.png'
      ),
      fullPage: true
    });
    await page.context().close();
  });
});

import { getRecord } from 'lightning/uiRecordApi';
import WorklinkAppointmentLauncher from 'c/worklinkAppointmentLauncher';
import { flushPromises, mount, resetDom, wireConfigs } from 'test-utils';

const OF_WORK_ORDER = require('./data/appointmentOfWorkOrder.json');
const OF_LINE_ITEM = require('./data/appointmentOfLineItemWithExpert.json');
const OF_ACCOUNT = require('./data/appointmentOfAccount.json');
const WORK_ORDER = require('../../worklinkLauncher/__tests__/data/workOrderWithCase.json');
const LINE_ITEM = require('../../worklinkLineItemLauncher/__tests__/data/lineItemWithOwnAsset.json');

const DANA_LINK = 'worklink://resource?action=fetch_user&user=501';
const asksFor = (object) => (config) =>
  (config.optionalFields || []).some((f) => f.startsWith(`${object}.`));

function render() {
  return mount('c-worklink-appointment-launcher', WorklinkAppointmentLauncher, {
    recordId: OF_WORK_ORDER.id
  });
}

/** The appointment answers, then its parent: the wire asking for the parent's fields gets the record, the other one the error UI API gives for fields of another object. */
async function renderWith(appointment, parent, parentObject) {
  const element = mount(
    'c-worklink-appointment-launcher',
    WorklinkAppointmentLauncher,
    { recordId: appointment.id }
  );
  await flushPromises();
  getRecord.emit(appointment, (config) => config.recordId === appointment.id);
  await flushPromises();
  if (parent) {
    const ofParent = (config) => config.recordId === parent.id;
    getRecord.emit(
      parent,
      (config) => ofParent(config) && asksFor(parentObject)(config)
    );
    getRecord.emitError(
      { body: [{ errorCode: 'INVALID_FIELD', message: 'No such column' }] },
      (config) => ofParent(config) && !asksFor(parentObject)(config)
    );
    await flushPromises();
  }
  return element;
}

const part = (element, id) =>
  element.shadowRoot
    .querySelector('c-worklink-launcher')
    .shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-worklink-appointment-launcher', () => {
  afterEach(resetDom);

  it('loads the parent only once the appointment names it', async () => {
    render();
    await flushPromises();
    expect(
      wireConfigs(getRecord).filter((c) => c.recordId === WORK_ORDER.id)
    ).toHaveLength(0);
    getRecord.emit(OF_WORK_ORDER, (c) => c.recordId === OF_WORK_ORDER.id);
    await flushPromises();
    const parentWires = wireConfigs(getRecord).filter(
      (c) => c.recordId === WORK_ORDER.id
    );
    expect(parentWires).toHaveLength(2);
    expect(parentWires.some(asksFor('WorkOrder'))).toBe(true);
    expect(parentWires.some(asksFor('WorkOrderLineItem'))).toBe(true);
  });

  it("asks the parent for the fields its own wire requires: the work order's number, the line item's work order", async () => {
    render();
    await flushPromises();
    getRecord.emit(OF_WORK_ORDER, (c) => c.recordId === OF_WORK_ORDER.id);
    await flushPromises();
    const optional = wireConfigs(getRecord)
      .filter((c) => c.recordId === WORK_ORDER.id)
      .flatMap((c) => c.optionalFields);
    expect(optional).toContain('WorkOrder.WorkOrderNumber');
    expect(optional).toContain('WorkOrderLineItem.WorkOrderId');
  });

  it('shows a spinner until the parent answers', async () => {
    const element = await renderWith(OF_WORK_ORDER);
    expect(
      element.shadowRoot
        .querySelector('c-worklink-launcher')
        .shadowRoot.querySelector('lightning-spinner')
    ).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it("launches its work order's asset and calls the work order's expert, with the appointment id", async () => {
    const element = await renderWith(OF_WORK_ORDER, WORK_ORDER, 'WorkOrder');
    expect(part(element, 'launch').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&service_appointment_id=08p5g0000000301AAA&case_id=5005g0000001001AAA'
    );
    expect(part(element, 'call').getAttribute('href')).toBe(
      `${DANA_LINK}&work_order_id=0WO5g0000000101GAA&work_order_number=00000101` +
        '&service_appointment_id=08p5g0000000301AAA&case_id=5005g0000001001AAA'
    );
    await expect(element).toBeAccessible();
  });

  it("carries its line item and prefers the appointment's own expert", async () => {
    const element = await renderWith(
      OF_LINE_ITEM,
      LINE_ITEM,
      'WorkOrderLineItem'
    );
    expect(part(element, 'launch').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_catalog&asset=SEAL-KIT-7' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&work_order_line_item_id=1WL5g0000000201AAA' +
        '&service_appointment_id=08p5g0000000302AAA&case_id=5005g0000001001AAA'
    );
    expect(part(element, 'call').getAttribute('href')).toMatch(
      /^worklink:\/\/resource\?action=fetch_user&user=503&work_order_id=/
    );
    expect(part(element, 'expert').textContent).toBe('Expert: Lee Okafor');
  });

  it('without a work order: Launch explains, Call uses the default expert with the appointment id', async () => {
    const element = mount(
      'c-worklink-appointment-launcher',
      WorklinkAppointmentLauncher,
      {
        recordId: OF_ACCOUNT.id,
        defaultExpertLink: 'worklink://resource?action=fetch_user&user=900'
      }
    );
    await flushPromises();
    getRecord.emit(OF_ACCOUNT, (c) => c.recordId === OF_ACCOUNT.id);
    await flushPromises();
    expect(part(element, 'launch').disabled).toBe(true);
    expect(part(element, 'launch-reason').textContent).toContain(
      'belongs to no work order or work order line item'
    );
    expect(part(element, 'call').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_user&user=900' +
        '&service_appointment_id=08p5g0000000303AAA'
    );
    await expect(element).toBeAccessible();
  });

  it("reports the parent's load error", async () => {
    const element = await renderWith(OF_WORK_ORDER);
    getRecord.emitError(
      { body: { message: 'Record is not accessible' } },
      (c) => c.recordId === WORK_ORDER.id && asksFor('WorkOrder')(c)
    );
    await flushPromises();
    expect(part(element, 'error').textContent).toContain(
      'Record is not accessible'
    );
  });
});

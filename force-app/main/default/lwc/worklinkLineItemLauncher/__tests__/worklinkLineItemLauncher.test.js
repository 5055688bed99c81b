import { getRecord } from 'lightning/uiRecordApi';
import WorklinkLineItemLauncher from 'c/worklinkLineItemLauncher';
import { flushPromises, mount, resetDom, wireConfigFor } from 'test-utils';

const OWN_ASSET = require('./data/lineItemWithOwnAsset.json');
const INHERITS_ASSET = require('./data/lineItemInheritsWorkOrderAsset.json');
const NO_ASSET = require('./data/lineItemWithoutAnyAsset.json');

const DANA_LINK = 'worklink://resource?action=fetch_user&user=501';

async function renderWith(record, props = {}) {
  const element = mount(
    'c-worklink-line-item-launcher',
    WorklinkLineItemLauncher,
    { recordId: record.id, ...props }
  );
  await flushPromises();
  getRecord.emit(record, (config) => config.recordId === record.id);
  await flushPromises();
  return element;
}

const part = (element, id) =>
  element.shadowRoot
    .querySelector('c-worklink-launcher')
    .shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-worklink-line-item-launcher', () => {
  afterEach(resetDom);

  it('reads the line item, its work order and both assets in one wire', async () => {
    mount('c-worklink-line-item-launcher', WorklinkLineItemLauncher, {
      recordId: OWN_ASSET.id
    });
    await flushPromises();
    const config = wireConfigFor(getRecord, OWN_ASSET.id);
    expect(
      config.fields.map((f) => `${f.objectApiName}.${f.fieldApiName}`)
    ).toEqual(['WorkOrderLineItem.Id', 'WorkOrderLineItem.WorkOrderId']);
    expect(config.optionalFields).toEqual(
      expect.arrayContaining([
        'WorkOrderLineItem.WorkOrder.WorkOrderNumber',
        'WorkOrderLineItem.Asset.Scope_Asset_Id__c',
        'WorkOrderLineItem.WorkOrder.Asset.Scope_Asset_Id__c',
        'WorkOrderLineItem.WorkOrder.WorkLink_Expert__r.WorkLink_Call_Link__c'
      ])
    );
  });

  it("launches the line item's own asset with the work order and the line item", async () => {
    const element = await renderWith(OWN_ASSET);
    expect(part(element, 'launch').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_catalog&asset=SEAL-KIT-7' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&work_order_line_item_id=1WL5g0000000201AAA&case_id=5005g0000001001AAA'
    );
    expect(part(element, 'call').getAttribute('href')).toBe(
      `${DANA_LINK}&work_order_id=0WO5g0000000101GAA&work_order_number=00000101` +
        '&work_order_line_item_id=1WL5g0000000201AAA&case_id=5005g0000001001AAA'
    );
    expect(part(element, 'expert').textContent).toBe('Expert: Dana Reyes');
    await expect(element).toBeAccessible();
  });

  it("falls back to the work order's asset", async () => {
    const element = await renderWith(INHERITS_ASSET);
    expect(part(element, 'launch').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&work_order_line_item_id=1WL5g0000000202AAA&case_id=5005g0000001001AAA'
    );
  });

  it('explains why neither button works without asset and expert', async () => {
    const element = await renderWith(NO_ASSET);
    expect(part(element, 'launch').disabled).toBe(true);
    expect(part(element, 'launch-reason').textContent).toContain(
      'this work order has no asset'
    );
    expect(part(element, 'call').disabled).toBe(true);
    expect(part(element, 'call-reason').textContent).toContain(
      'no WorkLink expert is set on this work order'
    );
    await expect(element).toBeAccessible();
  });

  it('passes renamed keys and the default expert from its App Builder properties', async () => {
    const element = await renderWith(NO_ASSET, {
      parameterKeys: 'workOrderLineItemId=step_id&workOrderNumber=job',
      defaultExpertLink: 'worklink://resource?action=fetch_user&user=900'
    });
    expect(part(element, 'call').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_user&user=900' +
        '&work_order_id=0WO5g0000000104GAA&job=00000104&step_id=1WL5g0000000203AAA'
    );
  });
});

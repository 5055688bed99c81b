import { getRecord } from 'lightning/uiRecordApi';
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { graphql } from 'lightning/uiGraphQLApi';
import WorklinkLauncher from 'c/worklinkLauncher';
import WorklinkCaseLauncher from 'c/worklinkCaseLauncher';
import { flushPromises, mount, resetDom, wireConfigFor } from 'test-utils';

const SETTING = require('./data/workLinkSettingDefault.json');
const NO_SETTING = require('./data/workLinkSettingMissing.json');
const WITH_CASE = require('./data/workOrderWithCase.json');
const WITHOUT_EXPERT = require('./data/workOrderWithoutExpert.json');
const CASE = require('../../worklinkCaseLauncher/__tests__/data/caseWithoutAsset.json');

// What an admin enters on the record page to get the same links as the packaged record.
const SAME_AS_SETTING = {
  assetIdField: 'Asset.Scope_Asset_Id__c',
  defaultExpertLink: 'worklink://resource?action=fetch_user&user=900',
  extraParameters: 'region=emea',
  deferredLinkBase: 'https://getworklink.com/deferred',
  parameterKeys: 'caseId=ticket_id'
};

async function renderWorkOrder(record, setting, props = {}) {
  const element = mount('c-worklink-launcher', WorklinkLauncher, {
    recordId: record.id,
    ...props
  });
  await flushPromises();
  graphql.emit(setting);
  getRecord.emit(record, (config) => config.recordId === record.id);
  await flushPromises();
  return element;
}

async function renderCase(setting, props = {}) {
  const element = mount('c-worklink-case-launcher', WorklinkCaseLauncher, {
    recordId: CASE.id,
    ...props
  });
  await flushPromises();
  graphql.emit(setting);
  getRecord.emit(CASE, (config) => config.recordId === CASE.id);
  await flushPromises();
  return element.shadowRoot.querySelector('c-worklink-launcher');
}

const href = (element, id) =>
  element.shadowRoot.querySelector(`[data-id="${id}"]`).getAttribute('href');

describe('c-worklink-launcher settings', () => {
  afterEach(resetDom);

  it('a quick action (no properties) uses the packaged WorkLink_Setting__mdt record', async () => {
    const element = await renderWorkOrder(WITHOUT_EXPERT, SETTING);
    const call = href(element, 'call');
    expect(call.startsWith('https://getworklink.com/deferred?deep_link=')).toBe(
      true
    );
    expect(decodeURIComponent(call.split('deep_link=')[1])).toBe(
      'worklink://resource?action=fetch_user&user=900' +
        '&work_order_id=0WO5g0000000103GAA&work_order_number=00000103&region=emea'
    );
    expect(element.shadowRoot.querySelector('[data-id="call"]').target).toBe(
      '_blank'
    );
    await expect(element).toBeAccessible();
  });

  it('renames keys as the packaged record says', async () => {
    const element = await renderWorkOrder(WITH_CASE, SETTING);
    expect(
      decodeURIComponent(href(element, 'launch').split('deep_link=')[1])
    ).toBe(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&ticket_id=5005g0000001001AAA&region=emea'
    );
  });

  it('record page properties, where set, override the packaged record; empty ones do not', async () => {
    const element = await renderWorkOrder(WITHOUT_EXPERT, SETTING, {
      extraParameters: 'region=apac',
      deferredLinkBase: ''
    });
    const call = href(element, 'call');
    expect(call.startsWith('https://getworklink.com/deferred?deep_link=')).toBe(
      true
    );
    expect(decodeURIComponent(call.split('deep_link=')[1])).toBe(
      'worklink://resource?action=fetch_user&user=900' +
        '&work_order_id=0WO5g0000000103GAA&work_order_number=00000103&region=apac'
    );
  });

  it('follows the packaged asset field in the wire', async () => {
    const custom = JSON.parse(JSON.stringify(SETTING));
    custom.uiapi.query.WorkLink_Setting__mdt.edges[0].node.Asset_Id_Field__c.value =
      'Catalog_Asset_Code__c';
    await renderWorkOrder(WITH_CASE, custom);
    expect(wireConfigFor(getRecord, WITH_CASE.id).optionalFields).toContain(
      'WorkOrder.Catalog_Asset_Code__c'
    );
  });

  it('without a packaged record the defaults apply', async () => {
    const element = await renderWorkOrder(WITHOUT_EXPERT, NO_SETTING);
    expect(element.shadowRoot.querySelector('[data-id="call"]').disabled).toBe(
      true
    );
  });

  it('record pages and quick actions produce identical links (Work Order)', async () => {
    const action = await renderWorkOrder(WITH_CASE, SETTING);
    const actionLinks = [href(action, 'launch'), href(action, 'call')];
    resetDom();
    const page = await renderWorkOrder(WITH_CASE, NO_SETTING, SAME_AS_SETTING);
    expect([href(page, 'launch'), href(page, 'call')]).toEqual(actionLinks);
    expect(actionLinks[0]).toContain('deep_link=');
  });

  it('record pages and quick actions produce identical links (Case)', async () => {
    const action = await renderCase(SETTING);
    const actionCall = href(action, 'call');
    resetDom();
    const page = await renderCase(NO_SETTING, SAME_AS_SETTING);
    expect(href(page, 'call')).toBe(actionCall);
    expect(decodeURIComponent(actionCall.split('deep_link=')[1])).toBe(
      'worklink://resource?action=fetch_user&user=900' +
        '&ticket_id=5005g0000001002AAA&case_number=00001002&region=emea'
    );
  });
});

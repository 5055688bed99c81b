import { getRecord } from 'lightning/uiRecordApi';
import WorklinkLauncher from 'c/worklinkLauncher';
import { flushPromises, mount, resetDom, wireConfigFor } from 'test-utils';

const WITH_CASE = require('./data/workOrderWithCase.json');
const WITHOUT_CASE = require('./data/workOrderWithoutCase.json');
const WITHOUT_EXPERT = require('./data/workOrderWithoutExpert.json');
const ASSET_WITHOUT_SCOPE_ID = require('./data/workOrderAssetWithoutScopeId.json');
const WITHOUT_ASSET = require('./data/workOrderWithoutAsset.json');
const EXPERT_WITHOUT_LINK = require('./data/workOrderExpertWithoutLink.json');
const EXPERT_UNSAFE_LINK = require('./data/workOrderExpertUnsafeLink.json');
const HOSTILE = require('./data/workOrderHostileValues.json');
const CUSTOM_ASSET_FIELD = require('./data/workOrderCustomAssetField.json');
const NOT_FOUND = require('./data/getRecordNotFound.json');

const TAG = 'c-worklink-launcher';
const DANA_LINK = 'worklink://resource?action=fetch_user&user=501';

function render(props = {}) {
  return mount(TAG, WorklinkLauncher, {
    recordId: WITH_CASE.id,
    ...props
  });
}

async function renderWith(record, props) {
  const element = render(props);
  getRecord.emit(record);
  await flushPromises();
  return element;
}

const $ = (element, id) =>
  element.shadowRoot.querySelector(`[data-id="${id}"]`);

function clone(record) {
  return JSON.parse(JSON.stringify(record));
}

describe('c-worklink-launcher', () => {
  afterEach(resetDom);

  describe('loading', () => {
    it('shows a spinner until the wire answers', async () => {
      const element = render();
      await flushPromises();
      const spinner = element.shadowRoot.querySelector('lightning-spinner');
      expect(spinner).not.toBeNull();
      expect(spinner.alternativeText).toBe('Loading work order details');
      expect($(element, 'launch')).toBeNull();
      await expect(element).toBeAccessible();
    });
  });

  describe('wire configuration', () => {
    it('requests Id and number, and everything else as optional fields', async () => {
      render();
      await flushPromises();
      const config = wireConfigFor(getRecord, WITH_CASE.id);
      expect(config.recordId).toBe(WITH_CASE.id);
      expect(
        config.fields.map((f) => `${f.objectApiName}.${f.fieldApiName}`)
      ).toEqual(['WorkOrder.Id', 'WorkOrder.WorkOrderNumber']);
      expect(config.optionalFields).toEqual([
        'WorkOrder.CaseId',
        'WorkOrder.AssetId',
        'WorkOrder.Asset.Scope_Asset_Id__c',
        'WorkOrder.WorkLink_Expert__c',
        'WorkOrder.WorkLink_Expert__r.Name',
        'WorkOrder.WorkLink_Expert__r.WorkLink_Call_Link__c'
      ]);
    });

    it('adds the admin-chosen asset id field, with or without the WorkOrder prefix', async () => {
      render({ assetIdField: 'Catalog_Asset_Code__c' });
      await flushPromises();
      expect(wireConfigFor(getRecord, WITH_CASE.id).optionalFields).toContain(
        'WorkOrder.Catalog_Asset_Code__c'
      );
      resetDom();
      render({ assetIdField: 'WorkOrder.Asset.Legacy_Code__c' });
      await flushPromises();
      expect(wireConfigFor(getRecord, WITH_CASE.id).optionalFields).toContain(
        'WorkOrder.Asset.Legacy_Code__c'
      );
    });

    it('falls back to the default field when the setting is not a field path', async () => {
      render({ assetIdField: 'Asset.Name); DROP' });
      await flushPromises();
      const { optionalFields } = wireConfigFor(getRecord, WITH_CASE.id);
      expect(optionalFields).not.toContain('WorkOrder.Asset.Name); DROP');
      expect(
        optionalFields.filter((f) => f.endsWith('Scope_Asset_Id__c'))
      ).toEqual(['WorkOrder.Asset.Scope_Asset_Id__c']);
    });
  });

  describe('ready', () => {
    it('links Launch and Call expert with the work order, number and case', async () => {
      const element = await renderWith(WITH_CASE);
      const launch = $(element, 'launch');
      const call = $(element, 'call');
      expect(launch.tagName).toBe('A');
      expect(launch.getAttribute('href')).toBe(
        'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
          '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
          '&case_id=5005g0000001001AAA'
      );
      expect(launch.className).toBe('slds-button slds-button_brand');
      expect(launch.getAttribute('target')).toBeNull();
      expect(launch.textContent).toBe('Launch in WorkLink');
      expect(call.tagName).toBe('A');
      expect(call.getAttribute('href')).toBe(
        `${DANA_LINK}&work_order_id=0WO5g0000000101GAA` +
          '&work_order_number=00000101&case_id=5005g0000001001AAA'
      );
      expect($(element, 'expert').textContent).toBe('Expert: Dana Reyes');
      await expect(element).toBeAccessible();
    });

    it('omits case_id when the work order has no case', async () => {
      const element = await renderWith(WITHOUT_CASE);
      expect($(element, 'launch').getAttribute('href')).toBe(
        'worklink://resource?action=fetch_catalog&asset=HVAC-7' +
          '&work_order_id=0WO5g0000000102GAA&work_order_number=00000102'
      );
      expect($(element, 'call').getAttribute('href')).toBe(
        'worklink://resource?action=fetch_user&user=502' +
          '&work_order_id=0WO5g0000000102GAA&work_order_number=00000102'
      );
    });

    it("encodes hostile values and never overrides the call link's own keys", async () => {
      const element = await renderWith(HOSTILE, {
        extraParameters: 'note=a b&c=d#e&asset=EVIL&région=x&site=Zürich'
      });
      expect($(element, 'launch').getAttribute('href')).toBe(
        'worklink://resource?action=fetch_catalog' +
          '&asset=PUMP%20100%26x%3D1%23frag%2F%C3%BC' +
          '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
          '&case_id=5005g0000001001AAA&note=a%20b&c=d%23e&site=Z%C3%BCrich'
      );
      expect($(element, 'call').getAttribute('href')).toBe(
        'worklink://resource?action=fetch_user&user=501&work_order_id=KEEP' +
          '&work_order_number=00000101&case_id=5005g0000001001AAA' +
          '&note=a%20b&c=d%23e&site=Z%C3%BCrich#call'
      );
    });

    it('keeps a very long asset id whole', async () => {
      const record = clone(WITH_CASE);
      const longId = `${'Ω'.repeat(255)}`;
      record.fields.Asset.value.fields.Scope_Asset_Id__c.value = longId;
      const element = await renderWith(record);
      const href = $(element, 'launch').getAttribute('href');
      expect(href).toContain(
        `&asset=${encodeURIComponent(longId)}&work_order_id=`
      );
    });

    it('reads the asset id from the field the admin chose', async () => {
      const element = await renderWith(CUSTOM_ASSET_FIELD, {
        assetIdField: 'Catalog_Asset_Code__c'
      });
      expect($(element, 'launch').getAttribute('href')).toBe(
        'worklink://resource?action=fetch_catalog&asset=CUSTOM-77' +
          '&work_order_id=0WO5g0000000103GAA&work_order_number=00000103'
      );
    });

    it('opens the deferred page in a new tab when the admin set one', async () => {
      const element = await renderWith(WITHOUT_CASE, {
        deferredLinkBase: 'https://getworklink.com/deferred'
      });
      const launch = $(element, 'launch');
      const inner =
        'worklink://resource?action=fetch_catalog&asset=HVAC-7' +
        '&work_order_id=0WO5g0000000102GAA&work_order_number=00000102';
      expect(launch.getAttribute('href')).toBe(
        `https://getworklink.com/deferred?deep_link=${encodeURIComponent(inner)}`
      );
      expect(launch.getAttribute('target')).toBe('_blank');
      expect(launch.getAttribute('rel')).toBe('noopener');
    });
  });

  describe('no asset id', () => {
    it('disables Launch and says the asset needs a Scope Asset ID', async () => {
      const element = await renderWith(ASSET_WITHOUT_SCOPE_ID);
      const launch = $(element, 'launch');
      expect(launch.tagName).toBe('BUTTON');
      expect(launch.disabled).toBe(true);
      const reason = $(element, 'launch-reason');
      expect(reason.textContent).toBe(
        "Launch is not available: the asset has no Scope Asset ID. Ask your Salesforce admin to copy the Asset ID of the asset's Scenario Catalog from the Scope CMS into the asset's Scope Asset ID field."
      );
      expect(launch.getAttribute('aria-describedby')).toBe(reason.id);
      // Calling the expert still works without an asset.
      expect($(element, 'call').tagName).toBe('A');
      await expect(element).toBeAccessible();
    });

    it('says the work order has no asset when there is none', async () => {
      const element = await renderWith(WITHOUT_ASSET);
      expect($(element, 'launch').disabled).toBe(true);
      expect($(element, 'launch-reason').textContent).toMatch(
        /^Launch is not available: this work order has no asset\./
      );
      await expect(element).toBeAccessible();
    });
  });

  describe('no expert', () => {
    it('disables Call expert and says why', async () => {
      const element = await renderWith(WITHOUT_EXPERT);
      const call = $(element, 'call');
      expect(call.tagName).toBe('BUTTON');
      expect(call.disabled).toBe(true);
      const reason = $(element, 'call-reason');
      expect(reason.textContent).toMatch(
        /^Call is not available: no WorkLink expert is set on this work order\./
      );
      expect(call.getAttribute('aria-describedby')).toBe(reason.id);
      expect($(element, 'expert')).toBeNull();
      expect($(element, 'launch').getAttribute('href')).toBe(
        'worklink://resource?action=fetch_catalog&asset=GEN-3000' +
          '&work_order_id=0WO5g0000000103GAA&work_order_number=00000103'
      );
      await expect(element).toBeAccessible();
    });

    it('uses the default expert link from App Builder', async () => {
      const element = await renderWith(WITHOUT_EXPERT, {
        defaultExpertLink: 'worklink://resource?action=fetch_user&user=502'
      });
      expect($(element, 'call').getAttribute('href')).toBe(
        'worklink://resource?action=fetch_user&user=502' +
          '&work_order_id=0WO5g0000000103GAA&work_order_number=00000103'
      );
    });

    it('disables Call expert when the expert has no call link', async () => {
      const element = await renderWith(EXPERT_WITHOUT_LINK, {
        defaultExpertLink: DANA_LINK
      });
      expect($(element, 'call').disabled).toBe(true);
      expect($(element, 'call-reason').textContent).toMatch(
        /^Call is not available: Lee Park has no valid WorkLink call link\./
      );
      await expect(element).toBeAccessible();
    });

    it('never renders an unsafe call link', async () => {
      const element = await renderWith(EXPERT_UNSAFE_LINK);
      expect($(element, 'call').tagName).toBe('BUTTON');
      expect(
        element.shadowRoot.querySelector('a[href^="javascript"]')
      ).toBeNull();
    });
  });

  describe('wire error', () => {
    it('shows the message without crashing', async () => {
      const element = render();
      getRecord.error(NOT_FOUND, 404, 'Not Found');
      await flushPromises();
      const error = $(element, 'error');
      expect(error.getAttribute('role')).toBe('alert');
      expect(error.textContent).toBe(
        'WorkLink could not load this work order. Reload the page; if it keeps failing, tell your Salesforce admin: The requested resource does not exist'
      );
      expect($(element, 'launch')).toBeNull();
      expect($(element, 'call')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('recovers when the wire later returns data', async () => {
      const element = render();
      getRecord.error(NOT_FOUND, 404, 'Not Found');
      await flushPromises();
      getRecord.emit(WITH_CASE);
      await flushPromises();
      expect($(element, 'error')).toBeNull();
      expect($(element, 'launch').tagName).toBe('A');
    });
  });
});

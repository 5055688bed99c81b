import { getRecord } from 'lightning/uiRecordApi';
import WorklinkLauncher from 'c/worklinkLauncher';
import { flushPromises, mount, resetDom } from 'test-utils';

// The Salesforce mobile app and the Field Service mobile app report a phone as "Small".
jest.mock('@salesforce/client/formFactor', () => ({ default: 'Small' }), {
  virtual: true
});

const WITH_CASE = require('./data/workOrderWithCase.json');
const WITHOUT_EXPERT = require('./data/workOrderWithoutExpert.json');

async function renderWith(record) {
  const element = mount('c-worklink-launcher', WorklinkLauncher, {
    recordId: record.id
  });
  getRecord.emit(record);
  await flushPromises();
  return element;
}

describe('c-worklink-launcher on a phone', () => {
  afterEach(resetDom);

  it('stacks full-width buttons that are still plain links to the app', async () => {
    const element = await renderWith(WITH_CASE);
    const actions = element.shadowRoot.querySelector('.actions');
    expect(actions.classList).toContain('actions_phone');
    const launch = element.shadowRoot.querySelector('[data-id="launch"]');
    expect(launch.tagName).toBe('A');
    expect(launch.className).toBe(
      'slds-button slds-button_brand slds-button_stretch'
    );
    expect(launch.getAttribute('href')).toBe(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
        '&work_order_id=0WO5g0000000101GAA&work_order_number=00000101' +
        '&case_id=5005g0000001001AAA'
    );
    await expect(element).toBeAccessible();
  });

  it('keeps the disabled explanation on a phone', async () => {
    const element = await renderWith(WITHOUT_EXPERT);
    const call = element.shadowRoot.querySelector('[data-id="call"]');
    expect(call.disabled).toBe(true);
    expect(call.className).toContain('slds-button_stretch');
    await expect(element).toBeAccessible();
  });
});

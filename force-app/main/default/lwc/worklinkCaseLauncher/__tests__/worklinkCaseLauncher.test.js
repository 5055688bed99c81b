import { getRecord } from 'lightning/uiRecordApi';
import WorklinkCaseLauncher from 'c/worklinkCaseLauncher';
import { flushPromises, mount, resetDom, wireConfigFor } from 'test-utils';

const WITH_ASSET = require('./data/caseWithAssetAndExpert.json');
const WITHOUT_ASSET = require('./data/caseWithoutAsset.json');

async function renderWith(record, props = {}) {
  const element = mount('c-worklink-case-launcher', WorklinkCaseLauncher, {
    recordId: record.id,
    ...props
  });
  await flushPromises();
  getRecord.emit(record, (config) => config.recordId === record.id);
  await flushPromises();
  return element;
}

const part = (element, id) =>
  element.shadowRoot
    .querySelector('c-worklink-launcher')
    .shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-worklink-case-launcher', () => {
  afterEach(resetDom);

  it("reads the case's number, asset and expert", async () => {
    mount('c-worklink-case-launcher', WorklinkCaseLauncher, {
      recordId: WITH_ASSET.id
    });
    await flushPromises();
    const config = wireConfigFor(getRecord, WITH_ASSET.id);
    expect(
      config.fields.map((f) => `${f.objectApiName}.${f.fieldApiName}`)
    ).toEqual(['Case.Id', 'Case.CaseNumber']);
    expect(config.optionalFields).toEqual([
      'Case.AssetId',
      'Case.Asset.Scope_Asset_Id__c',
      'Case.WorkLink_Expert__c',
      'Case.WorkLink_Expert__r.Name',
      'Case.WorkLink_Expert__r.WorkLink_Call_Link__c'
    ]);
  });

  it("launches the case's asset and calls the case's expert with case id and number", async () => {
    const element = await renderWith(WITH_ASSET);
    expect(part(element, 'launch').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_catalog&asset=PUMP-100' +
        '&case_id=5005g0000001001AAA&case_number=00001001'
    );
    expect(part(element, 'call').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_user&user=503' +
        '&case_id=5005g0000001001AAA&case_number=00001001'
    );
    expect(part(element, 'expert').textContent).toBe('Expert: Lee Okafor');
    await expect(element).toBeAccessible();
  });

  it('calls the default expert when the case names none, and says why Launch is off', async () => {
    const element = await renderWith(WITHOUT_ASSET, {
      defaultExpertLink: 'worklink://resource?action=fetch_user&user=900'
    });
    expect(part(element, 'launch').disabled).toBe(true);
    expect(part(element, 'launch-reason').textContent).toContain(
      'this case has no asset'
    );
    expect(part(element, 'call').getAttribute('href')).toBe(
      'worklink://resource?action=fetch_user&user=900' +
        '&case_id=5005g0000001002AAA&case_number=00001002'
    );
    await expect(element).toBeAccessible();
  });

  it('explains a missing expert on the case', async () => {
    const element = await renderWith(WITHOUT_ASSET);
    expect(part(element, 'call').disabled).toBe(true);
    expect(part(element, 'call-reason').textContent).toContain(
      'no WorkLink expert is set on this case'
    );
  });
});

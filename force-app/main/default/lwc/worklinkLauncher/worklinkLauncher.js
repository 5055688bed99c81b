import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import FORM_FACTOR from '@salesforce/client/formFactor';
import ID_FIELD from '@salesforce/schema/WorkOrder.Id';
import NUMBER_FIELD from '@salesforce/schema/WorkOrder.WorkOrderNumber';
import CASE_ID_FIELD from '@salesforce/schema/WorkOrder.CaseId';
import ASSET_REF_FIELD from '@salesforce/schema/WorkOrder.AssetId';
import ASSET_ID_FIELD from '@salesforce/schema/WorkOrder.Asset.Scope_Asset_Id__c';
import EXPERT_FIELD from '@salesforce/schema/WorkOrder.WorkLink_Expert__c';
import EXPERT_NAME_FIELD from '@salesforce/schema/WorkOrder.WorkLink_Expert__r.Name';
import EXPERT_CALL_LINK_FIELD from '@salesforce/schema/WorkOrder.WorkLink_Expert__r.WorkLink_Call_Link__c';
import TITLE from '@salesforce/label/c.WorkLink_Card_Title';
import LAUNCH from '@salesforce/label/c.WorkLink_Launch';
import CALL_EXPERT from '@salesforce/label/c.WorkLink_Call_Expert';
import EXPERT from '@salesforce/label/c.WorkLink_Expert';
import LOADING from '@salesforce/label/c.WorkLink_Loading';
import NO_ASSET from '@salesforce/label/c.WorkLink_No_Asset';
import NO_ASSET_ID from '@salesforce/label/c.WorkLink_No_Asset_Id';
import NO_EXPERT from '@salesforce/label/c.WorkLink_No_Expert';
import NO_CALL_LINK from '@salesforce/label/c.WorkLink_No_Call_Link';
import LOAD_ERROR from '@salesforce/label/c.WorkLink_Load_Error';
import OPENS_APP from '@salesforce/label/c.WorkLink_Opens_App';
import {
  DEFAULT_ASSET_ID_FIELD,
  launcherView,
  optionalFieldsFor
} from './launcherView';

// Everything but Id and number is optional: missing field access shows a
// "not available" state instead of failing the whole wire.
const FIXED_OPTIONAL_FIELDS = [
  CASE_ID_FIELD,
  ASSET_REF_FIELD,
  ASSET_ID_FIELD,
  EXPERT_FIELD,
  EXPERT_NAME_FIELD,
  EXPERT_CALL_LINK_FIELD
];
const FIELDS = {
  number: NUMBER_FIELD,
  caseId: CASE_ID_FIELD,
  assetRef: ASSET_REF_FIELD,
  expert: EXPERT_FIELD,
  expertName: EXPERT_NAME_FIELD,
  expertCallLink: EXPERT_CALL_LINK_FIELD
};
const VIEW_LABELS = {
  loadError: LOAD_ERROR,
  noAsset: NO_ASSET,
  noAssetId: NO_ASSET_ID,
  noExpert: NO_EXPERT,
  noCallLink: NO_CALL_LINK,
  expert: EXPERT
};
const IS_PHONE = FORM_FACTOR === 'Small';

export default class WorklinkLauncher extends LightningElement {
  @api recordId;

  labels = { TITLE, LAUNCH, CALL_EXPERT, EXPERT, LOADING, OPENS_APP };
  settings = { assetIdField: DEFAULT_ASSET_ID_FIELD };
  wired;
  view = launcherView({
    wired: undefined,
    settings: this.settings,
    fields: FIELDS,
    labels: VIEW_LABELS,
    isPhone: IS_PHONE
  });
  requestedFields = optionalFieldsFor(
    FIXED_OPTIONAL_FIELDS,
    DEFAULT_ASSET_ID_FIELD
  );

  /** Field path on WorkOrder holding the Scope Asset ID (App Builder). */
  @api
  get assetIdField() {
    return this.settings.assetIdField;
  }
  set assetIdField(value) {
    this.requestedFields = optionalFieldsFor(FIXED_OPTIONAL_FIELDS, value);
    this.applySettings({ assetIdField: value });
  }

  /** Call link used when the work order names no expert (App Builder). */
  @api
  get defaultExpertLink() {
    return this.settings.defaultExpertLink;
  }
  set defaultExpertLink(value) {
    this.applySettings({ defaultExpertLink: value });
  }

  /** Extra static external data, `key=value&key2=value2` (App Builder). */
  @api
  get extraParameters() {
    return this.settings.extraParameters;
  }
  set extraParameters(value) {
    this.applySettings({ extraParameters: value });
  }

  /** Optional deferred-link page, e.g. https://getworklink.com/deferred (App Builder). */
  @api
  get deferredLinkBase() {
    return this.settings.deferredLinkBase;
  }
  set deferredLinkBase(value) {
    this.applySettings({ deferredLinkBase: value });
  }

  // Child components get their labels from getters (the analyser cannot follow `labels.*` into them).
  get cardTitle() {
    return TITLE;
  }

  get loadingText() {
    return LOADING;
  }

  get optionalFields() {
    return this.requestedFields;
  }

  @wire(getRecord, {
    recordId: '$recordId',
    fields: [ID_FIELD, NUMBER_FIELD],
    optionalFields: '$optionalFields'
  })
  wiredWorkOrder(result) {
    this.wired = result;
    this.refreshView();
  }

  applySettings(change) {
    this.settings = { ...this.settings, ...change };
    this.refreshView();
  }

  refreshView() {
    this.view = launcherView({
      wired: this.wired,
      settings: this.settings,
      fields: FIELDS,
      labels: VIEW_LABELS,
      isPhone: IS_PHONE
    });
  }
}

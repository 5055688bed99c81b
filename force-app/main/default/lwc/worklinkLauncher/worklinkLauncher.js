import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
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
  buildCallLink,
  buildLaunchLink,
  parseStaticParams
} from 'c/worklinkDeeplinks';

const DEFAULT_ASSET_ID_FIELD = 'Asset.Scope_Asset_Id__c';
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const qualified = (field) => `${field.objectApiName}.${field.fieldApiName}`;

function format(label, ...values) {
  return label.replace(/\{(\d+)\}/g, (match, i) => values[i] ?? match);
}

function errorText(error) {
  const body = error && error.body;
  if (Array.isArray(body)) {
    return body.map((e) => e.message).join(', ');
  }
  return (body && body.message) || (error && error.message) || '';
}

export default class WorklinkLauncher extends LightningElement {
  @api recordId;
  /** Field path on WorkOrder holding the Scope Asset ID (App Builder). */
  @api assetIdField = DEFAULT_ASSET_ID_FIELD;
  /** Call link used when the work order names no expert (App Builder). */
  @api defaultExpertLink;
  /** Extra static external data, `key=value&key2=value2` (App Builder). */
  @api extraParameters;
  /** Optional deferred-link page, e.g. https://getworklink.com/deferred (App Builder). */
  @api deferredLinkBase;

  labels = { TITLE, LAUNCH, CALL_EXPERT, EXPERT, LOADING, OPENS_APP };
  record;
  error;

  get assetIdPath() {
    const raw = (this.assetIdField || '').trim().replace(/^WorkOrder\./, '');
    return `WorkOrder.${FIELD_PATH.test(raw) ? raw : DEFAULT_ASSET_ID_FIELD}`;
  }

  // Everything but Id and number is optional: missing field access shows a
  // "not available" state instead of failing the whole wire.
  get optionalFields() {
    const fields = [
      CASE_ID_FIELD,
      ASSET_REF_FIELD,
      ASSET_ID_FIELD,
      EXPERT_FIELD,
      EXPERT_NAME_FIELD,
      EXPERT_CALL_LINK_FIELD
    ].map(qualified);
    return [...new Set([...fields, this.assetIdPath])];
  }

  @wire(getRecord, {
    recordId: '$recordId',
    fields: [ID_FIELD, NUMBER_FIELD],
    optionalFields: '$optionalFields'
  })
  wiredWorkOrder({ data, error }) {
    this.record = data;
    this.error = error;
  }

  get isLoading() {
    return !this.record && !this.error;
  }

  get errorMessage() {
    return this.error ? format(LOAD_ERROR, errorText(this.error)) : null;
  }

  get isPhone() {
    return FORM_FACTOR === 'Small';
  }

  get actionsClass() {
    return this.isPhone ? 'actions actions_phone' : 'actions';
  }

  get buttonClass() {
    const stretch = this.isPhone ? ' slds-button_stretch' : '';
    return `slds-button slds-button_brand${stretch}`;
  }

  value(field) {
    return getFieldValue(this.record, field) ?? null;
  }

  get linkContext() {
    return {
      workOrderId: this.record.id,
      workOrderNumber: this.value(NUMBER_FIELD),
      caseId: this.value(CASE_ID_FIELD),
      staticParams: parseStaticParams(this.extraParameters),
      deferredBase: this.deferredLinkBase
    };
  }

  get launchLink() {
    return buildLaunchLink({
      ...this.linkContext,
      assetId: this.value(this.assetIdPath)
    });
  }

  get launchReason() {
    const needsAsset = this.assetIdPath.startsWith('WorkOrder.Asset.');
    return needsAsset && !this.value(ASSET_REF_FIELD) ? NO_ASSET : NO_ASSET_ID;
  }

  get expertName() {
    return this.value(EXPERT_NAME_FIELD);
  }

  get callLink() {
    const callLink = this.value(EXPERT_FIELD)
      ? this.value(EXPERT_CALL_LINK_FIELD)
      : this.defaultExpertLink;
    return buildCallLink({ ...this.linkContext, callLink });
  }

  get callReason() {
    if (!this.value(EXPERT_FIELD)) {
      return NO_EXPERT;
    }
    return format(NO_CALL_LINK, this.expertName || EXPERT);
  }

  linkTarget(link) {
    // A custom scheme must not open an empty tab; a deferred https page may.
    return link && link.startsWith('https://') ? '_blank' : undefined;
  }

  get launchTarget() {
    return this.linkTarget(this.launchLink);
  }

  get callTarget() {
    return this.linkTarget(this.callLink);
  }
}

import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
// lightning/uiGraphQLApi, not lightning/graphql: the lint rule itself names Mobile Offline as the case
// for it, and Komaci (the offline analyser) knows this module.
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { gql, graphql } from 'lightning/uiGraphQLApi';
import FORM_FACTOR from '@salesforce/client/formFactor';
import WO_ID_FIELD from '@salesforce/schema/WorkOrder.Id';
import WO_NUMBER_FIELD from '@salesforce/schema/WorkOrder.WorkOrderNumber';
import WO_CASE_ID_FIELD from '@salesforce/schema/WorkOrder.CaseId';
import WO_ASSET_REF_FIELD from '@salesforce/schema/WorkOrder.AssetId';
import WO_ASSET_ID_FIELD from '@salesforce/schema/WorkOrder.Asset.Scope_Asset_Id__c';
import WO_EXPERT_FIELD from '@salesforce/schema/WorkOrder.WorkLink_Expert__c';
import WO_EXPERT_NAME_FIELD from '@salesforce/schema/WorkOrder.WorkLink_Expert__r.Name';
import WO_EXPERT_CALL_LINK_FIELD from '@salesforce/schema/WorkOrder.WorkLink_Expert__r.WorkLink_Call_Link__c';
import WOLI_ID_FIELD from '@salesforce/schema/WorkOrderLineItem.Id';
import WOLI_WORK_ORDER_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrderId';
import WOLI_WO_NUMBER_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrder.WorkOrderNumber';
import WOLI_WO_CASE_ID_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrder.CaseId';
import WOLI_ASSET_REF_FIELD from '@salesforce/schema/WorkOrderLineItem.AssetId';
import WOLI_ASSET_ID_FIELD from '@salesforce/schema/WorkOrderLineItem.Asset.Scope_Asset_Id__c';
import WOLI_WO_ASSET_REF_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrder.AssetId';
import WOLI_WO_ASSET_ID_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrder.Asset.Scope_Asset_Id__c';
import WOLI_WO_EXPERT_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrder.WorkLink_Expert__c';
import WOLI_WO_EXPERT_NAME_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrder.WorkLink_Expert__r.Name';
import WOLI_WO_EXPERT_CALL_LINK_FIELD from '@salesforce/schema/WorkOrderLineItem.WorkOrder.WorkLink_Expert__r.WorkLink_Call_Link__c';
import SA_ID_FIELD from '@salesforce/schema/ServiceAppointment.Id';
import SA_PARENT_FIELD from '@salesforce/schema/ServiceAppointment.ParentRecordId';
import SA_EXPERT_FIELD from '@salesforce/schema/ServiceAppointment.WorkLink_Expert__c';
import SA_EXPERT_NAME_FIELD from '@salesforce/schema/ServiceAppointment.WorkLink_Expert__r.Name';
import SA_EXPERT_CALL_LINK_FIELD from '@salesforce/schema/ServiceAppointment.WorkLink_Expert__r.WorkLink_Call_Link__c';
import CASE_ID_FIELD from '@salesforce/schema/Case.Id';
import CASE_NUMBER_FIELD from '@salesforce/schema/Case.CaseNumber';
import CASE_ASSET_REF_FIELD from '@salesforce/schema/Case.AssetId';
import CASE_ASSET_ID_FIELD from '@salesforce/schema/Case.Asset.Scope_Asset_Id__c';
import CASE_EXPERT_FIELD from '@salesforce/schema/Case.WorkLink_Expert__c';
import CASE_EXPERT_NAME_FIELD from '@salesforce/schema/Case.WorkLink_Expert__r.Name';
import CASE_EXPERT_CALL_LINK_FIELD from '@salesforce/schema/Case.WorkLink_Expert__r.WorkLink_Call_Link__c';
import TITLE from '@salesforce/label/c.WorkLink_Card_Title';
import LAUNCH from '@salesforce/label/c.WorkLink_Launch';
import CALL_EXPERT from '@salesforce/label/c.WorkLink_Call_Expert';
import EXPERT from '@salesforce/label/c.WorkLink_Expert';
import LOADING from '@salesforce/label/c.WorkLink_Loading';
import NO_ASSET from '@salesforce/label/c.WorkLink_No_Asset';
import NO_CASE_ASSET from '@salesforce/label/c.WorkLink_No_Case_Asset';
import NO_ASSET_ID from '@salesforce/label/c.WorkLink_No_Asset_Id';
import NO_PARENT from '@salesforce/label/c.WorkLink_No_Appointment_Parent';
import NO_EXPERT from '@salesforce/label/c.WorkLink_No_Expert';
import NO_CASE_EXPERT from '@salesforce/label/c.WorkLink_No_Case_Expert';
import NO_APPOINTMENT_EXPERT from '@salesforce/label/c.WorkLink_No_Appointment_Expert';
import NO_CALL_LINK from '@salesforce/label/c.WorkLink_No_Call_Link';
import LOAD_ERROR from '@salesforce/label/c.WorkLink_Load_Error';
import OPENS_APP from '@salesforce/label/c.WorkLink_Opens_App';
import {
  APPOINTMENT,
  CASE,
  DEFAULT_ASSET_ID_FIELD,
  LINE_ITEM,
  PARENT_LINE_ITEM,
  PARENT_WORK_ORDER,
  WORK_ORDER,
  assetIdPaths,
  resolveJob
} from './jobContext';
import { effectiveSettings, packagedSettings } from './launcherSettings';
import { launcherView } from './launcherView';

// Per entry point: the fields every record has are required, everything else is optional, so that
// missing field access shows a "not available" state instead of failing the whole wire.
const FIXED_OPTIONAL_FIELDS = {
  [WORK_ORDER]: [
    WO_CASE_ID_FIELD,
    WO_ASSET_REF_FIELD,
    WO_ASSET_ID_FIELD,
    WO_EXPERT_FIELD,
    WO_EXPERT_NAME_FIELD,
    WO_EXPERT_CALL_LINK_FIELD
  ],
  [LINE_ITEM]: [
    WOLI_WO_NUMBER_FIELD,
    WOLI_WO_CASE_ID_FIELD,
    WOLI_ASSET_REF_FIELD,
    WOLI_ASSET_ID_FIELD,
    WOLI_WO_ASSET_REF_FIELD,
    WOLI_WO_ASSET_ID_FIELD,
    WOLI_WO_EXPERT_FIELD,
    WOLI_WO_EXPERT_NAME_FIELD,
    WOLI_WO_EXPERT_CALL_LINK_FIELD
  ],
  [CASE]: [
    CASE_ASSET_REF_FIELD,
    CASE_ASSET_ID_FIELD,
    CASE_EXPERT_FIELD,
    CASE_EXPERT_NAME_FIELD,
    CASE_EXPERT_CALL_LINK_FIELD
  ]
};
// A Service Appointment's parent is read with optional fields only: the fields the parent's own wire
// requires (and the links carry) are asked for here too, or the UI API leaves them out.
const PARENT_OWN_FIELDS = {
  [WORK_ORDER]: [WO_NUMBER_FIELD],
  [LINE_ITEM]: [WOLI_WORK_ORDER_FIELD]
};
const APPOINTMENT_OPTIONAL_FIELDS = [
  SA_EXPERT_FIELD,
  SA_EXPERT_NAME_FIELD,
  SA_EXPERT_CALL_LINK_FIELD
];
const VIEW_LABELS = {
  loadError: LOAD_ERROR,
  noAsset: NO_ASSET,
  noCaseAsset: NO_CASE_ASSET,
  noAssetId: NO_ASSET_ID,
  noParent: NO_PARENT,
  noExpert: NO_EXPERT,
  noCaseExpert: NO_CASE_EXPERT,
  noAppointmentExpert: NO_APPOINTMENT_EXPERT,
  noCallLink: NO_CALL_LINK,
  expert: EXPERT
};
const IS_PHONE = FORM_FACTOR === 'Small';

/** The entry point: whichever id the container or the wrapping component set. */
function entryOf({ lineItemId, appointmentId, caseId }) {
  if (lineItemId) return LINE_ITEM;
  if (appointmentId) return APPOINTMENT;
  if (caseId) return CASE;
  return WORK_ORDER;
}

function qualified(field) {
  return typeof field === 'string'
    ? field
    : `${field.objectApiName}.${field.fieldApiName}`;
}

/** Each object's optional fields: the fixed ones plus where the admin's asset id setting points. */
function optionalFieldsFor(assetIdSetting) {
  const paths = assetIdPaths(assetIdSetting);
  const of = (object) => [
    ...new Set([
      ...FIXED_OPTIONAL_FIELDS[object].map(qualified),
      ...paths[object]
    ])
  ];
  const ofParent = (object) => [
    ...PARENT_OWN_FIELDS[object].map(qualified),
    ...of(object)
  ];
  return {
    [WORK_ORDER]: of(WORK_ORDER),
    [LINE_ITEM]: of(LINE_ITEM),
    [CASE]: of(CASE),
    [PARENT_WORK_ORDER]: ofParent(WORK_ORDER),
    [PARENT_LINE_ITEM]: ofParent(LINE_ITEM)
  };
}

/**
 * Launch in WorkLink and Call expert for one job. On a Work Order the platform sets recordId; the
 * Line Item, Service Appointment and Case components pass their record as lineItemId,
 * appointmentId or caseId. Every wire reads a public property or another wire's output, and the
 * field lists are static: what Field Service mobile needs to prime the component for offline use.
 */
export default class WorklinkLauncher extends LightningElement {
  /** A Work Order id (record page and quick action on Work Order). */
  @api recordId;
  /** A Work Order Line Item id (set by c-worklink-line-item-launcher). */
  @api lineItemId;
  /** A Service Appointment id (set by c-worklink-appointment-launcher). */
  @api appointmentId;
  /** A Case id (set by c-worklink-case-launcher). */
  @api caseId;

  labels = { TITLE, LAUNCH, CALL_EXPERT, EXPERT, LOADING, OPENS_APP };
  // App Builder values (record page) and the packaged WorkLink_Setting__mdt record; `settings` is the
  // effective result of both.
  pageSettings = {};
  packaged = {};
  settings = effectiveSettings({}, {});
  wires = {};
  view = launcherView({
    resolved: { pending: true },
    settings: this.settings,
    labels: VIEW_LABELS,
    isPhone: IS_PHONE
  });
  requestedFields = optionalFieldsFor(DEFAULT_ASSET_ID_FIELD);

  /** Field path on Work Order holding the Scope Asset ID (App Builder). */
  @api
  get assetIdField() {
    return this.pageSettings.assetIdField;
  }
  set assetIdField(value) {
    this.applySettings({ assetIdField: value });
  }

  /** Call link used when the record names no expert (App Builder). */
  @api
  get defaultExpertLink() {
    return this.pageSettings.defaultExpertLink;
  }
  set defaultExpertLink(value) {
    this.applySettings({ defaultExpertLink: value });
  }

  /** Extra static external data, `key=value&key2=value2` (App Builder). */
  @api
  get extraParameters() {
    return this.pageSettings.extraParameters;
  }
  set extraParameters(value) {
    this.applySettings({ extraParameters: value });
  }

  /** Optional deferred-link page, e.g. https://getworklink.com/deferred (App Builder). */
  @api
  get deferredLinkBase() {
    return this.pageSettings.deferredLinkBase;
  }
  set deferredLinkBase(value) {
    this.applySettings({ deferredLinkBase: value });
  }

  /** External-data key names over the defaults, e.g. `caseId=ticket_id` (App Builder). */
  @api
  get parameterKeys() {
    return this.pageSettings.parameterKeys;
  }
  set parameterKeys(value) {
    this.applySettings({ parameterKeys: value });
  }

  // Child components get their labels from getters (the analyser cannot follow `labels.*` into them).
  get cardTitle() {
    return TITLE;
  }

  get loadingText() {
    return LOADING;
  }

  get workOrderOptionalFields() {
    return this.requestedFields[WORK_ORDER];
  }

  get lineItemOptionalFields() {
    return this.requestedFields[LINE_ITEM];
  }

  get caseOptionalFields() {
    return this.requestedFields[CASE];
  }

  get appointmentWorkOrderFields() {
    return this.requestedFields[PARENT_WORK_ORDER];
  }

  get appointmentLineItemFields() {
    return this.requestedFields[PARENT_LINE_ITEM];
  }

  // The packaged settings, read through Lightning Data Service (no Apex). Until they answer, or when
  // the user may not read them, the defaults and the page's properties apply.
  @wire(graphql, {
    query: gql`
      query WorkLinkSetting {
        uiapi {
          query {
            WorkLink_Setting__mdt(
              where: { DeveloperName: { eq: "Default" } }
              first: 1
            ) {
              edges {
                node {
                  Id
                  Asset_Id_Field__c {
                    value
                  }
                  Default_Expert_Link__c {
                    value
                  }
                  Extra_Parameters__c {
                    value
                  }
                  Deferred_Link_Page__c {
                    value
                  }
                  Parameter_Keys__c {
                    value
                  }
                }
              }
            }
          }
        }
      }
    `
  })
  wiredSettings(result) {
    this.packaged = packagedSettings(result && result.data);
    this.applySettings({});
  }

  @wire(getRecord, {
    recordId: '$recordId',
    fields: [WO_ID_FIELD, WO_NUMBER_FIELD],
    optionalFields: '$workOrderOptionalFields'
  })
  wiredWorkOrder(result) {
    this.store(WORK_ORDER, result);
  }

  @wire(getRecord, {
    recordId: '$lineItemId',
    fields: [WOLI_ID_FIELD, WOLI_WORK_ORDER_FIELD],
    optionalFields: '$lineItemOptionalFields'
  })
  wiredLineItem(result) {
    this.store(LINE_ITEM, result);
  }

  @wire(getRecord, {
    recordId: '$caseId',
    fields: [CASE_ID_FIELD, CASE_NUMBER_FIELD],
    optionalFields: '$caseOptionalFields'
  })
  wiredCase(result) {
    this.store(CASE, result);
  }

  // The appointment twice with one configuration (LDS asks the server once): the property feeds the
  // parent wires below, the handler the view.
  @wire(getRecord, {
    recordId: '$appointmentId',
    fields: [SA_ID_FIELD, SA_PARENT_FIELD],
    optionalFields: APPOINTMENT_OPTIONAL_FIELDS
  })
  appointment;

  @wire(getRecord, {
    recordId: '$appointmentId',
    fields: [SA_ID_FIELD, SA_PARENT_FIELD],
    optionalFields: APPOINTMENT_OPTIONAL_FIELDS
  })
  wiredAppointment(result) {
    this.store(APPOINTMENT, result);
  }

  @wire(getRecord, {
    recordId: '$appointment.data.fields.ParentRecordId.value',
    optionalFields: '$appointmentWorkOrderFields'
  })
  wiredAppointmentWorkOrder(result) {
    this.store(PARENT_WORK_ORDER, result);
  }

  @wire(getRecord, {
    recordId: '$appointment.data.fields.ParentRecordId.value',
    optionalFields: '$appointmentLineItemFields'
  })
  wiredAppointmentLineItem(result) {
    this.store(PARENT_LINE_ITEM, result);
  }

  store(key, result) {
    this.wires = { ...this.wires, [key]: result };
    this.refreshView();
  }

  applySettings(change) {
    this.pageSettings = { ...this.pageSettings, ...change };
    const settings = effectiveSettings(this.packaged, this.pageSettings);
    if (settings.assetIdField !== this.settings.assetIdField)
      this.requestedFields = optionalFieldsFor(settings.assetIdField);
    this.settings = settings;
    this.refreshView();
  }

  refreshView() {
    const entry = entryOf(this);
    this.view = launcherView({
      entry,
      resolved: resolveJob({
        entry,
        wires: this.wires,
        assetIdField: this.settings.assetIdField
      }),
      settings: this.settings,
      labels: VIEW_LABELS,
      isPhone: IS_PHONE
    });
  }
}

import { LightningElement, wire } from 'lwc';
// lightning/uiGraphQLApi (v1), as in worklinkHealth: primeable, and enough for one query.
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { gql, graphql } from 'lightning/uiGraphQLApi';
import { getRelatedListsInfo } from 'lightning/uiRelatedListApi';
import TITLE from '@salesforce/label/c.WorkLink_Setup_Title';
import LOADING from '@salesforce/label/c.WorkLink_Setup_Loading';
import LOAD_ERROR from '@salesforce/label/c.WorkLink_Setup_Load_Error';
import OK from '@salesforce/label/c.WorkLink_Setup_Ok';
import CHECK from '@salesforce/label/c.WorkLink_Setup_Check';
import PROBLEM from '@salesforce/label/c.WorkLink_Setup_Problem';
import BY_HAND from '@salesforce/label/c.WorkLink_Setup_By_Hand';
import ACCESS_OK from '@salesforce/label/c.WorkLink_Setup_Access_Ok';
import ACCESS_PROBLEMS from '@salesforce/label/c.WorkLink_Setup_Access_Problems';
import ACCESS_ACTION from '@salesforce/label/c.WorkLink_Setup_Access_Action';
import ACCESS_UNKNOWN from '@salesforce/label/c.WorkLink_Setup_Access_Unknown';
import ACCESS_UNKNOWN_ACTION from '@salesforce/label/c.WorkLink_Setup_Access_Unknown_Action';
import APP_OK from '@salesforce/label/c.WorkLink_Setup_App_Ok';
import APP_FAILING from '@salesforce/label/c.WorkLink_Setup_App_Failing';
import APP_ACTION from '@salesforce/label/c.WorkLink_Setup_App_Action';
import APP_UNKNOWN from '@salesforce/label/c.WorkLink_Setup_App_Unknown';
import APP_UNKNOWN_ACTION from '@salesforce/label/c.WorkLink_Setup_App_Unknown_Action';
import NO_CONNECTOR from '@salesforce/label/c.WorkLink_Setup_No_Connector';
import NO_CONNECTOR_ACTION from '@salesforce/label/c.WorkLink_Setup_No_Connector_Action';
import LAYOUT_OK from '@salesforce/label/c.WorkLink_Setup_Layout_Ok';
import LAYOUT_MISSING from '@salesforce/label/c.WorkLink_Setup_Layout_Missing';
import LAYOUT_ACTION from '@salesforce/label/c.WorkLink_Setup_Layout_Action';
import LAYOUT_ERROR from '@salesforce/label/c.WorkLink_Setup_Layout_Error';
import LAYOUT_ERROR_ACTION from '@salesforce/label/c.WorkLink_Setup_Layout_Error_Action';
import MANUAL from '@salesforce/label/c.WorkLink_Setup_Manual';
import MANUAL_ACTION from '@salesforce/label/c.WorkLink_Setup_Manual_Action';
import WORK_ORDER from '@salesforce/label/c.WorkLink_Setup_Object_WorkOrder';
import LINE_ITEM from '@salesforce/label/c.WorkLink_Setup_Object_WorkOrderLineItem';
import APPOINTMENT from '@salesforce/label/c.WorkLink_Setup_Object_ServiceAppointment';
import CASE from '@salesforce/label/c.WorkLink_Setup_Object_Case';
import WHAT_TO_DO from '@salesforce/label/c.WorkLink_Health_What_To_Do';
import { deploymentRows, errorText, setupView } from './setupView';

const SETUP_QUERY = gql`
  query connectorSetup {
    uiapi {
      query {
        WorkLink_Connector_Status__c(
          orderBy: { Last_Heartbeat_At__c: { order: DESC, nulls: LAST } }
          first: 10
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Deployment_Id__c {
                value
              }
              Setup_Checked_At__c {
                value
              }
              Setup_Problems__c {
                value
              }
              Salesforce_Auth_State__c {
                value
              }
              Salesforce_Last_Error__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

const VIEW_LABELS = {
  levels: { ok: OK, check: CHECK, problem: PROBLEM, manual: BY_HAND },
  accessOk: ACCESS_OK,
  accessProblems: ACCESS_PROBLEMS,
  accessAction: ACCESS_ACTION,
  accessUnknown: ACCESS_UNKNOWN,
  accessUnknownAction: ACCESS_UNKNOWN_ACTION,
  appOk: APP_OK,
  appFailing: APP_FAILING,
  appAction: APP_ACTION,
  appUnknown: APP_UNKNOWN,
  appUnknownAction: APP_UNKNOWN_ACTION,
  noConnector: NO_CONNECTOR,
  noConnectorAction: NO_CONNECTOR_ACTION,
  layoutOk: LAYOUT_OK,
  layoutMissing: LAYOUT_MISSING,
  layoutAction: LAYOUT_ACTION,
  layoutError: LAYOUT_ERROR,
  layoutErrorAction: LAYOUT_ERROR_ACTION,
  manual: MANUAL,
  manualAction: MANUAL_ACTION,
  objects: {
    WorkOrder: WORK_ORDER,
    WorkOrderLineItem: LINE_ITEM,
    ServiceAppointment: APPOINTMENT,
    Case: CASE
  }
};

export default class WorklinkSetupCheck extends LightningElement {
  labels = { LOAD_ERROR, WHAT_TO_DO };
  loading = true;
  loadError;
  rows = [];
  layouts = {};
  checks = [];

  get titleText() {
    return TITLE;
  }

  get loadingText() {
    return LOADING;
  }

  @wire(graphql, { query: SETUP_QUERY, operationName: 'connectorSetup' })
  handleStatus({ data, errors }) {
    if (errors) {
      this.loading = false;
      this.loadError = errors
        .map((e) => (e && e.message) || '')
        .filter(Boolean)
        .join(' ');
    } else if (data) {
      this.loading = false;
      this.loadError = undefined;
      this.rows = deploymentRows(data);
    }
    this.judge();
  }

  // One wire per parent with a literal object name: statically analysable, so primeable offline.
  @wire(getRelatedListsInfo, { parentObjectApiName: 'WorkOrder' })
  handleWorkOrderLayout(result) {
    this.setLayout('WorkOrder', result);
  }

  @wire(getRelatedListsInfo, { parentObjectApiName: 'WorkOrderLineItem' })
  handleLineItemLayout(result) {
    this.setLayout('WorkOrderLineItem', result);
  }

  @wire(getRelatedListsInfo, { parentObjectApiName: 'ServiceAppointment' })
  handleAppointmentLayout(result) {
    this.setLayout('ServiceAppointment', result);
  }

  @wire(getRelatedListsInfo, { parentObjectApiName: 'Case' })
  handleCaseLayout(result) {
    this.setLayout('Case', result);
  }

  setLayout(objectApiName, { data, error }) {
    if (!data && !error) return;
    this.layouts = {
      ...this.layouts,
      [objectApiName]: error ? { error: errorText(error) || 'error' } : { data }
    };
    this.judge();
  }

  judge() {
    this.checks = setupView(this.rows, this.layouts, VIEW_LABELS);
  }
}

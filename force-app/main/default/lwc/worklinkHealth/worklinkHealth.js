import { LightningElement, api, wire } from 'lwc';
// lightning/uiGraphQLApi (v1), as in worklinkUnmatchedInbox: primeable, and enough for one query.
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { gql, graphql, refreshGraphQL } from 'lightning/uiGraphQLApi';
import TITLE from '@salesforce/label/c.WorkLink_Health_Title';
import LOADING from '@salesforce/label/c.WorkLink_Health_Loading';
import LOAD_ERROR from '@salesforce/label/c.WorkLink_Health_Load_Error';
import GREEN from '@salesforce/label/c.WorkLink_Health_Green';
import WARNING from '@salesforce/label/c.WorkLink_Health_Warning';
import RED from '@salesforce/label/c.WorkLink_Health_Red';
import ALL_GOOD from '@salesforce/label/c.WorkLink_Health_All_Good';
import DEPLOYMENT from '@salesforce/label/c.WorkLink_Health_Deployment';
import NO_HEARTBEAT_TITLE from '@salesforce/label/c.WorkLink_Health_No_Heartbeat_Title';
import NEVER from '@salesforce/label/c.WorkLink_Health_Never';
import NO_RECORD_ACTION from '@salesforce/label/c.WorkLink_Health_No_Record_Action';
import STALE from '@salesforce/label/c.WorkLink_Health_Stale';
import AGE_SECONDS from '@salesforce/label/c.WorkLink_Health_Age_Seconds';
import AGE_MINUTES from '@salesforce/label/c.WorkLink_Health_Age_Minutes';
import STALE_ACTION from '@salesforce/label/c.WorkLink_Health_Stale_Action';
import SCOPE_FAILING from '@salesforce/label/c.WorkLink_Health_Scope_Failing';
import SCOPE_ACTION from '@salesforce/label/c.WorkLink_Health_Scope_Action';
import SALESFORCE_FAILING from '@salesforce/label/c.WorkLink_Health_Salesforce_Failing';
import SALESFORCE_ACTION from '@salesforce/label/c.WorkLink_Health_Salesforce_Action';
import DEAD from '@salesforce/label/c.WorkLink_Health_Dead';
import DEAD_ACTION from '@salesforce/label/c.WorkLink_Health_Dead_Action';
import API from '@salesforce/label/c.WorkLink_Health_Api';
import API_ACTION from '@salesforce/label/c.WorkLink_Health_Api_Action';
import SIGNATURE from '@salesforce/label/c.WorkLink_Health_Signature';
import SIGNATURE_ACTION from '@salesforce/label/c.WorkLink_Health_Signature_Action';
import BEHIND from '@salesforce/label/c.WorkLink_Health_Behind';
import BEHIND_ACTION from '@salesforce/label/c.WorkLink_Health_Behind_Action';
import SYNC from '@salesforce/label/c.WorkLink_Health_Sync';
import SYNC_ACTION from '@salesforce/label/c.WorkLink_Health_Sync_Action';
import VERSION from '@salesforce/label/c.WorkLink_Health_Version';
import HEARTBEAT from '@salesforce/label/c.WorkLink_Health_Heartbeat';
import DELIVERIES from '@salesforce/label/c.WorkLink_Health_Deliveries';
import DELIVERIES_VALUE from '@salesforce/label/c.WorkLink_Health_Deliveries_Value';
import QUEUE from '@salesforce/label/c.WorkLink_Health_Queue';
import DEAD_LETTERS from '@salesforce/label/c.WorkLink_Health_Dead_Letters';
import SYNC_FACT from '@salesforce/label/c.WorkLink_Health_Sync_Fact';
import SYNC_VALUE from '@salesforce/label/c.WorkLink_Health_Sync_Value';
import API_FACT from '@salesforce/label/c.WorkLink_Health_Api_Fact';
import API_VALUE from '@salesforce/label/c.WorkLink_Health_Api_Value';
import WHAT_TO_DO from '@salesforce/label/c.WorkLink_Health_What_To_Do';
import { STALE_AFTER_MS, healthView, statusRows } from './healthView';

const STATUS_QUERY = gql`
  query connectorStatus {
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
              Connector_Version__c {
                value
              }
              Last_Heartbeat_At__c {
                value
              }
              Last_Delivery_At__c {
                value
              }
              Accepted_Last_Hour__c {
                value
              }
              Rejected_Last_Hour__c {
                value
              }
              Signature_Failures_Last_Hour__c {
                value
              }
              Signature_Failures_Prior_Hour__c {
                value
              }
              Queue_Depth__c {
                value
              }
              Oldest_Pending_At__c {
                value
              }
              Dead_Letters__c {
                value
              }
              Last_Sync_At__c {
                value
              }
              Last_Sync_Outcome__c {
                value
              }
              Records_Repaired__c {
                value
              }
              Api_Calls_Used__c {
                value
              }
              Api_Calls_Allowed__c {
                value
              }
              Scope_Auth_State__c {
                value
              }
              Scope_Last_Error__c {
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

/** The page re-judges the last answer this often (a silent connector turns red without a reload)… */
export const RECHECK_MS = 30 * 1000;
/** …and asks Salesforce again this often (the heartbeat writes at most once a minute). */
export const REFRESH_MS = 60 * 1000;

function positiveSeconds(value, fallbackMs) {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

const VIEW_LABELS = {
  green: GREEN,
  warning: WARNING,
  red: RED,
  deploymentTitle: DEPLOYMENT,
  noHeartbeatTitle: NO_HEARTBEAT_TITLE,
  neverTitle: NEVER,
  noRecordAction: NO_RECORD_ACTION,
  staleTitle: STALE,
  ageSeconds: AGE_SECONDS,
  ageMinutes: AGE_MINUTES,
  staleAction: STALE_ACTION,
  scopeTitle: SCOPE_FAILING,
  scopeAction: SCOPE_ACTION,
  salesforceTitle: SALESFORCE_FAILING,
  salesforceAction: SALESFORCE_ACTION,
  deadTitle: DEAD,
  deadAction: DEAD_ACTION,
  apiTitle: API,
  apiAction: API_ACTION,
  signatureTitle: SIGNATURE,
  signatureAction: SIGNATURE_ACTION,
  behindTitle: BEHIND,
  behindAction: BEHIND_ACTION,
  syncTitle: SYNC,
  syncAction: SYNC_ACTION,
  versionFact: VERSION,
  heartbeatFact: HEARTBEAT,
  deliveriesFact: DELIVERIES,
  deliveriesValue: DELIVERIES_VALUE,
  queueFact: QUEUE,
  deadFact: DEAD_LETTERS,
  syncFact: SYNC_FACT,
  syncValue: SYNC_VALUE,
  apiFact: API_FACT,
  apiValue: API_VALUE
};

export default class WorklinkHealth extends LightningElement {
  /** App Builder: red when the newest heartbeat is older than this (the connector writes every ≤ 10 min). */
  @api staleAfterSeconds = STALE_AFTER_MS / 1000;
  /** App Builder: how often the page asks Salesforce again. */
  @api refreshSeconds = REFRESH_MS / 1000;
  labels = { LOAD_ERROR, ALL_GOOD, WHAT_TO_DO };
  loading = true;
  loadError;
  rows = [];
  cards = [];
  wired;

  // Child components get their labels from getters (the analyser cannot follow `labels.*` into them).
  get titleText() {
    return TITLE;
  }

  get loadingText() {
    return LOADING;
  }

  @wire(graphql, { query: STATUS_QUERY, operationName: 'connectorStatus' })
  handleStatus(result) {
    this.wired = result;
    const { data, errors } = result;
    if (errors) {
      this.loading = false;
      this.loadError = errors
        .map((e) => (e && e.message) || '')
        .filter(Boolean)
        .join(' ');
    } else if (data) {
      this.loading = false;
      this.loadError = undefined;
      this.rows = statusRows(data);
    }
    this.judge();
  }

  connectedCallback() {
    // Timers on purpose: the page must turn red when heartbeats stop, without the admin reloading it.
    const refreshMs = positiveSeconds(this.refreshSeconds, REFRESH_MS);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.recheck = setInterval(
      () => this.judge(),
      Math.min(RECHECK_MS, refreshMs)
    );
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.refresh = setInterval(() => {
      if (this.wired) refreshGraphQL(this.wired);
    }, refreshMs);
  }

  disconnectedCallback() {
    clearInterval(this.recheck);
    clearInterval(this.refresh);
  }

  judge() {
    this.cards =
      this.loading || this.loadError
        ? []
        : healthView(
            this.rows,
            Date.now(),
            VIEW_LABELS,
            positiveSeconds(this.staleAfterSeconds, STALE_AFTER_MS)
          );
  }
}

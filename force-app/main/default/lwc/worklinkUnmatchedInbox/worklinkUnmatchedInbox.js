import { LightningElement, wire } from 'lwc';
// lightning/uiGraphQLApi (v1), not lightning/graphql (v2): the v2 adapter cannot be primed for offline
// use (Komaci, which this repository's lint enforces on every bundle), and the inbox needs nothing
// that only v2 has (optional fields, dynamic queries, mutations).
// eslint-disable-next-line @lwc/lwc/newer-version-available
import { gql, graphql } from 'lightning/uiGraphQLApi';
import { updateRecord } from 'lightning/uiRecordApi';
import FORM_FACTOR from '@salesforce/client/formFactor';
import TITLE from '@salesforce/label/c.WorkLink_Inbox_Title';
import LOADING from '@salesforce/label/c.WorkLink_Inbox_Loading';
import EMPTY from '@salesforce/label/c.WorkLink_Inbox_Empty';
import LOAD_ERROR from '@salesforce/label/c.WorkLink_Inbox_Load_Error';
import SAVE_ERROR from '@salesforce/label/c.WorkLink_Inbox_Save_Error';
import RAW_KEY from '@salesforce/label/c.WorkLink_Inbox_Raw_Key';
import TECHNICIAN from '@salesforce/label/c.WorkLink_Inbox_Technician';
import ASSET from '@salesforce/label/c.WorkLink_Inbox_Asset';
import SCENARIO from '@salesforce/label/c.WorkLink_Inbox_Scenario';
import TIME from '@salesforce/label/c.WorkLink_Inbox_Time';
import SUGGESTED from '@salesforce/label/c.WorkLink_Inbox_Suggested';
import NO_SUGGESTION from '@salesforce/label/c.WorkLink_Inbox_No_Suggestion';
import LINK_TO from '@salesforce/label/c.WorkLink_Inbox_Link_To';
import LINK from '@salesforce/label/c.WorkLink_Inbox_Link';
import LINKED_TO from '@salesforce/label/c.WorkLink_Inbox_Linked_To';
import UNDO from '@salesforce/label/c.WorkLink_Inbox_Undo';
import UNDONE from '@salesforce/label/c.WorkLink_Inbox_Undone';
import OTHER from '@salesforce/label/c.WorkLink_Inbox_Other_Work_Order';
import SELECT from '@salesforce/label/c.WorkLink_Inbox_Select';
import BULK_PICKER from '@salesforce/label/c.WorkLink_Inbox_Bulk_Picker';
import BULK_LINK from '@salesforce/label/c.WorkLink_Inbox_Bulk_Link';
import NUMBER_REASON from '@salesforce/label/c.WorkLink_Inbox_Number_Reason';
import ASSET_REASON from '@salesforce/label/c.WorkLink_Inbox_Asset_Reason';
import NO_KEY from '@salesforce/label/c.WorkLink_Inbox_No_Key';
import UNKNOWN from '@salesforce/label/c.WorkLink_Inbox_Unknown';
import {
  inboxView,
  linkInput,
  sessionRows,
  undoInput,
  workOrderRows
} from './inboxView';

const SESSIONS_QUERY = gql`
  query unmatchedSessions {
    uiapi {
      query {
        Scope_AR_Session__c(
          where: { Link_Status__c: { eq: "Unmatched" } }
          orderBy: { Started_At__c: { order: DESC, nulls: LAST } }
          first: 50
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              External_Work_Order_Ref__c {
                value
              }
              Technician__c {
                value
              }
              Scenario_Name__c {
                value
              }
              Kind__c {
                value
              }
              Started_At__c {
                value
                displayValue
              }
              External_Data__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

const WORK_ORDERS_QUERY = gql`
  query openWorkOrders {
    uiapi {
      query {
        WorkOrder(
          where: { IsClosed: { eq: false } }
          orderBy: { CreatedDate: { order: DESC } }
          first: 200
        ) {
          edges {
            node {
              Id
              WorkOrderNumber {
                value
              }
              Subject {
                value
              }
              AssetId {
                value
              }
              Asset {
                Name {
                  value
                }
                Scope_Asset_Id__c {
                  value
                }
              }
              StartDate {
                value
              }
              EndDate {
                value
              }
              CreatedDate {
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
  linkTo: LINK_TO,
  linkedTo: LINKED_TO,
  numberReason: NUMBER_REASON,
  assetReason: ASSET_REASON,
  otherWorkOrder: OTHER,
  select: SELECT,
  noKey: NO_KEY,
  unknown: UNKNOWN
};

// The Salesforce mobile app reports a phone as "Small": pickers and buttons then stack full width.
const CONTAINER_CLASS =
  FORM_FACTOR === 'Small'
    ? 'inbox inbox_phone slds-p-horizontal_small'
    : 'inbox slds-p-horizontal_small';

const errorText = (error) =>
  (error && error.body && error.body.message) || (error && error.message) || '';

export default class WorklinkUnmatchedInbox extends LightningElement {
  labels = {
    TITLE,
    LOADING,
    EMPTY,
    LOAD_ERROR,
    RAW_KEY,
    TECHNICIAN,
    ASSET,
    SCENARIO,
    TIME,
    SUGGESTED,
    NO_SUGGESTION
  };
  containerClass = CONTAINER_CLASS;
  loading = true;
  loadError;
  notice;
  saveError;
  busy = false;
  rows = [];
  sessions = [];
  workOrders = [];
  linked = {};
  selected = {};
  picked = {};
  bulkWorkOrderId;
  bulkDisabled = true;

  // Child components get their labels from getters (the analyser cannot follow `labels.*` into them).
  get titleText() {
    return TITLE;
  }

  get loadingText() {
    return LOADING;
  }

  get bulkPickerText() {
    return BULK_PICKER;
  }

  get linkText() {
    return LINK;
  }

  get undoText() {
    return UNDO;
  }

  @wire(graphql, {
    query: SESSIONS_QUERY,
    operationName: 'unmatchedSessions'
  })
  handleSessions({ data, errors }) {
    if (errors) {
      this.loading = false;
      this.loadError = errors.map(errorText).filter(Boolean).join(' ');
    } else if (data) {
      const fresh = sessionRows(data);
      const kept = this.sessions.filter(
        (s) => this.linked[s.id] && !fresh.some((f) => f.id === s.id)
      );
      this.sessions = [...fresh, ...kept];
      this.loading = false;
      this.loadError = undefined;
    }
    this.update();
  }

  @wire(graphql, {
    query: WORK_ORDERS_QUERY,
    operationName: 'openWorkOrders'
  })
  handleWorkOrders({ data }) {
    // Without work orders the inbox still works: no suggestions, the pickers remain.
    if (data) this.workOrders = workOrderRows(data);
    this.update();
  }

  update() {
    this.rows = inboxView({
      sessions: this.sessions,
      workOrders: this.workOrders,
      linked: this.linked,
      selected: this.selected,
      labels: VIEW_LABELS
    });
    this.isEmpty = !this.loading && !this.loadError && this.rows.length === 0;
    this.hasRows = !this.loading && !this.loadError && this.rows.length > 0;
    const count = this.rows.filter((r) => r.selected && !r.linked).length;
    this.bulkLabel = `${BULK_LINK} (${count})`;
    this.bulkDisabled = this.busy || count === 0 || !this.bulkWorkOrderId;
  }

  workOrderLabel(workOrderId) {
    const known = this.workOrders.find((w) => w.id === workOrderId);
    return known ? known.number : workOrderId;
  }

  async link(sessionIds, workOrderId) {
    this.busy = true;
    this.saveError = undefined;
    this.notice = undefined;
    this.update();
    try {
      await Promise.all(
        sessionIds.map((id) => updateRecord(linkInput(id, workOrderId)))
      );
      const label = this.workOrderLabel(workOrderId);
      const linked = { ...this.linked };
      const selected = { ...this.selected };
      for (const id of sessionIds) {
        linked[id] = { workOrderId, label };
        delete selected[id];
      }
      this.linked = linked;
      this.selected = selected;
      this.notice = `${LINKED_TO} ${label}`;
    } catch (error) {
      this.saveError = `${SAVE_ERROR} ${errorText(error)}`.trim();
    }
    this.busy = false;
    this.update();
  }

  handleSuggestion(event) {
    const { sessionId, workOrderId } = event.currentTarget.dataset;
    return this.link([sessionId], workOrderId);
  }

  handlePick(event) {
    const { sessionId } = event.currentTarget.dataset;
    this.picked = { ...this.picked, [sessionId]: event.detail.recordId };
  }

  handlePickedLink(event) {
    const { sessionId } = event.currentTarget.dataset;
    const workOrderId = this.picked[sessionId];
    if (!workOrderId) {
      this.saveError = SAVE_ERROR;
      return undefined;
    }
    return this.link([sessionId], workOrderId);
  }

  handleSelect(event) {
    const { sessionId } = event.currentTarget.dataset;
    this.selected = { ...this.selected, [sessionId]: event.target.checked };
    this.update();
  }

  handleBulkPick(event) {
    this.bulkWorkOrderId = event.detail.recordId;
    this.update();
  }

  handleBulkLink() {
    const ids = this.rows
      .filter((r) => r.selected && !r.linked)
      .map((r) => r.id);
    return this.link(ids, this.bulkWorkOrderId);
  }

  async handleUndo(event) {
    const { sessionId } = event.currentTarget.dataset;
    this.busy = true;
    this.saveError = undefined;
    try {
      await updateRecord(undoInput(sessionId));
      const linked = { ...this.linked };
      delete linked[sessionId];
      this.linked = linked;
      this.notice = UNDONE;
    } catch (error) {
      this.saveError = `${SAVE_ERROR} ${errorText(error)}`.trim();
    }
    this.busy = false;
    this.update();
  }
}

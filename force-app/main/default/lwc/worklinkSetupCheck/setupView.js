// The setup check's judgement, without touching the DOM: what the connector's heartbeat reports about
// the integration user and the External Client App, and what UI API shows of the page layouts the
// viewing admin gets. Each check is ok, check (warning), problem or by hand.

import { edgesOf, fieldValue, format } from 'c/worklinkUiApi';

/** Where the Scope AR Sessions related list belongs: each parent and its lookup on the session. */
export const LAYOUT_PARENTS = [
  { objectApiName: 'WorkOrder', lookup: 'Work_Order__c' },
  { objectApiName: 'WorkOrderLineItem', lookup: 'Work_Order_Line_Item__c' },
  { objectApiName: 'ServiceAppointment', lookup: 'Service_Appointment__c' },
  { objectApiName: 'Case', lookup: 'Case__c' }
];
export const SESSION_OBJECT = 'Scope_AR_Session__c';

export function deploymentRows(data) {
  return edgesOf(data, 'WorkLink_Connector_Status__c').map(({ node }) => ({
    id: node.Id,
    deployment: fieldValue(node.Deployment_Id__c) ?? fieldValue(node.Name),
    checkedAt: fieldValue(node.Setup_Checked_At__c),
    problems: fieldValue(node.Setup_Problems__c),
    salesforceAuth: fieldValue(node.Salesforce_Auth_State__c),
    salesforceError: fieldValue(node.Salesforce_Last_Error__c)
  }));
}

function accessCheck(row, labels) {
  const key = `${row.id}-access`;
  if (!row.checkedAt)
    return {
      key,
      level: 'check',
      title: format(labels.accessUnknown, row.deployment),
      action: labels.accessUnknownAction
    };
  if (row.problems)
    return {
      key,
      level: 'problem',
      title: format(
        labels.accessProblems,
        row.deployment,
        row.problems.split('\n').join(', ')
      ),
      action: labels.accessAction
    };
  return {
    key,
    level: 'ok',
    title: format(labels.accessOk, row.deployment, row.checkedAt)
  };
}

function appCheck(row, labels) {
  const key = `${row.id}-app`;
  if (row.salesforceAuth === 'OK')
    return { key, level: 'ok', title: format(labels.appOk, row.deployment) };
  if (row.salesforceAuth === 'Failing')
    return {
      key,
      level: 'problem',
      title: format(labels.appFailing, row.deployment, row.salesforceError),
      action: labels.appAction
    };
  return {
    key,
    level: 'check',
    title: format(labels.appUnknown, row.deployment),
    action: labels.appUnknownAction
  };
}

/** `layout`: { data } or { error } of getRelatedListsInfo for the parent, undefined while loading. */
function layoutCheck(parent, layout, labels) {
  const key = `layout-${parent.objectApiName}`;
  const name = labels.objects[parent.objectApiName];
  if (layout.error)
    return {
      key,
      level: 'check',
      title: format(labels.layoutError, name, layout.error),
      action: labels.layoutErrorAction
    };
  const lists = (layout.data && layout.data.relatedLists) || [];
  const shown = lists.some(
    (list) =>
      list.objectApiName === SESSION_OBJECT &&
      (!list.fieldApiName || list.fieldApiName === parent.lookup)
  );
  return shown
    ? { key, level: 'ok', title: format(labels.layoutOk, name) }
    : {
        key,
        level: 'check',
        title: format(labels.layoutMissing, name),
        action: format(labels.layoutAction, name)
      };
}

export function errorText(error) {
  const body = error && error.body;
  if (Array.isArray(body))
    return body
      .map((e) => e.message)
      .filter(Boolean)
      .join(' ');
  return (body && body.message) || (error && error.message) || '';
}

const LEVEL_CLASS = {
  ok: 'level slds-theme_success',
  check: 'level slds-theme_warning',
  problem: 'level slds-theme_error',
  manual: 'level slds-theme_shade'
};

/** Every check in display order, each with its badge. Layouts still loading are left out. */
export function setupView(rows, layouts, labels) {
  const connector =
    rows.length === 0
      ? [
          {
            key: 'no-connector',
            level: 'problem',
            title: labels.noConnector,
            action: labels.noConnectorAction
          }
        ]
      : rows.flatMap((row) => [
          accessCheck(row, labels),
          appCheck(row, labels)
        ]);
  const pages = LAYOUT_PARENTS.filter(
    (parent) => layouts[parent.objectApiName]
  ).map((parent) => layoutCheck(parent, layouts[parent.objectApiName], labels));
  const manual = {
    key: 'manual',
    level: 'manual',
    title: labels.manual,
    action: labels.manualAction
  };
  return [...connector, ...pages, manual].map((check) => ({
    ...check,
    levelLabel: labels.levels[check.level],
    levelClass: LEVEL_CLASS[check.level]
  }));
}

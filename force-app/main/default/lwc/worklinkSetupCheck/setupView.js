// The setup check's judgement, without touching the DOM: what the connector's heartbeat reports about
// the integration user and the External Client App, and what UI API shows of the page layouts the
// viewing admin gets. Each check is ok, check (warning), problem or by hand.

/** Where the Scope AR Sessions related list belongs: each parent and its lookup on the session. */
export const LAYOUT_PARENTS = [
  { objectApiName: 'WorkOrder', lookup: 'Work_Order__c' },
  { objectApiName: 'WorkOrderLineItem', lookup: 'Work_Order_Line_Item__c' },
  { objectApiName: 'ServiceAppointment', lookup: 'Service_Appointment__c' },
  { objectApiName: 'Case', lookup: 'Case__c' }
];
export const SESSION_OBJECT = 'Scope_AR_Session__c';

/** `{0}`, `{1}` … in a Custom Label, as Salesforce's own label formatting. */
export function format(label, ...values) {
  return String(label).replace(/\{(\d+)\}/g, (match, i) => {
    const replacement = values[Number(i)];
    return replacement === undefined ? match : String(replacement);
  });
}

function value(field) {
  return field && field.value !== undefined ? field.value : null;
}

export function deploymentRows(data) {
  const connection =
    data &&
    data.uiapi &&
    data.uiapi.query &&
    data.uiapi.query.WorkLink_Connector_Status__c;
  const edges =
    connection && Array.isArray(connection.edges) ? connection.edges : [];
  return edges.map(({ node }) => ({
    id: node.Id,
    deployment: value(node.Deployment_Id__c) ?? value(node.Name),
    checkedAt: value(node.Setup_Checked_At__c),
    problems: value(node.Setup_Problems__c),
    salesforceAuth: value(node.Salesforce_Auth_State__c),
    salesforceError: value(node.Salesforce_Last_Error__c)
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

// The Health page's judgement of the connector's heartbeat records (WorkLink_Connector_Status__c),
// without touching the DOM: each deployment green, warning or red, with one finding per problem, in
// plain language and with what to do about it. Thresholds are exported so the docs and tests name them.

import { edgesOf, fieldValue, format } from 'c/worklinkUiApi';

export const STALE_AFTER_MS = 10 * 60 * 1000;
export const API_WARNING = 0.8;
export const API_RED = 0.95;
export const DEAD_LETTERS_RED = 100;
export const BEHIND_AFTER_MS = 15 * 60 * 1000;
export const SIGNATURE_RISING_MIN = 5;

const LEVELS = ['green', 'warning', 'red'];
const worst = (levels) =>
  levels.reduce(
    (a, b) => (LEVELS.indexOf(b) > LEVELS.indexOf(a) ? b : a),
    'green'
  );

function number(field) {
  const v = fieldValue(field);
  return typeof v === 'number' ? v : v === null ? null : Number(v);
}

export function statusRows(data) {
  return edgesOf(data, 'WorkLink_Connector_Status__c').map(({ node }) => ({
    id: node.Id,
    deployment: fieldValue(node.Deployment_Id__c) ?? fieldValue(node.Name),
    version: fieldValue(node.Connector_Version__c),
    lastHeartbeatAt: fieldValue(node.Last_Heartbeat_At__c),
    lastDeliveryAt: fieldValue(node.Last_Delivery_At__c),
    accepted: number(node.Accepted_Last_Hour__c) ?? 0,
    rejected: number(node.Rejected_Last_Hour__c) ?? 0,
    signatureLastHour: number(node.Signature_Failures_Last_Hour__c) ?? 0,
    signaturePriorHour: number(node.Signature_Failures_Prior_Hour__c) ?? 0,
    queueDepth: number(node.Queue_Depth__c) ?? 0,
    oldestPendingAt: fieldValue(node.Oldest_Pending_At__c),
    deadLetters: number(node.Dead_Letters__c) ?? 0,
    lastSyncAt: fieldValue(node.Last_Sync_At__c),
    lastSyncOutcome: fieldValue(node.Last_Sync_Outcome__c),
    repaired: number(node.Records_Repaired__c),
    apiUsed: number(node.Api_Calls_Used__c),
    apiAllowed: number(node.Api_Calls_Allowed__c),
    scopeAuth: fieldValue(node.Scope_Auth_State__c),
    scopeError: fieldValue(node.Scope_Last_Error__c),
    salesforceAuth: fieldValue(node.Salesforce_Auth_State__c),
    salesforceError: fieldValue(node.Salesforce_Last_Error__c)
  }));
}

/** How long ago, in seconds under a minute (thresholds can be seconds) and in whole minutes above. */
function ageSince(iso, now, labels) {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  return seconds < 60
    ? format(labels.ageSeconds, seconds)
    : format(labels.ageMinutes, Math.floor(seconds / 60));
}

/** The findings of one deployment, worst first; none means green. */
export function findingsFor(row, now, labels, staleAfterMs = STALE_AFTER_MS) {
  const findings = [];
  const add = (level, key, title, action) =>
    findings.push({ key: `${row.id}-${key}`, level, title, action });
  if (
    !row.lastHeartbeatAt ||
    now - Date.parse(row.lastHeartbeatAt) > staleAfterMs
  ) {
    add(
      'red',
      'stale',
      row.lastHeartbeatAt
        ? format(labels.staleTitle, ageSince(row.lastHeartbeatAt, now, labels))
        : labels.neverTitle,
      labels.staleAction
    );
  }
  if (row.scopeAuth === 'Failing')
    add(
      'red',
      'scope',
      format(labels.scopeTitle, row.scopeError ?? ''),
      labels.scopeAction
    );
  if (row.salesforceAuth === 'Failing')
    add(
      'red',
      'salesforce',
      format(labels.salesforceTitle, row.salesforceError ?? ''),
      labels.salesforceAction
    );
  if (row.deadLetters > 0)
    add(
      row.deadLetters >= DEAD_LETTERS_RED ? 'red' : 'warning',
      'dead',
      format(labels.deadTitle, row.deadLetters),
      labels.deadAction
    );
  if (row.apiUsed !== null && row.apiAllowed) {
    const ratio = row.apiUsed / row.apiAllowed;
    if (ratio > API_WARNING)
      add(
        ratio > API_RED ? 'red' : 'warning',
        'api',
        format(
          labels.apiTitle,
          Math.round(ratio * 100),
          row.apiUsed,
          row.apiAllowed
        ),
        labels.apiAction
      );
  }
  if (
    row.signatureLastHour >= SIGNATURE_RISING_MIN &&
    row.signatureLastHour > row.signaturePriorHour
  )
    add(
      'warning',
      'signature',
      format(
        labels.signatureTitle,
        row.signatureLastHour,
        row.signaturePriorHour
      ),
      labels.signatureAction
    );
  if (
    row.queueDepth > 0 &&
    row.oldestPendingAt &&
    now - Date.parse(row.oldestPendingAt) > BEHIND_AFTER_MS
  )
    add(
      'warning',
      'behind',
      format(
        labels.behindTitle,
        row.queueDepth,
        ageSince(row.oldestPendingAt, now, labels)
      ),
      labels.behindAction
    );
  if (row.lastSyncOutcome === 'failed' || row.lastSyncOutcome === 'interrupted')
    add(
      'warning',
      'sync',
      format(labels.syncTitle, row.lastSyncOutcome),
      labels.syncAction
    );
  return findings.sort(
    (a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level)
  );
}

const LEVEL_CLASS = {
  green: 'level level_green slds-theme_success',
  warning: 'level level_warning slds-theme_warning',
  red: 'level level_red slds-theme_error'
};

/** What the template renders: one card per deployment (or one red card when there is none). */
export function healthView(rows, now, labels, staleAfterMs = STALE_AFTER_MS) {
  if (rows.length === 0) {
    return [
      {
        id: 'none',
        title: labels.noHeartbeatTitle,
        level: 'red',
        levelLabel: labels.red,
        levelClass: LEVEL_CLASS.red,
        facts: [],
        findings: [
          {
            key: 'none',
            level: 'red',
            title: labels.neverTitle,
            action: labels.noRecordAction
          }
        ],
        healthy: false
      }
    ];
  }
  return rows.map((row) => {
    const findings = findingsFor(row, now, labels, staleAfterMs);
    const level = worst(findings.map((f) => f.level));
    return {
      id: row.id,
      title: format(labels.deploymentTitle, row.deployment),
      level,
      levelLabel: labels[level],
      levelClass: LEVEL_CLASS[level],
      findings,
      healthy: findings.length === 0,
      facts: [
        {
          key: 'version',
          label: labels.versionFact,
          value: row.version ?? '—'
        },
        {
          key: 'heartbeat',
          label: labels.heartbeatFact,
          value: row.lastHeartbeatAt ?? '—'
        },
        {
          key: 'deliveries',
          label: labels.deliveriesFact,
          value: format(labels.deliveriesValue, row.accepted, row.rejected)
        },
        {
          key: 'queue',
          label: labels.queueFact,
          value: String(row.queueDepth)
        },
        { key: 'dead', label: labels.deadFact, value: String(row.deadLetters) },
        {
          key: 'sync',
          label: labels.syncFact,
          value: row.lastSyncAt
            ? format(
                labels.syncValue,
                row.lastSyncOutcome,
                row.lastSyncAt,
                row.repaired ?? 0
              )
            : '—'
        },
        {
          key: 'api',
          label: labels.apiFact,
          value:
            row.apiUsed !== null && row.apiAllowed
              ? format(labels.apiValue, row.apiUsed, row.apiAllowed)
              : '—'
        }
      ]
    };
  });
}

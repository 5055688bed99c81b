// What the Unmatched inbox shows, computed from the GraphQL wire results without touching the DOM:
// the unmatched sessions (newest first, as queried), and for each the work orders it probably belongs
// to: an open work order whose number resembles the raw key the technician's link carried, or one of
// the session's asset that was open around the session's time.

import { edgesOf, fieldValue } from 'c/worklinkUiApi';

/** A work order counts as "open around" a session within this margin of its start/end. */
export const AROUND_MS = 24 * 60 * 60 * 1000;
export const MAX_SUGGESTIONS = 3;
export const MANUAL = 'Linked manually';
export const UNMATCHED = 'Unmatched';

function display(field) {
  if (!field) return null;
  if (field.displayValue) return field.displayValue;
  return field.value === null || field.value === undefined
    ? null
    : String(field.value);
}

/** The `asset` parameter of the session's externalData (the Scope asset id of the launch link). */
export function assetKeyOf(externalData) {
  if (typeof externalData !== 'string' || externalData === '') return null;
  try {
    const parsed = JSON.parse(externalData);
    const asset = parsed && typeof parsed === 'object' ? parsed.asset : null;
    return typeof asset === 'string' && asset !== '' ? asset : null;
  } catch {
    return null;
  }
}

export function sessionRows(data) {
  return edgesOf(data, 'Scope_AR_Session__c').map(({ node }) => ({
    id: node.Id,
    name: fieldValue(node.Name),
    rawKey: fieldValue(node.External_Work_Order_Ref__c),
    technician: fieldValue(node.Technician__c),
    scenario: fieldValue(node.Scenario_Name__c),
    kind: fieldValue(node.Kind__c),
    startedAt: fieldValue(node.Started_At__c),
    startedAtLabel: display(node.Started_At__c),
    assetKey: assetKeyOf(fieldValue(node.External_Data__c))
  }));
}

export function workOrderRows(data) {
  return edgesOf(data, 'WorkOrder').map(({ node }) => ({
    id: node.Id,
    number: fieldValue(node.WorkOrderNumber),
    subject: fieldValue(node.Subject),
    assetId: fieldValue(node.AssetId),
    assetName: node.Asset ? fieldValue(node.Asset.Name) : null,
    assetKey: node.Asset ? fieldValue(node.Asset.Scope_Asset_Id__c) : null,
    start: fieldValue(node.StartDate) ?? fieldValue(node.CreatedDate),
    end: fieldValue(node.EndDate)
  }));
}

const normalized = (key) =>
  String(key)
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/^(WO)?0+(?=\d)/, '');

/** Levenshtein distance, stopping early above `limit`. */
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The raw key names this work order number but for formatting (case, separators, leading zeros, a
 * "WO" prefix) or one mistyped, missing or extra character (keys of 4 or more characters).
 */
export function resembles(rawKey, number) {
  if (!rawKey || !number) return false;
  const a = normalized(rawKey);
  const b = normalized(number);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  return Math.min(a.length, b.length) >= 4 && distance(a, b, 1) <= 1;
}

function openAround(workOrder, startedAt) {
  const at = Date.parse(startedAt);
  if (Number.isNaN(at)) return false;
  const start = workOrder.start ? Date.parse(workOrder.start) : NaN;
  const end = workOrder.end ? Date.parse(workOrder.end) : NaN;
  if (!Number.isNaN(start) && at < start - AROUND_MS) return false;
  return Number.isNaN(end) || at <= end + AROUND_MS;
}

/** Up to MAX_SUGGESTIONS work orders, those whose number resembles the raw key first. */
export function suggestionsFor(session, workOrders, labels) {
  const byNumber = workOrders.filter((w) =>
    resembles(session.rawKey, w.number)
  );
  const byAsset = workOrders.filter(
    (w) =>
      !byNumber.includes(w) &&
      session.assetKey &&
      w.assetKey === session.assetKey &&
      openAround(w, session.startedAt)
  );
  return [
    ...byNumber.map((w) => ({ workOrder: w, reason: labels.numberReason })),
    ...byAsset.map((w) => ({ workOrder: w, reason: labels.assetReason }))
  ]
    .slice(0, MAX_SUGGESTIONS)
    .map(({ workOrder, reason }) => ({
      key: `${session.id}-${workOrder.id}`,
      workOrderId: workOrder.id,
      label: `${labels.linkTo} ${workOrder.number}`,
      description: [workOrder.subject, workOrder.assetName, reason]
        .filter(Boolean)
        .join(' · ')
    }));
}

/** The record inputs of a manual link and of its undo. */
export const linkInput = (sessionId, workOrderId) => ({
  fields: { Id: sessionId, Work_Order__c: workOrderId, Link_Status__c: MANUAL }
});
export const undoInput = (sessionId) => ({
  fields: { Id: sessionId, Work_Order__c: null, Link_Status__c: UNMATCHED }
});

/**
 * The rows the template renders: each session with its suggestions, its selection and, once linked
 * in this visit, the work order it was linked to (kept on screen for undo even after the query no
 * longer returns it).
 */
export function inboxView({ sessions, workOrders, linked, selected, labels }) {
  return sessions.map((session) => {
    const link = linked[session.id];
    const suggestions = link ? [] : suggestionsFor(session, workOrders, labels);
    return {
      ...session,
      rawKeyLabel: session.rawKey ?? labels.noKey,
      assetLabel: session.assetKey ?? labels.unknown,
      technicianLabel: session.technician ?? labels.unknown,
      scenarioLabel: session.scenario ?? session.kind ?? labels.unknown,
      timeLabel: session.startedAtLabel ?? session.startedAt ?? labels.unknown,
      selectLabel: `${labels.select} ${session.rawKey ?? session.name ?? session.id}`,
      selected: Boolean(selected[session.id]),
      linked: Boolean(link),
      linkedLabel: link ? `${labels.linkedTo} ${link.label}` : null,
      suggestions,
      noSuggestion: !link && suggestions.length === 0,
      pickerLabel: labels.otherWorkOrder
    };
  });
}

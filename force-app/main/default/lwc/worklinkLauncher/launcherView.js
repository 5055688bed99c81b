// Everything the launcher shows, computed in one place from the wire result and the App Builder
// settings. The component only stores the result and its getters only return it: that is what
// Salesforce's offline analyser (Komaci) needs to prime the component for Field Service mobile.
import { getFieldValue } from 'lightning/uiRecordApi';
import {
  buildCallLink,
  buildLaunchLink,
  parseStaticParams
} from 'c/worklinkDeeplinks';

export const DEFAULT_ASSET_ID_FIELD = 'Asset.Scope_Asset_Id__c';
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

function qualified(field) {
  return typeof field === 'string'
    ? field
    : `${field.objectApiName}.${field.fieldApiName}`;
}

/** `WorkOrder.<path>` of the admin-chosen asset id field, or the default when it is no field path. */
export function assetIdPath(setting) {
  const raw = (setting || '').trim().replace(/^WorkOrder\./, '');
  return `WorkOrder.${FIELD_PATH.test(raw) ? raw : DEFAULT_ASSET_ID_FIELD}`;
}

/** The wire's optional fields: the fixed ones plus the admin-chosen asset id field. */
export function optionalFieldsFor(fixedFields, assetIdSetting) {
  return [
    ...new Set([...fixedFields.map(qualified), assetIdPath(assetIdSetting)])
  ];
}

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

// A custom scheme must not open an empty tab; a deferred https page may.
function linkTarget(link) {
  return link && link.startsWith('https://') ? '_blank' : undefined;
}

/**
 * The view of the launcher.
 * @param wired `{ data, error }` from getRecord (undefined before it answers)
 * @param settings App Builder values: assetIdField, defaultExpertLink, extraParameters, deferredLinkBase
 * @param fields the schema imports: number, caseId, assetRef, expert, expertName, expertCallLink
 * @param labels custom labels: loadError, noAsset, noAssetId, noExpert, noCallLink, expert
 * @param isPhone whether the form factor is Small
 */
export function launcherView({ wired, settings, fields, labels, isPhone }) {
  const record = wired && wired.data;
  const error = wired && wired.error;
  const buttonClass = `slds-button slds-button_brand${isPhone ? ' slds-button_stretch' : ''}`;
  const base = {
    isLoading: !record && !error,
    errorMessage: error ? format(labels.loadError, errorText(error)) : null,
    actionsClass: isPhone ? 'actions actions_phone' : 'actions',
    buttonClass
  };
  if (!record) return base;

  const value = (field) => getFieldValue(record, field) ?? null;
  const path = assetIdPath(settings.assetIdField);
  const context = {
    workOrderId: record.id,
    workOrderNumber: value(fields.number),
    caseId: value(fields.caseId),
    staticParams: parseStaticParams(settings.extraParameters),
    deferredBase: settings.deferredLinkBase
  };
  const launchLink = buildLaunchLink({ ...context, assetId: value(path) });
  const needsAsset = path.startsWith('WorkOrder.Asset.');
  const hasExpert = Boolean(value(fields.expert));
  const expertName = value(fields.expertName);
  const callLink = buildCallLink({
    ...context,
    callLink: hasExpert
      ? value(fields.expertCallLink)
      : settings.defaultExpertLink
  });
  return {
    ...base,
    launchLink,
    launchTarget: linkTarget(launchLink),
    launchReason:
      needsAsset && !value(fields.assetRef) ? labels.noAsset : labels.noAssetId,
    callLink,
    callTarget: linkTarget(callLink),
    callReason: hasExpert
      ? format(labels.noCallLink, expertName || labels.expert)
      : labels.noExpert,
    expertName
  };
}

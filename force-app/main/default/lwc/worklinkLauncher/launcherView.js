// Everything the launcher shows, computed in one place from the resolved job and the settings. The
// component only stores the result and its getters only return it: that is what Salesforce's offline
// analyser (Komaci) needs to prime the component for Field Service mobile.
import {
  buildCallLink,
  buildLaunchLink,
  parseKeys,
  parseStaticParams
} from 'c/worklinkDeeplinks';
import { APPOINTMENT, CASE, assetIdPaths } from './jobContext';

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

function launchReason(entry, resolved, settings, labels) {
  if (entry === APPOINTMENT && !resolved.hasParent) return labels.noParent;
  if (entry === CASE && !resolved.hasAsset) return labels.noCaseAsset;
  if (assetIdPaths(settings.assetIdField).throughAsset && !resolved.hasAsset)
    return labels.noAsset;
  return labels.noAssetId;
}

function noExpertReason(entry, labels) {
  if (entry === CASE) return labels.noCaseExpert;
  if (entry === APPOINTMENT) return labels.noAppointmentExpert;
  return labels.noExpert;
}

/**
 * The view of the launcher.
 * @param entry the object the launcher runs on (WorkOrder, WorkOrderLineItem, ServiceAppointment, Case)
 * @param resolved resolveJob's answer: `{ pending }`, `{ error }` or the job with asset and expert
 * @param settings assetIdField, defaultExpertLink, extraParameters, deferredLinkBase, parameterKeys
 * @param labels custom labels: loadError, noAsset, noCaseAsset, noAssetId, noParent, noExpert,
 *   noCaseExpert, noAppointmentExpert, noCallLink, expert
 * @param isPhone whether the form factor is Small
 */
export function launcherView({ entry, resolved, settings, labels, isPhone }) {
  const error = resolved && resolved.error;
  const ready = resolved && !resolved.pending && !error;
  const buttonClass = `slds-button slds-button_brand${isPhone ? ' slds-button_stretch' : ''}`;
  const base = {
    isLoading: !ready && !error,
    errorMessage: error ? format(labels.loadError, errorText(error)) : null,
    actionsClass: isPhone ? 'actions actions_phone' : 'actions',
    buttonClass
  };
  if (!ready) return base;

  const context = {
    ...resolved.job,
    keys: parseKeys(settings.parameterKeys),
    staticParams: parseStaticParams(settings.extraParameters),
    deferredBase: settings.deferredLinkBase
  };
  const launchLink = buildLaunchLink({ ...context, assetId: resolved.assetId });
  const expert = resolved.expert;
  const expertName = expert ? expert.name : null;
  const callLink = buildCallLink({
    ...context,
    callLink: expert ? expert.callLink : settings.defaultExpertLink
  });
  return {
    ...base,
    launchLink,
    launchTarget: linkTarget(launchLink),
    launchReason: launchReason(entry, resolved, settings, labels),
    callLink,
    callTarget: linkTarget(callLink),
    callReason: expert
      ? format(labels.noCallLink, expertName || labels.expert)
      : noExpertReason(entry, labels),
    expertName
  };
}

// The launcher's settings, from two places: the packaged WorkLink_Setting__mdt record "Default" (the
// only configuration a quick action gets: quick actions take no App Builder properties) and, on a record
// page, the App Builder properties, which win where they are set. Pure functions.
import { DEFAULT_ASSET_ID_FIELD } from './jobContext';

/** Each setting and the WorkLink_Setting__mdt field holding it. */
export const SETTING_FIELDS = Object.freeze({
  assetIdField: 'Asset_Id_Field__c',
  defaultExpertLink: 'Default_Expert_Link__c',
  extraParameters: 'Extra_Parameters__c',
  deferredLinkBase: 'Deferred_Link_Page__c',
  parameterKeys: 'Parameter_Keys__c'
});

const NAMES = Object.keys(SETTING_FIELDS);

function isSet(value) {
  return typeof value === 'string' && value.trim() !== '';
}

function onlySet(values) {
  const out = {};
  NAMES.forEach((name) => {
    if (isSet(values[name])) out[name] = values[name];
  });
  return out;
}

/** The settings of the GraphQL answer for the Default record ({} when there is none). */
export function packagedSettings(data) {
  const edges =
    data &&
    data.uiapi &&
    data.uiapi.query &&
    data.uiapi.query.WorkLink_Setting__mdt &&
    data.uiapi.query.WorkLink_Setting__mdt.edges;
  const node = edges && edges.length > 0 ? edges[0].node : null;
  if (!node) return {};
  const values = {};
  NAMES.forEach((name) => {
    const field = node[SETTING_FIELDS[name]];
    values[name] = field ? field.value : null;
  });
  return onlySet(values);
}

/** Defaults, then the packaged record, then the page's properties that are set. */
export function effectiveSettings(packaged, page) {
  return {
    assetIdField: DEFAULT_ASSET_ID_FIELD,
    ...onlySet(packaged || {}),
    ...onlySet(page || {})
  };
}

/**
 * Pure deeplink builders for Scope AR WorkLink. No DOM, no platform imports: the
 * launcher component and plain jest tests both use it.
 *
 * Rules (see the WorkLink deeplink docs and scope-ar-api.md §1):
 * - Every key and value is percent-encoded with encodeURIComponent.
 * - Reserved keys are never overwritten: `action`, `catalog`, `asset`, and every key
 *   already present in a link copied from the Scope CMS. A work-order or admin
 *   parameter whose key is reserved is DROPPED (not prefixed), so the link the
 *   app receives always means exactly what the CMS or this builder put first.
 * - Work-order external data wins over the admin's static parameters of the same key.
 */

export const WORKLINK_SCHEME = 'worklink:';
export const LAUNCH_BASE = 'worklink://resource';
export const FETCH_CATALOG_ACTION = 'fetch_catalog';
export const RESERVED_KEYS = Object.freeze(['action', 'catalog', 'asset']);
export const DEFERRED_PARAM = 'deep_link';

// Keys stay flat strings: the Scope docs only describe flat key/value external data.
const KEY_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

function isBlank(value) {
  return value === undefined || value === null || String(value).trim() === '';
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Parses the admin's "extra static parameters" (`key=value&key2=value2`, values may be
 * typed plainly or already percent-encoded) into [key, value] pairs. Pairs with an
 * invalid key are ignored; the last occurrence of a key wins.
 */
export function parseStaticParams(text) {
  if (isBlank(text)) {
    return [];
  }
  const byKey = new Map();
  String(text)
    .split(/[&\n]/)
    .forEach((part) => {
      const trimmed = part.trim();
      if (!trimmed) {
        return;
      }
      const eq = trimmed.indexOf('=');
      const key = safeDecode(eq === -1 ? trimmed : trimmed.slice(0, eq)).trim();
      const value = eq === -1 ? '' : safeDecode(trimmed.slice(eq + 1)).trim();
      if (KEY_PATTERN.test(key)) {
        byKey.set(key, value);
      }
    });
  return [...byKey.entries()];
}

/**
 * The external-data key of each job identifier. An admin may rename them (the connector's
 * WORK_ORDER_ID_KEYS, CASE_ID_KEYS, … must then list the same names).
 */
export const DEFAULT_KEYS = Object.freeze({
  workOrderId: 'work_order_id',
  workOrderNumber: 'work_order_number',
  workOrderLineItemId: 'work_order_line_item_id',
  serviceAppointmentId: 'service_appointment_id',
  caseId: 'case_id',
  caseNumber: 'case_number'
});

const JOB_FIELDS = Object.keys(DEFAULT_KEYS);

/**
 * Parses an admin's key overrides, `workOrderId=wo&caseId=ticket`, over DEFAULT_KEYS. Unknown
 * identifiers, invalid key names and keys the builder reserves are ignored.
 */
export function parseKeys(text) {
  const keys = { ...DEFAULT_KEYS };
  parseStaticParams(text).forEach(([field, key]) => {
    if (
      JOB_FIELDS.includes(field) &&
      KEY_PATTERN.test(key) &&
      !RESERVED_KEYS.includes(key)
    ) {
      keys[field] = key;
    }
  });
  return keys;
}

/**
 * The external data a link carries about its job: whichever of work_order_id (the 18-character
 * Id), work_order_number, work_order_line_item_id, service_appointment_id, case_id and
 * case_number the entry point knows, in that order, under the configured keys.
 */
export function jobExternalData(job, keys = DEFAULT_KEYS) {
  return JOB_FIELDS.map((field) => [keys[field], job[field]]).filter(
    ([key, value]) => !isBlank(key) && !isBlank(value)
  );
}

/** The work order's external data (work_order_id, work_order_number, case_id). */
export function workOrderExternalData({
  workOrderId,
  workOrderNumber,
  caseId
}) {
  return jobExternalData({ workOrderId, workOrderNumber, caseId });
}

function encodePair([key, value]) {
  return `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
}

/** Keys already present in the query string of a link (decoded). */
export function queryKeys(link) {
  const withoutFragment = String(link).split('#')[0];
  const q = withoutFragment.indexOf('?');
  if (q === -1) {
    return [];
  }
  return withoutFragment
    .slice(q + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => safeDecode(part.split('=')[0]));
}

/**
 * Appends [key, value] pairs to a link, respecting its existing query string and
 * fragment, skipping reserved keys and keys the link already has.
 */
export function appendParams(link, pairs, reservedKeys = RESERVED_KEYS) {
  const hashAt = link.indexOf('#');
  const base = hashAt === -1 ? link : link.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : link.slice(hashAt);
  const taken = new Set([...reservedKeys, ...queryKeys(base)]);
  const encoded = [];
  pairs.forEach(([key, value]) => {
    if (taken.has(key)) {
      return;
    }
    taken.add(key);
    encoded.push(encodePair([key, value]));
  });
  if (encoded.length === 0) {
    return link;
  }
  let separator = '&';
  if (!base.includes('?')) {
    separator = '?';
  } else if (base.endsWith('?') || base.endsWith('&')) {
    separator = '';
  }
  return `${base}${separator}${encoded.join('&')}${fragment}`;
}

/** True for a link the launcher may put in an href: worklink:// or https://. */
export function isAllowedLink(link) {
  if (isBlank(link)) {
    return false;
  }
  const lower = String(link).trim().toLowerCase();
  return lower.startsWith('worklink://') || lower.startsWith('https://');
}

/**
 * Wraps a worklink:// link in the admin's deferred-link page
 * (e.g. https://getworklink.com/deferred?deep_link=<encoded link>), which offers the
 * app download on devices without WorkLink. Links that are already https:// and blank
 * or non-https wrapper settings leave the link unchanged.
 */
export function wrapDeferred(link, deferredBase) {
  if (isBlank(deferredBase) || !String(link).startsWith(WORKLINK_SCHEME)) {
    return link;
  }
  const wrapper = String(deferredBase).trim();
  if (!wrapper.toLowerCase().startsWith('https://')) {
    return link;
  }
  const existing = queryKeys(wrapper);
  if (existing.includes(DEFERRED_PARAM)) {
    return link;
  }
  return appendParams(wrapper, [[DEFERRED_PARAM, link]], []);
}

/**
 * worklink://resource?action=fetch_catalog&asset=<asset id>&work_order_id=…, with the job's
 * identifiers (see jobExternalData) and the admin's static parameters. Returns null when there is no asset id to launch.
 */
export function buildLaunchLink({
  assetId,
  keys,
  staticParams = [],
  deferredBase,
  ...job
}) {
  if (isBlank(assetId)) {
    return null;
  }
  const head = `${LAUNCH_BASE}?action=${FETCH_CATALOG_ACTION}&asset=${encodeURIComponent(
    String(assetId).trim()
  )}`;
  const pairs = [...jobExternalData(job, keys), ...staticParams];
  return wrapDeferred(appendParams(head, pairs), deferredBase);
}

/**
 * The expert's call link as copied from the Scope CMS plus the same external data.
 * Returns null when the link is blank or not a worklink:// or https:// link.
 */
export function buildCallLink({
  callLink,
  keys,
  staticParams = [],
  deferredBase,
  ...job
}) {
  if (!isAllowedLink(callLink)) {
    return null;
  }
  const pairs = [...jobExternalData(job, keys), ...staticParams];
  return wrapDeferred(
    appendParams(String(callLink).trim(), pairs),
    deferredBase
  );
}

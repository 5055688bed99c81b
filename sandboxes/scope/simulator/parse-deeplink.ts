// Reads a worklink:// deeplink the way the WorkLink app does (reference §1): the `action`, the action's own
// parameters, and every other parameter as external data. Also unwraps a deferred
// https://getworklink.com/deferred?deep_link=<encoded link>.

export class DeeplinkError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string
  ) {
    super(message);
  }
}

export interface ParsedDeeplink {
  action: string;
  /** The action's own parameters (asset, catalog, scenario, the user parameter). */
  target: Record<string, string>;
  externalData: Record<string, string | string[]>;
}

export interface DeeplinkOptions {
  userParam: string;
  repeatedKeys: 'last' | 'array';
}

export const SESSION_ACTIONS = ['fetch_catalog', 'fetch_scenario'] as const;
export const CALL_ACTIONS = ['fetch_user', 'fetch_company_contact'] as const;

function actionParams(action: string, options: DeeplinkOptions): string[] {
  switch (action) {
    case 'fetch_catalog':
      return ['asset', 'catalog'];
    case 'fetch_scenario':
      return ['scenario'];
    case 'fetch_user':
    case 'fetch_company_contact':
      return [options.userParam];
    default:
      return [];
  }
}

function unwrapDeferred(url: URL): URL {
  if (
    url.protocol === 'https:' &&
    url.hostname === 'getworklink.com' &&
    url.pathname === '/deferred'
  ) {
    const inner = url.searchParams.get('deep_link');
    if (!inner)
      throw new DeeplinkError(
        400,
        'Deferred link without a deep_link parameter.'
      );
    return parseUrl(inner);
  }
  return url;
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new DeeplinkError(
      400,
      `Not a URL: ${JSON.stringify(text.slice(0, 200))}`
    );
  }
}

export function parseDeeplink(
  text: string,
  options: DeeplinkOptions
): ParsedDeeplink {
  const url = unwrapDeferred(parseUrl(text.trim()));
  if (url.protocol !== 'worklink:')
    throw new DeeplinkError(
      400,
      `Unsupported scheme "${url.protocol}": expected worklink://`
    );
  if (url.hostname !== 'resource')
    throw new DeeplinkError(
      400,
      `Unsupported deeplink host "${url.hostname}": expected "resource"`
    );
  const action = url.searchParams.get('action');
  if (!action)
    throw new DeeplinkError(400, 'The deeplink has no action parameter.');
  if (
    ![...SESSION_ACTIONS, ...CALL_ACTIONS].includes(
      action as (typeof SESSION_ACTIONS)[number]
    )
  ) {
    throw new DeeplinkError(400, `Unsupported action "${action}".`);
  }
  // Reserved keys: the first occurrence is the link's own parameter, later ones are ignored, never data.
  const reserved = new Set(['action', ...actionParams(action, options)]);
  const target = Object.create(null) as Record<string, string>;
  // Null prototype: keys such as `__proto__` and `constructor` are data like any other.
  const externalData = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of url.searchParams) {
    if (reserved.has(key)) {
      if (key !== 'action' && !(key in target)) target[key] = value;
      continue;
    }
    const previous = externalData[key];
    if (previous === undefined || options.repeatedKeys === 'last')
      externalData[key] = value;
    else
      externalData[key] = Array.isArray(previous)
        ? [...previous, value]
        : [previous, value];
  }
  return { action, target, externalData };
}

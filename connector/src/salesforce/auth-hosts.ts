// Which hosts each Salesforce OAuth flow accepts (reference: salesforce-platform.md, "Authentication").
// JWT bearer: the `aud` claim names the login service, never the org's My Domain; the token request
// itself may go to either. Client credentials: only the org's My Domain serves it.

export const PRODUCTION_LOGIN_URL = 'https://login.salesforce.com';
export const SANDBOX_LOGIN_URL = 'https://test.salesforce.com';

const GENERIC_LOGIN_HOSTS = new Set([
  'login.salesforce.com',
  'test.salesforce.com'
]);

/** Hosts that belong to one org (My Domain, Lightning, Setup): never a valid JWT audience. */
const ORG_DOMAIN_SUFFIXES = [
  '.my.salesforce.com',
  '.lightning.force.com',
  '.my.salesforce-setup.com'
];

function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase();
}

/** The audience Salesforce expects for a login URL: test.salesforce.com for sandboxes, else login. */
export function defaultJwtAudience(loginUrl: string): string {
  const host = hostOf(loginUrl);
  return host === 'test.salesforce.com' ||
    host.endsWith('.sandbox.my.salesforce.com')
    ? SANDBOX_LOGIN_URL
    : PRODUCTION_LOGIN_URL;
}

/** Why `audience` cannot be a JWT `aud`, or null when it can. */
export function jwtAudienceProblem(audience: string): string | null {
  const url = new URL(audience);
  const host = url.hostname.toLowerCase();
  if (GENERIC_LOGIN_HOSTS.has(host)) {
    return url.protocol === 'https:' && url.pathname.replace(/\/$/, '') === ''
      ? null
      : `use exactly ${PRODUCTION_LOGIN_URL} or ${SANDBOX_LOGIN_URL}`;
  }
  if (ORG_DOMAIN_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return `${url.origin} is an org domain; Salesforce answers "invalid_grant: audience is invalid". Use ${PRODUCTION_LOGIN_URL}, ${SANDBOX_LOGIN_URL} (sandboxes) or an Experience Cloud site URL`;
  }
  if (url.protocol !== 'https:')
    return 'an Experience Cloud site URL is always https://';
  return null;
}

/** Why client credentials cannot be posted to `loginUrl`, or null when they can. */
export function clientCredentialsHostProblem(loginUrl: string): string | null {
  const host = hostOf(loginUrl);
  return GENERIC_LOGIN_HOSTS.has(host)
    ? `the client credentials flow must be posted to the org's My Domain (https://<domain>.my.salesforce.com); ${host} answers "invalid_grant: request not supported on this domain"`
    : null;
}

/** A hint for an OAuth error whose cause is the host or audience, or '' for any other error. */
export function salesforceAuthHint(message: string): string {
  if (/audience is invalid/i.test(message))
    return `; hint: set SF_JWT_AUDIENCE to ${PRODUCTION_LOGIN_URL}, ${SANDBOX_LOGIN_URL} or an Experience Cloud site URL, never the My Domain`;
  if (/request not supported on this domain/i.test(message))
    return "; hint: the client credentials flow needs SF_LOGIN_URL set to the org's My Domain";
  if (/invalid_client|invalid_grant/i.test(message))
    return '; hint: check SF_CLIENT_ID, SF_CLIENT_SECRET / SF_PRIVATE_KEY, SF_USERNAME and the run-as user';
  return '';
}

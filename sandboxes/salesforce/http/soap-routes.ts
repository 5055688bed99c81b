import { Router, text } from 'express';
import { XMLParser } from 'fast-xml-parser';
import { isServedVersion } from './api-versions.ts';
import { ORGANIZATION_NAME } from '../seed/seed-rows.ts';
import { idChecksum } from '../store/ids.ts';
import type { Response } from 'express';
import type { Auth } from '../auth/auth.ts';
import type { SandboxState } from '../state.ts';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const PARTNER_NS = 'urn:partner.soap.sforce.com';
/** SOAP `login()` was removed from API 65.0 on (and is retired for every version in Summer '27). */
const NO_SOAP_LOGIN_FROM = 65;
const INVALID_LOGIN =
  'Invalid username, password, security token; or user locked out.';

const withChecksum = (id15: string) => id15 + idChecksum(id15);
/** Profile Ids of "System Administrator" and of the standard profile everybody else has. */
const ADMIN_PROFILE_ID = withChecksum('00e8d0000000001');
const STANDARD_PROFILE_ID = withChecksum('00e8d0000000002');

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false
});

const escapeXml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

type XmlNode = Record<string, unknown>;
const child = (node: unknown, name: string): unknown =>
  node && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
const textOf = (node: unknown): string =>
  typeof node === 'string' || typeof node === 'number' ? String(node) : '';

/** `<name>value</name>`, or `<name xsi:nil="true"/>` for null. */
const element = (name: string, value: string | number | boolean | null) =>
  value === null
    ? `<${name} xsi:nil="true"/>`
    : `<${name}>${escapeXml(String(value))}</${name}>`;

function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns="${PARTNER_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/** A SOAP fault as the partner API sends it: HTTP 500, `sf:` fault code and a typed detail. */
function sendFault(
  res: Response,
  code: string,
  message: string,
  faultType = 'UnexpectedErrorFault'
): void {
  res
    .status(500)
    .type('text/xml; charset=utf-8')
    .send(
      '<?xml version="1.0" encoding="UTF-8"?>' +
        `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        '<soapenv:Body><soapenv:Fault>' +
        `<faultcode>sf:${code}</faultcode>` +
        `<faultstring>${escapeXml(`${code}: ${message}`)}</faultstring>` +
        `<detail><sf:${faultType} xsi:type="sf:${faultType}">` +
        `<sf:exceptionCode>${code}</sf:exceptionCode>` +
        `<sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage>` +
        `</sf:${faultType}></detail>` +
        '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
    );
}

/**
 * The partner SOAP API's session calls at `/services/Soap/u/{version}`: `login` (what jsforce's
 * `conn.login()` sends when no OAuth client is configured), `logout` and `getUserInfo`. Any other
 * operation is a fault: the sandbox serves data over REST only.
 */
export function createSoapRoutes(state: SandboxState, auth: Auth): Router {
  const router = Router();
  const org15 = auth.orgId.slice(0, 15);

  function userInfoXml(userId: string, sessionSecondsValid: number): string {
    const user = state.store.get('User', userId) ?? {};
    const s = (v: unknown) => (typeof v === 'string' ? v : null);
    return [
      element('accessibilityMode', false),
      element('chatterExternal', false),
      element('currencySymbol', '$'),
      element('orgAttachmentFileSizeLimit', 5242880),
      element('orgDefaultCurrencyIsoCode', 'USD'),
      element('orgDefaultCurrencyLocale', 'en_US'),
      element('orgDisallowHtmlAttachments', false),
      element('orgHasPersonAccounts', false),
      element('organizationId', auth.orgId),
      element('organizationMultiCurrency', false),
      element('organizationName', ORGANIZATION_NAME),
      element(
        'profileId',
        state.isAdmin(userId) ? ADMIN_PROFILE_ID : STANDARD_PROFILE_ID
      ),
      element('roleId', null),
      element('sessionSecondsValid', sessionSecondsValid),
      element('userDefaultCurrencyIsoCode', null),
      element('userEmail', s(user.Email)),
      element('userFullName', s(user.Name)),
      element('userId', userId),
      element('userLanguage', s(user.LanguageLocaleKey) ?? 'en_US'),
      element('userLocale', s(user.LocaleSidKey) ?? 'en_US'),
      element('userName', s(user.Username)),
      element('userTimeZone', s(user.TimeZoneSidKey) ?? 'America/Los_Angeles'),
      element('userType', 'Standard'),
      element('userUiSkin', 'Theme3')
    ].join('');
  }

  router.post(
    '/services/Soap/u/:version{/:orgId}',
    text({ type: () => true, limit: '1mb' }),
    (req, res) => {
      const version = String(req.params.version);
      if (!isServedVersion(`v${version}`, state.options.apiVersion)) {
        sendFault(
          res,
          'UNSUPPORTED_API_VERSION',
          `Invalid Api version specified on URL`
        );
        return;
      }
      let doc: unknown;
      try {
        doc = parser.parse(typeof req.body === 'string' ? req.body : '');
      } catch {
        doc = undefined;
      }
      const env = child(doc, 'Envelope');
      const body = child(env, 'Body');
      if (!body || typeof body !== 'object') {
        res
          .status(500)
          .type('text/xml; charset=utf-8')
          .send(
            envelope(
              '<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>Unable to parse the SOAP envelope</faultstring></soapenv:Fault>'
            )
          );
        return;
      }
      const [operation = ''] = Object.keys(body);
      const call = (body as XmlNode)[operation];

      if (operation === 'login' && Number(version) >= NO_SOAP_LOGIN_FROM) {
        sendFault(
          res,
          'UNSUPPORTED_API_VERSION',
          `login() is not supported in API version ${NO_SOAP_LOGIN_FROM}.0 and later; use OAuth`
        );
        return;
      }
      if (operation === 'login') {
        const login = auth.soapLogin(
          textOf(child(call, 'username')),
          textOf(child(call, 'password'))
        );
        if (!login) {
          sendFault(res, 'INVALID_LOGIN', INVALID_LOGIN, 'LoginFault');
          return;
        }
        const base = auth.baseUrl();
        res
          .type('text/xml; charset=utf-8')
          .send(
            envelope(
              '<loginResponse><result>' +
                element(
                  'metadataServerUrl',
                  `${base}/services/Soap/m/${version}/${org15}`
                ) +
                element('passwordExpired', false) +
                element('sandbox', true) +
                element(
                  'serverUrl',
                  `${base}/services/Soap/u/${version}/${org15}`
                ) +
                element('sessionId', login.sessionId) +
                element('userId', login.userId) +
                `<userInfo>${userInfoXml(login.userId, login.ttlSeconds)}</userInfo>` +
                '</result></loginResponse>'
            )
          );
        return;
      }

      const sessionId = textOf(
        child(child(child(env, 'Header'), 'SessionHeader'), 'sessionId')
      );
      const session = sessionId ? auth.session(sessionId) : null;
      if (!session) {
        sendFault(
          res,
          'INVALID_SESSION_ID',
          'Invalid Session ID found in SessionHeader: Illegal Session'
        );
        return;
      }
      if (operation === 'logout') {
        auth.revoke(sessionId);
        res.type('text/xml; charset=utf-8').send(envelope('<logoutResponse/>'));
        return;
      }
      if (operation === 'getUserInfo') {
        const ttl = Math.max(
          0,
          Math.round((session.expiresAt - Date.now()) / 1000)
        );
        res
          .type('text/xml; charset=utf-8')
          .send(
            envelope(
              `<getUserInfoResponse><result>${userInfoXml(session.userId, ttl)}</result></getUserInfoResponse>`
            )
          );
        return;
      }
      sendFault(
        res,
        'UNKNOWN_EXCEPTION',
        `The Salesforce sandbox does not support the SOAP operation '${operation}'; use the REST API`
      );
    }
  );

  return router;
}

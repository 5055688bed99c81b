import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { Connection } from 'jsforce';
import {
  SANDBOX_ADMIN_USERNAME,
  SANDBOX_PASSWORD,
  SANDBOX_SECURITY_TOKEN,
  SANDBOX_USERNAME
} from '../../../sandboxes/salesforce/index.ts';
import {
  API_VERSION,
  SOAP_LOGIN_VERSION,
  loginBySoap,
  rejection,
  startSandbox
} from './helpers.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';

const ORG_ID = '00D8d0000000001EAA';

/** The envelope jsforce 3.10.16's `loginBySoap` sends, byte for byte. */
const loginEnvelope = (username: string, password: string) =>
  '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body>' +
  `<login xmlns="urn:partner.soap.sforce.com"><username>${username}</username><password>${password}</password></login>` +
  '</se:Body></se:Envelope>';

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false });

async function postSoap(sandbox: SalesforceSandbox, body: string) {
  const res = await fetch(
    `${sandbox.url}/services/Soap/u/${SOAP_LOGIN_VERSION}`,
    {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '""' },
      body
    }
  );
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    doc: parser.parse(text) as Record<
      string,
      Record<string, Record<string, unknown>>
    >
  };
}

describe('SOAP login (partner API)', () => {
  let sandbox: SalesforceSandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: { closedWorkOrders: 0 } });
  });
  after(() => sandbox.close());

  it('answers the login envelope with a loginResponse carrying serverUrl, sessionId, userId and userInfo', async () => {
    const res = await postSoap(
      sandbox,
      loginEnvelope(SANDBOX_USERNAME, SANDBOX_PASSWORD)
    );
    assert.equal(res.status, 200);
    assert.match(res.contentType, /^text\/xml/);
    const result = res.doc.Envelope?.Body?.loginResponse as {
      result: Record<string, unknown> & { userInfo: Record<string, unknown> };
    };
    const r = result.result;
    assert.equal(
      r.serverUrl,
      `${sandbox.url}/services/Soap/u/${SOAP_LOGIN_VERSION}/${ORG_ID.slice(0, 15)}`
    );
    assert.equal(
      r.metadataServerUrl,
      `${sandbox.url}/services/Soap/m/${SOAP_LOGIN_VERSION}/${ORG_ID.slice(0, 15)}`
    );
    assert.match(String(r.sessionId), /^00D8d0000000001!/);
    assert.match(String(r.userId), /^005\w{15}$/);
    assert.equal(r.passwordExpired, 'false');
    assert.equal(r.userInfo.organizationId, ORG_ID);
    assert.equal(r.userInfo.userName, SANDBOX_USERNAME);
    assert.equal(r.userInfo.userId, r.userId);
    assert.equal(r.userInfo.userFullName, 'Integration User');
    assert.equal(r.userInfo.organizationName, 'WorkLink Sandbox');
    assert.equal(r.userInfo.sessionSecondsValid, '7200');
    assert.match(String(r.userInfo.profileId), /^00e\w{15}$/);
  });

  it('logs jsforce in with conn.login() over SOAP, and the session works for REST calls', async () => {
    const conn = await loginBySoap(sandbox, SANDBOX_USERNAME, SANDBOX_PASSWORD);
    assert.equal(conn.instanceUrl, sandbox.url);
    assert.equal(conn.userInfo?.organizationId, ORG_ID);
    assert.equal(
      conn.userInfo?.url,
      `${sandbox.url}/id/${ORG_ID}/${conn.userInfo?.id}`
    );
    const rows = await conn.query<{ Username: string }>(
      `SELECT Username FROM User WHERE Id = '${conn.userInfo?.id}'`
    );
    assert.equal(rows.records[0]?.Username, SANDBOX_USERNAME);
    const identity = await conn.identity();
    assert.equal(identity.username, SANDBOX_USERNAME);
    assert.equal(identity.organization_id, ORG_ID);
  });

  it('accepts the password with the security token appended', async () => {
    const conn = await loginBySoap(
      sandbox,
      SANDBOX_ADMIN_USERNAME,
      SANDBOX_PASSWORD + SANDBOX_SECURITY_TOKEN
    );
    const identity = await conn.identity();
    assert.equal(identity.username, SANDBOX_ADMIN_USERNAME);
  });

  it('answers a wrong password with the INVALID_LOGIN fault (HTTP 500), which jsforce throws', async () => {
    const raw = await postSoap(
      sandbox,
      loginEnvelope(SANDBOX_USERNAME, 'wrong-password')
    );
    assert.equal(raw.status, 500);
    const fault = raw.doc.Envelope?.Body?.Fault as Record<string, unknown>;
    assert.equal(fault.faultcode, 'sf:INVALID_LOGIN');
    assert.equal(
      fault.faultstring,
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.'
    );
    const detail = fault.detail as { LoginFault: Record<string, unknown> };
    assert.equal(detail.LoginFault.exceptionCode, 'INVALID_LOGIN');

    // jsforce 3.10.16 throws `new Error(faultstring)`: the code is the message prefix.
    const error = await rejection(
      loginBySoap(sandbox, SANDBOX_USERNAME, 'wrong-password')
    );
    assert.match(error.message, /^INVALID_LOGIN: Invalid username, password/);
    const unknown = await rejection(
      loginBySoap(sandbox, 'nobody@worklink.sandbox', SANDBOX_PASSWORD)
    );
    assert.match(unknown.message, /^INVALID_LOGIN/);
  });

  it('has no login() from API 65.0 on: jsforce on 68.0 gets a fault, not a session', async () => {
    const conn = new Connection({ loginUrl: sandbox.url, version: '65.0' });
    const error = await rejection(
      conn.login(SANDBOX_USERNAME, SANDBOX_PASSWORD)
    );
    assert.match(
      error.message,
      /^UNSUPPORTED_API_VERSION: login\(\) is not supported/
    );
    const latest = new Connection({
      loginUrl: sandbox.url,
      version: API_VERSION
    });
    assert.match(
      (await rejection(latest.login(SANDBOX_USERNAME, SANDBOX_PASSWORD)))
        .message,
      /^UNSUPPORTED_API_VERSION/
    );
  });

  it('ends the session with the SOAP logout call (conn.logout())', async () => {
    const conn = await loginBySoap(sandbox, SANDBOX_USERNAME, SANDBOX_PASSWORD);
    const token = conn.accessToken ?? '';
    await conn.logout();
    const plain = new Connection({
      instanceUrl: sandbox.url,
      accessToken: token,
      version: API_VERSION
    });
    const error = await rejection(plain.query('SELECT Id FROM User'));
    assert.equal(error.errorCode, 'INVALID_SESSION_ID');
  });

  it('answers other SOAP operations and bad sessions with faults, never a guess', async () => {
    const res = await postSoap(
      sandbox,
      '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>nope</sessionId></SessionHeader></se:Header>' +
        '<se:Body><query xmlns="urn:partner.soap.sforce.com"><queryString>SELECT Id FROM User</queryString></query></se:Body></se:Envelope>'
    );
    assert.equal(res.status, 500);
    assert.equal(
      (res.doc.Envelope?.Body?.Fault as Record<string, unknown>).faultcode,
      'sf:INVALID_SESSION_ID'
    );
  });
});

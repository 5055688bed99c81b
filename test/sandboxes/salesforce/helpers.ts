import { createSign } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { integrationMetadataDir } from './integration-metadata.ts';
import type {
  SalesforceSandbox,
  SalesforceSandboxOptions
} from '../../../sandboxes/salesforce/index.ts';

export const API_VERSION = '68.0';
/** The newest version whose SOAP API still has `login()` (removed from 65.0 on). */
export const SOAP_LOGIN_VERSION = '64.0';

export async function startSandbox(
  options: SalesforceSandboxOptions = {}
): Promise<SalesforceSandbox> {
  return startSalesforceSandbox({
    seed: { closedWorkOrders: 10 },
    metadataDir: integrationMetadataDir(),
    ...options
  });
}

/** A jsforce connection logged in with the client credentials flow, as the connector would. */
export async function connect(sandbox: SalesforceSandbox): Promise<Connection> {
  const oauth2 = new OAuth2({
    loginUrl: sandbox.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret
  });
  const conn = new Connection({ oauth2, version: API_VERSION });
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

/** A jsforce connection logged in with `conn.login()` and no OAuth client: the SOAP login. */
export async function loginBySoap(
  sandbox: SalesforceSandbox,
  username: string,
  password: string
): Promise<Connection> {
  const conn = new Connection({
    loginUrl: sandbox.url,
    version: SOAP_LOGIN_VERSION
  });
  await conn.login(username, password);
  return conn;
}

/** A signed RS256 JWT bearer assertion. */
export function signJwt(
  claims: Record<string, unknown>,
  privateKeyPem: string
): string {
  const encode = (v: unknown) =>
    Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(privateKeyPem)
    .toString('base64url');
  return `${unsigned}.${signature}`;
}

export function jwtClaims(
  sandbox: SalesforceSandbox,
  overrides: Record<string, unknown> = {}
) {
  return {
    iss: sandbox.clientId,
    sub: sandbox.username,
    aud: 'https://login.salesforce.com',
    exp: Math.floor(Date.now() / 1000) + 300,
    ...overrides
  };
}

/** Sandbox control call over HTTP, like other teams' tests use it. */
export async function control(
  sandbox: SalesforceSandbox,
  method: string,
  path: string,
  body?: unknown
): Promise<unknown> {
  const res = await fetch(`${sandbox.url}/sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (res.status === 204) return undefined;
  return res.json();
}

/** The error a promise rejects with, for assertions on jsforce's error shape. */
export async function rejection(
  promise: PromiseLike<unknown>
): Promise<Error & { errorCode?: string; data?: unknown; name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to fail');
}

export interface FieldPermission {
  field: string;
  readable: boolean;
  editable: boolean;
}

/** A PermissionSet metadata document in the documented format. */
export function permissionSetXml(
  objects: {
    object: string;
    create: boolean;
    edit: boolean;
    read: boolean;
    delete?: boolean;
  }[],
  fields: FieldPermission[]
): string {
  const objectXml = objects
    .map(
      (o) => `    <objectPermissions>
        <allowCreate>${o.create}</allowCreate>
        <allowDelete>${o.delete ?? false}</allowDelete>
        <allowEdit>${o.edit}</allowEdit>
        <allowRead>${o.read}</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>${o.object}</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>`
    )
    .join('\n');
  const fieldXml = fields
    .map(
      (f) => `    <fieldPermissions>
        <editable>${f.editable}</editable>
        <field>${f.field}</field>
        <readable>${f.readable}</readable>
    </fieldPermissions>`
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <description>Test fixture</description>
${fieldXml}
    <hasActivationRequired>false</hasActivationRequired>
    <label>WorkLink Integration</label>
${objectXml}
</PermissionSet>
`;
}

// An admin's manual link as the Unmatched inbox makes it (Work_Order__c + Link_Status__c `Linked
// manually`), sent to the Salesforce sandbox over REST as the seeded WorkLink Admin user, so the
// connector's tests see the record exactly as an admin left it.
import type { SalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { jwtClaims, signJwt } from '../sandboxes/salesforce/helpers.ts';

export const SANDBOX_ADMIN = 'admin@worklink.sandbox';

/** A bearer token of the seeded admin (JWT bearer flow). */
export async function adminToken(sandbox: SalesforceSandbox): Promise<string> {
  const response = await fetch(`${sandbox.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: signJwt(
        jwtClaims(sandbox, { sub: SANDBOX_ADMIN }),
        sandbox.jwtPrivateKeyPem
      )
    })
  });
  if (!response.ok) throw new Error(`admin token: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** PATCH of one record as the admin. */
export async function updateAsAdmin(
  sandbox: SalesforceSandbox,
  sobject: string,
  id: string,
  fields: Record<string, unknown>
): Promise<void> {
  const response = await fetch(
    `${sandbox.url}/services/data/v${sandbox.apiVersion}/sobjects/${sobject}/${id}`,
    {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${await adminToken(sandbox)}`,
        'content-type': 'application/json'
      },
      body: JSON.stringify(fields)
    }
  );
  if (response.status !== 204)
    throw new Error(`PATCH ${sobject}/${id}: ${await response.text()}`);
}

export function linkManually(
  sandbox: SalesforceSandbox,
  sessionId: string,
  workOrderId: string
): Promise<void> {
  return updateAsAdmin(sandbox, 'Scope_AR_Session__c', sessionId, {
    Work_Order__c: workOrderId,
    Link_Status__c: 'Linked manually'
  });
}

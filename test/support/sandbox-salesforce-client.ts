// The connector's Salesforce client signed in to a Salesforce sandbox as its integration user (JWT
// bearer flow), as the tests that call the client directly need it.
import { createSalesforceClient } from '../../connector/src/salesforce/index.ts';
import type {
  SalesforceClient,
  SalesforceClientOptions
} from '../../connector/src/salesforce/index.ts';
import type { SalesforceSandbox } from '../../sandboxes/salesforce/index.ts';

export function sandboxSalesforceClient(
  sandbox: SalesforceSandbox,
  options: Omit<Partial<SalesforceClientOptions>, 'auth' | 'apiVersion'> = {}
): SalesforceClient {
  return createSalesforceClient({
    auth: {
      loginUrl: sandbox.url,
      flow: 'jwt',
      clientId: sandbox.clientId,
      username: sandbox.username,
      privateKeyPem: sandbox.jwtPrivateKeyPem
    },
    apiVersion: sandbox.apiVersion,
    ...options
  });
}

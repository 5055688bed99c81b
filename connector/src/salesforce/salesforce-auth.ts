// Salesforce OAuth for the integration user: the JWT bearer or client credentials flow against the
// org's token endpoint. A refused credential is logged once per distinct error (not per event), and
// the recovery once; token responses are never echoed (they may hold a token).
import { z } from 'zod';
import {
  clientCredentialsHostProblem,
  defaultJwtAudience,
  jwtAudienceProblem,
  salesforceAuthHint
} from './auth-hosts.ts';
import { createJwtAssertion } from './jwt-assertion.ts';
import { SalesforceApiError } from './salesforce-error.ts';

export interface SalesforceAuthOptions {
  /** https://login.salesforce.com, https://test.salesforce.com or the org's My Domain URL. */
  loginUrl: string;
  flow: 'jwt' | 'client_credentials';
  clientId: string;
  clientSecret?: string;
  username?: string;
  privateKeyPem?: string;
  /** JWT `aud`; defaults to test.salesforce.com for sandbox login URLs, else login.salesforce.com. */
  audience?: string;
  timeoutMs?: number;
  onTokenRequest?(status: number | 'network'): void;
  /** Told at error level when the credential starts failing (once per distinct error), at info when it works again. */
  logger?: {
    error(fields: object, message: string): void;
    info(fields: object, message: string): void;
  };
}

export interface SalesforceToken {
  accessToken: string;
  instanceUrl: string;
}

export interface SalesforceAuth {
  authenticate(): Promise<SalesforceToken>;
}

const TokenResponse = z
  .object({ access_token: z.string().min(1), instance_url: z.string().url() })
  .passthrough();
const OAuthError = z
  .object({ error: z.string(), error_description: z.string().optional() })
  .passthrough();

export function createSalesforceAuth(
  options: SalesforceAuthOptions
): SalesforceAuth {
  const audience = checkOptions(options);
  const tokenUrl = new URL('/services/oauth2/token', options.loginUrl);
  /** The OAuth error the last token request answered, so a bad credential is reported once, not per event. */
  let failing: string | undefined;

  return {
    async authenticate() {
      const { response, json } = await requestToken(
        tokenUrl,
        tokenForm(options, audience),
        options
      );
      const token = TokenResponse.safeParse(json);
      if (response.ok && token.success) {
        if (failing !== undefined) {
          options.logger?.info(
            { flow: options.flow },
            'Salesforce authentication works again'
          );
          failing = undefined;
        }
        return {
          accessToken: token.data.access_token,
          instanceUrl: token.data.instance_url
        };
      }
      const refusal = describeRefusal(response.status, json);
      if (refusal.oauth && failing !== refusal.text) {
        failing = refusal.text;
        logRefusal(options, tokenUrl, response.status, refusal);
      }
      throw new SalesforceApiError(
        `Salesforce ${options.flow} token request failed: ${refusal.text}`.trim(),
        { errorCode: refusal.code, status: response.status }
      );
    }
  };
}

/** Throws when the flow lacks a setting or targets a host it cannot use; returns the JWT audience. */
function checkOptions(options: SalesforceAuthOptions): string {
  if (options.flow === 'jwt' && (!options.username || !options.privateKeyPem)) {
    throw new Error(
      'Salesforce JWT bearer flow needs a username and a private key'
    );
  }
  if (options.flow === 'client_credentials' && !options.clientSecret) {
    throw new Error('Salesforce client credentials flow needs a client secret');
  }
  const audience = options.audience ?? defaultJwtAudience(options.loginUrl);
  const hostProblem =
    options.flow === 'jwt'
      ? jwtAudienceProblem(audience)
      : clientCredentialsHostProblem(options.loginUrl);
  if (hostProblem)
    throw new Error(`Salesforce ${options.flow} flow: ${hostProblem}`);
  return audience;
}

/** A fresh form per request: a JWT assertion is valid for minutes only. */
function tokenForm(
  options: SalesforceAuthOptions,
  audience: string
): URLSearchParams {
  return options.flow === 'jwt'
    ? new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: createJwtAssertion({
          clientId: options.clientId,
          username: options.username as string,
          audience,
          privateKeyPem: options.privateKeyPem as string
        })
      })
    : new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret as string
      });
}

/** One token request, counted through `onTokenRequest`; the body parsed as JSON when it is JSON. */
async function requestToken(
  tokenUrl: URL,
  form: URLSearchParams,
  options: Pick<SalesforceAuthOptions, 'timeoutMs' | 'onTokenRequest'>
): Promise<{ response: Response; json: unknown }> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json'
      },
      body: form,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000)
    });
  } catch (cause) {
    options.onTokenRequest?.('network');
    throw new SalesforceApiError(
      'Salesforce token request failed: no response',
      { errorCode: 'NETWORK_ERROR', cause }
    );
  }
  options.onTokenRequest?.(response.status);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { response, json };
}

interface Refusal {
  /** Whether Salesforce answered with an OAuth error (rather than an unexpected body). */
  oauth: boolean;
  code: string;
  description: string;
  /** `code description`, the key of "reported once". */
  text: string;
}

// Never echo the response body: it could contain a token.
function describeRefusal(status: number, json: unknown): Refusal {
  const oauthError = OAuthError.safeParse(json);
  const code = oauthError.success
    ? oauthError.data.error
    : `ERROR_HTTP_${status}`;
  const description = oauthError.success
    ? (oauthError.data.error_description ?? '')
    : 'unexpected token response';
  return {
    oauth: oauthError.success,
    code,
    description,
    text: `${code} ${description}`
  };
}

function logRefusal(
  options: SalesforceAuthOptions,
  tokenUrl: URL,
  status: number,
  refusal: Refusal
): void {
  options.logger?.error(
    {
      flow: options.flow,
      errorCode: refusal.code,
      status,
      tokenUrl: tokenUrl.origin
    },
    `Salesforce refused the credential (${refusal.code}: ${refusal.description}); events are retried within the retry budget until it is fixed${salesforceAuthHint(refusal.text)}`
  );
}

import { z } from 'zod';
import { createJwtAssertion } from '../connector/src/salesforce/jwt-assertion.ts';

export interface SalesforceReaderOptions {
  /** The org's My Domain (the Salesforce sandbox's base URL in the demo): where the token request goes. */
  loginUrl: string;
  clientId: string;
  /** The user the page is shown to; the OAuth JWT bearer flow signs in as them. */
  username: string;
  privateKeyPem: string;
  /** The JWT `aud`: the login service, never the My Domain. */
  audience?: string;
  apiVersion?: string;
}

export class SalesforceApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  constructor(status: number, errorCode: string, message: string) {
    super(message);
    this.name = 'SalesforceApiError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  instance_url: z.string().url().optional()
});
const errorBodySchema = z
  .array(z.object({ errorCode: z.string(), message: z.string() }))
  .nonempty();
const queryResultSchema = z.object({
  done: z.boolean(),
  totalSize: z.number(),
  records: z.array(z.record(z.unknown())),
  nextRecordsUrl: z.string().optional()
});
const describeSchema = z.object({
  name: z.string(),
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      relationshipName: z.string().nullable().optional(),
      referenceTo: z.array(z.string()).optional().default([])
    })
  )
});

const globalSchema = z.object({
  sobjects: z.array(
    z.object({ name: z.string(), keyPrefix: z.string().nullable().optional() })
  )
});

export type SObjectDescribe = z.infer<typeof describeSchema>;
export type SoqlRecord = Record<string, unknown>;

/**
 * The preview's view of Salesforce over the documented REST API: the OAuth 2.0 JWT bearer flow, describe,
 * SOQL query, UI API GraphQL, and the one write the admin pages make (a record update). It acts as the user
 * the page is shown to, so field-level security applies as in the org (the connector's integration user
 * is not granted the launcher's fields).
 */
export function createSalesforceReader(options: SalesforceReaderOptions) {
  const apiVersion = options.apiVersion ?? '68.0';
  let session:
    Promise<{ accessToken: string; instanceUrl: string }> | undefined;
  const describes = new Map<string, Promise<SObjectDescribe>>();
  let keyPrefixes: Promise<Map<string, string>> | undefined;
  let dataRequests = 0;

  async function authenticate() {
    const response = await fetch(
      new URL('/services/oauth2/token', options.loginUrl),
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json'
        },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: createJwtAssertion({
            ...options,
            audience: options.audience ?? 'https://login.salesforce.com'
          })
        })
      }
    );
    if (!response.ok) {
      throw new SalesforceApiError(
        response.status,
        'OAUTH_FAILED',
        `token request failed: HTTP ${response.status}`
      );
    }
    const token = tokenSchema.parse(await response.json());
    return {
      accessToken: token.access_token,
      instanceUrl: token.instance_url ?? options.loginUrl
    };
  }

  async function request(
    path: string,
    retried = false,
    init: { method?: string; body?: unknown } = {}
  ): Promise<unknown> {
    session ??= authenticate().catch((error: unknown) => {
      session = undefined;
      throw error;
    });
    const { accessToken, instanceUrl } = await session;
    const response = await fetch(new URL(path, instanceUrl), {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...(init.body === undefined
          ? {}
          : { 'content-type': 'application/json' })
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body)
    });
    if (response.status === 401 && !retried) {
      session = undefined;
      return request(path, true, init);
    }
    // Salesforce counts every authenticated data API request against the daily allowance.
    if (response.status !== 401) dataRequests += 1;
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(body);
      const first = parsed.success
        ? parsed.data[0]
        : { errorCode: 'HTTP_ERROR', message: `HTTP ${response.status}` };
      throw new SalesforceApiError(
        response.status,
        first.errorCode,
        first.message
      );
    }
    return body;
  }

  return {
    /** Data API requests made so far (what they cost of the org's daily API allowance). */
    requestCount: () => dataRequests,

    async query(soql: string): Promise<SoqlRecord[]> {
      const records: SoqlRecord[] = [];
      let page = queryResultSchema.parse(
        await request(
          `/services/data/v${apiVersion}/query?q=${encodeURIComponent(soql)}`
        )
      );
      records.push(...page.records);
      while (!page.done && page.nextRecordsUrl) {
        page = queryResultSchema.parse(await request(page.nextRecordsUrl));
        records.push(...page.records);
      }
      return records;
    },

    /** An authenticated GET whose body is bytes, not JSON (a file's VersionData), left unread to stream. */
    async download(path: string): Promise<globalThis.Response> {
      session ??= authenticate().catch((error: unknown) => {
        session = undefined;
        throw error;
      });
      const { accessToken, instanceUrl } = await session;
      const response = await fetch(new URL(path, instanceUrl), {
        headers: { authorization: `Bearer ${accessToken}` }
      });
      if (response.status !== 401) dataRequests += 1;
      if (!response.ok) {
        await response.body?.cancel();
        throw new SalesforceApiError(
          response.status,
          response.status === 404 ? 'NOT_FOUND' : 'HTTP_ERROR',
          `GET ${path}: HTTP ${response.status}`
        );
      }
      return response;
    },

    /** UI API GraphQL: the answer as sent (HTTP 200 carries validation problems in `errors`). */
    graphql(body: unknown): Promise<unknown> {
      return request(`/services/data/v${apiVersion}/graphql`, false, {
        method: 'POST',
        body
      });
    },

    /** The sObject type of a record id, from its key prefix (describe global, read once). */
    async objectTypeOf(recordId: string): Promise<string | undefined> {
      keyPrefixes ??= request(`/services/data/v${apiVersion}/sobjects`).then(
        (body) =>
          new Map(
            globalSchema
              .parse(body)
              .sobjects.filter((o) => o.keyPrefix)
              .map((o) => [o.keyPrefix as string, o.name])
          )
      );
      keyPrefixes.catch(() => (keyPrefixes = undefined));
      return (await keyPrefixes).get(recordId.slice(0, 3));
    },

    /** `PATCH /sobjects/{type}/{id}` (204 No Content on success). */
    async updateRecord(
      type: string,
      recordId: string,
      fields: Record<string, unknown>
    ): Promise<void> {
      await request(
        `/services/data/v${apiVersion}/sobjects/${encodeURIComponent(type)}/${encodeURIComponent(recordId)}`,
        false,
        { method: 'PATCH', body: fields }
      );
    },

    describe(objectApiName: string): Promise<SObjectDescribe> {
      let described = describes.get(objectApiName);
      if (!described) {
        described = request(
          `/services/data/v${apiVersion}/sobjects/${encodeURIComponent(objectApiName)}/describe`
        ).then((body) => describeSchema.parse(body));
        described.catch(() => describes.delete(objectApiName));
        describes.set(objectApiName, described);
      }
      return described;
    }
  };
}

export type SalesforceReader = ReturnType<typeof createSalesforceReader>;

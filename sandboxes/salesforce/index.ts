import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { z } from 'zod';
import { createAuth } from './auth/auth.ts';
import { createSandboxState } from './state.ts';
import { createApp } from './http/create-app.ts';
import { SERVER_MAX_HEADER_BYTES } from './http/request-size-limit.ts';
import { createServer } from 'node:http';
import { LATEST_API_VERSION } from './http/api-versions.ts';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxState } from './state.ts';

export const SANDBOX_CLIENT_ID = 'sandbox-client-id';
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret';
export const SANDBOX_USERNAME = 'integration@worklink.sandbox';
export const SANDBOX_ADMIN_USERNAME = 'admin@worklink.sandbox';
export {
  SEED_PASSWORD as SANDBOX_PASSWORD,
  SEED_SECURITY_TOKEN as SANDBOX_SECURITY_TOKEN
} from './seed/seed-rows.ts';

const optionsSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    /** The org's My Domain (instance URL, data API, controls). */
    port: z.number().int().min(0).max(65535).default(0),
    /** The stand-in for login.salesforce.com / test.salesforce.com (OAuth and SOAP login only). */
    loginPort: z.number().int().min(0).max(65535).default(0),
    metadataDir: z.string().default('force-app/main/default'),
    permissionSet: z.string().default('WorkLink_Integration'),
    apiVersion: z
      .string()
      .regex(/^\d{2}\.0$/)
      .refine(
        (v) => Number(v) >= 31 && Number(v) <= Number(LATEST_API_VERSION),
        {
          message: `the sandbox serves API versions 31.0 to ${LATEST_API_VERSION}`
        }
      )
      .default(LATEST_API_VERSION),
    tokenTtlSeconds: z.number().positive().default(7200),
    dailyApiLimit: z.number().int().min(0).default(100_000),
    seed: z
      .union([
        z.boolean(),
        z.object({ closedWorkOrders: z.number().int().min(0).optional() })
      ])
      .default(true),
    latencyMs: z.number().int().min(0).default(0),
    clientId: z.string().default(SANDBOX_CLIENT_ID),
    clientSecret: z.string().default(SANDBOX_CLIENT_SECRET),
    username: z.string().default(SANDBOX_USERNAME),
    jwtCertificatePem: z.string().optional(),
    /** The login service a JWT `aud` must name: a production org's or a sandbox org's. */
    jwtAudience: z
      .enum(['https://login.salesforce.com', 'https://test.salesforce.com'])
      .default('https://login.salesforce.com'),
    /** Experience Cloud site URLs, also accepted as JWT `aud`. */
    experienceSiteUrls: z.array(z.string().url()).default([]),
    /** Objects with a Private org-wide default (the integration user then sees only what it owns, what is shared with it, or all with View All). */
    privateObjects: z.array(z.enum(['WorkOrder', 'Case', 'Asset'])).default([]),
    /** OAuth username-password flow: blocked, as in orgs created since Summer '23, unless true. */
    usernamePasswordFlow: z.boolean().default(false),
    /** The URL the sandbox reports as instance_url (defaults to its own address). */
    publicUrl: z.string().url().optional()
  })
  .strict();

export type SalesforceSandboxOptions = z.input<typeof optionsSchema>;

export interface SalesforceSandbox {
  /** The org's My Domain (`http://127.0.0.1:port`): instance URL, token endpoint, /sandbox controls. */
  url: string;
  /** The login host (login.salesforce.com's stand-in): token endpoint without client credentials. */
  loginUrl: string;
  /** The JWT `aud` this org accepts. */
  jwtAudience: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  username: string;
  /** SANDBOX ONLY: the private key whose certificate the token endpoint trusts for the JWT flow. */
  jwtPrivateKeyPem: string;
  jwtCertificatePem: string;
  /** Direct access to the in-memory state, for in-process tests. */
  state: SandboxState;
  close(): Promise<void>;
}

/** Starts the Salesforce REST API emulator on an HTTP port (random by default). */
export async function startSalesforceSandbox(
  input: SalesforceSandboxOptions = {}
): Promise<SalesforceSandbox> {
  const options = optionsSchema.parse(input);
  let jwtPrivateKeyPem = '';
  let jwtCertificatePem = options.jwtCertificatePem ?? '';
  if (!jwtCertificatePem) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    jwtPrivateKeyPem = pair.privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
    jwtCertificatePem = pair.publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
  }
  const seed =
    options.seed === false
      ? false
      : {
          closedWorkOrders:
            (options.seed === true
              ? undefined
              : options.seed.closedWorkOrders) ?? 40
        };
  const state = createSandboxState({
    metadataDir: resolve(options.metadataDir),
    permissionSet: options.permissionSet,
    apiVersion: options.apiVersion,
    dailyApiLimit: options.dailyApiLimit,
    latencyMs: options.latencyMs,
    seed,
    integrationUsername: options.username,
    privateObjects: options.privateObjects
  });

  let url = '';
  const auth = createAuth({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    jwtCertificatePem,
    tokenTtlSeconds: options.tokenTtlSeconds,
    orgId: '00D8d0000000001EAA',
    baseUrl: () => options.publicUrl ?? url,
    jwtAudiences: [options.jwtAudience, ...options.experienceSiteUrls],
    usernamePasswordFlow: options.usernamePasswordFlow,
    findUser: (username) => state.findUser(username),
    checkPassword: (username, password) =>
      state.checkPassword(username, password),
    runAsUsername: options.username
  });
  const control = {
    auth,
    jwtPrivateKeyPem,
    jwtCertificatePem,
    clientId: options.clientId,
    username: options.username
  };
  const listen = async (app: ReturnType<typeof createApp>, port: number) => {
    const server: Server = createServer(
      { maxHeaderSize: SERVER_MAX_HEADER_BYTES },
      app
    ).listen(port, options.host);
    await once(server, 'listening');
    const address = server.address() as AddressInfo;
    return { server, url: `http://${options.host}:${address.port}` };
  };
  const myDomain = await listen(
    createApp(state, auth, control, 'myDomain'),
    options.port
  );
  const login = await listen(
    createApp(state, auth, control, 'login'),
    options.loginPort
  ).catch(async (error: unknown) => {
    await closeServer(myDomain.server);
    throw error;
  });
  url = myDomain.url;

  return {
    url,
    loginUrl: login.url,
    jwtAudience: options.jwtAudience,
    apiVersion: options.apiVersion,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    username: options.username,
    jwtPrivateKeyPem,
    jwtCertificatePem,
    state,
    close: async () => {
      await Promise.all([
        closeServer(myDomain.server),
        closeServer(login.server)
      ]);
    }
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolveClose, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolveClose()));
  });
}

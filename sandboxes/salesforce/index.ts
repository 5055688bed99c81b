import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createAuth } from './auth/auth.ts';
import { optionsSchema } from './options.ts';
import type { SalesforceSandboxOptions } from './options.ts';
import { createSandboxState } from './state.ts';
import { createApp } from './http/create-app.ts';
import { SERVER_MAX_HEADER_BYTES } from './http/request-size-limit.ts';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxState } from './state.ts';

export {
  SANDBOX_ADMIN_USERNAME,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_PASSWORD,
  SANDBOX_SECURITY_TOKEN,
  SANDBOX_USERNAME
} from './options.ts';
export type { SalesforceSandboxOptions } from './options.ts';

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
    privateObjects: options.privateObjects,
    ...(options.filesDir ? { filesDir: resolve(options.filesDir) } : {})
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
      state.blobs.close();
    }
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolveClose, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolveClose()));
  });
}

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  SANDBOX_ADMIN_USERNAME,
  startSalesforceSandbox
} from '../sandboxes/salesforce/index.ts';
import { startScopeSandbox } from '../sandboxes/scope/index.ts';
import { buildPreviewCached } from './preview-build/build-preview-in-child.ts';
import { startConnectorProcess } from './connector-process.ts';
import { readDemoStats, readScopeApiCalls } from './demo-stats.ts';
import type { DemoStats } from './demo-stats.ts';
import {
  PortInUseError,
  assertPortFree,
  findFreePort,
  isAddressInUse
} from './ports.ts';
import { startPreviewServer } from './preview-server.ts';
import type { PreviewServer } from './preview-server.ts';
import { createSalesforceReader } from './salesforce-reader.ts';
import { subscribeConnectorWebhooks } from './subscribe-webhooks.ts';

export const DEMO_CREDENTIALS = {
  scopeApiToken: 'sandbox-company-token',
  scopePermalink: 'sandbox',
  salesforceClientId: 'sandbox-client-id',
  salesforceClientSecret: 'sandbox-client-secret'
} as const;

export interface DemoPorts {
  scope: number;
  salesforce: number;
  connector: number;
  preview: number;
}

export interface DemoOptions {
  /** 0 = any free port (the tests); the CLI defaults to 4010/4020/4030/4000. */
  ports?: Partial<DemoPorts>;
  /** Keep state here; without it a temporary folder is used and removed on stop. */
  dataDir?: string;
  /** Simulator step interval of the Scope sandbox (how fast a session advances). */
  stepMs?: number;
  /**
   * The connector's heartbeat cadence (HEARTBEAT_INTERVAL_SECONDS, HEARTBEAT_MAX_SILENCE_SECONDS); the
   * production defaults 60 and 600 unless told. The browser test beats every 2 s so that the Health page,
   * opened with ?staleAfterSeconds=15, shows a stopped connector red within seconds.
   */
  heartbeat?: { intervalSeconds: number; maxSilenceSeconds: number };
  /** Progress lines while starting. */
  log?: (line: string) => void;
  /** Ctrl-C during start-up: whatever already runs is stopped and startDemo rejects. */
  signal?: AbortSignal;
}

export interface DemoUrls {
  preview: string;
  scope: string;
  salesforce: string;
  connector: string;
}

/** Who the preview signs in as (the Salesforce sandbox's admin, JWT bearer flow): sandbox-only secrets. */
export interface DemoViewer {
  clientId: string;
  username: string;
  privateKeyPem: string;
  audience: string;
}

export interface Demo {
  urls: DemoUrls;
  viewer: DemoViewer;
  dataDir: string;
  connectorLog: string;
  stats(): Promise<DemoStats>;
  /** Stops only the connector (the Health page then turns red); idempotent. */
  stopConnector(): Promise<void>;
  /** Stops the connector first, then the preview and both sandboxes; idempotent. */
  stop(): Promise<void>;
}

/** The CLI flag for each port, so a busy port's message tells the user what to change. */
export const PORT_FLAGS: Record<keyof DemoPorts, string> = {
  scope: '--scope-port',
  salesforce: '--salesforce-port',
  connector: '--connector-port',
  preview: '--preview-port'
};

async function listenOrExplain<T>(
  port: number,
  flag: string,
  start: () => Promise<T>
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(port, flag);
    throw error;
  }
}

/**
 * Starts the whole loop on 127.0.0.1: the Scope sandbox (with its phone-app simulator), the Salesforce
 * sandbox with seeded work orders, the connector as its own process subscribed to Scope's webhooks, and
 * the Work Order page preview. `npm run demo` and the browser test both start it through here.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const log = options.log ?? (() => undefined);
  const ports: DemoPorts = {
    scope: 0,
    salesforce: 0,
    connector: 0,
    preview: 0,
    ...options.ports
  };
  for (const [name, port] of Object.entries(ports) as [
    keyof DemoPorts,
    number
  ][]) {
    await assertPortFree(port, PORT_FLAGS[name]);
  }

  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir
    ? resolve(options.dataDir)
    : await mkdtemp(join(tmpdir(), 'worklink-demo-'));
  await mkdir(dataDir, { recursive: true });
  // mkdtemp makes the folder private (0700); embedded PostgreSQL runs as its own user and must reach
  // the database folder inside, so others get traverse (x) only, never read.
  if (ownsDataDir) await chmod(dataDir, 0o711);
  const connectorLog = join(dataDir, 'connector.log');

  const cleanups: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error: unknown) =>
          log(`while stopping: ${String(error)}`)
        );
      }
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    // The page bundle takes the longest (~15 s on two cores): build it while the rest starts, in its own
    // process so the sandboxes here stay responsive.
    const built = buildPreviewCached();
    built.catch(() => undefined);

    const scope = await listenOrExplain(ports.scope, PORT_FLAGS.scope, () =>
      startScopeSandbox({
        port: ports.scope,
        clock: { stepIntervalMs: options.stepMs ?? 1000 }
      })
    );
    cleanups.push(() => scope.close());
    log(`Scope sandbox      ${scope.url}`);

    const salesforce = await listenOrExplain(
      ports.salesforce,
      PORT_FLAGS.salesforce,
      () => startSalesforceSandbox({ port: ports.salesforce })
    );
    cleanups.push(() => salesforce.close());
    log(`Salesforce sandbox ${salesforce.url}`);

    const connectorPort = ports.connector || (await findFreePort());
    const connectorUrl = `http://127.0.0.1:${connectorPort}`;
    const webhookSecret = randomBytes(24).toString('base64url');
    log(
      'Connector          starting (embedded PostgreSQL on first run takes a few seconds)…'
    );
    options.signal?.throwIfAborted();
    const connector = await startConnectorProcess({
      signal: options.signal,
      url: connectorUrl,
      logFile: connectorLog,
      env: {
        HOST: '127.0.0.1',
        PORT: String(connectorPort),
        LOG_LEVEL: 'info',
        DATA_DIR: join(dataDir, 'postgres'),
        EMBEDDED_PG_PORT: String(await findFreePort()),
        SCOPE_BASE_URL: scope.url,
        SCOPE_API_TOKEN: DEMO_CREDENTIALS.scopeApiToken,
        SCOPE_PERMALINK: DEMO_CREDENTIALS.scopePermalink,
        SF_LOGIN_URL: salesforce.url,
        SF_AUTH_FLOW: 'client_credentials',
        SF_CLIENT_ID: DEMO_CREDENTIALS.salesforceClientId,
        SF_CLIENT_SECRET: DEMO_CREDENTIALS.salesforceClientSecret,
        WEBHOOK_SECRETS: webhookSecret,
        WORKER_POLL_SECONDS: '0.5',
        // the work order pages of a demo show the AR counts seconds after a session, not 30 s
        ROLLUP_INTERVAL_SECONDS: '5',
        RETRY_DELAY_SECONDS: '1',
        SHUTDOWN_TIMEOUT_SECONDS: '10',
        HEARTBEAT_INTERVAL_SECONDS: String(
          options.heartbeat?.intervalSeconds ?? 60
        ),
        HEARTBEAT_MAX_SILENCE_SECONDS: String(
          options.heartbeat?.maxSilenceSeconds ?? 600
        )
      }
    });
    cleanups.push(() => connector.stop());
    log(`Connector          ${connectorUrl} (log: ${connectorLog})`);
    options.signal?.throwIfAborted();

    const scopeCallsBeforeSetup = (await readScopeApiCalls(scope.url)) ?? 0;
    await subscribeConnectorWebhooks({
      scopeBaseUrl: scope.url,
      apiToken: DEMO_CREDENTIALS.scopeApiToken,
      permalink: DEMO_CREDENTIALS.scopePermalink,
      callbackUrl: `${connectorUrl}/webhooks/scope`,
      sharedSecret: webhookSecret
    });
    const setupScopeCalls =
      ((await readScopeApiCalls(scope.url)) ?? 0) - scopeCallsBeforeSetup;
    log(
      'Webhooks           session and call topics subscribed (generation 2, signed)'
    );

    const build = await built;
    options.signal?.throwIfAborted();
    // The page is shown as the org's admin sees it (the sandbox's technicians hold the integration set).
    const viewer: DemoViewer = {
      clientId: salesforce.clientId,
      username: SANDBOX_ADMIN_USERNAME,
      privateKeyPem: salesforce.jwtPrivateKeyPem,
      audience: salesforce.jwtAudience
    };
    const previewSalesforce = createSalesforceReader({
      loginUrl: salesforce.url,
      ...viewer
    });
    const preview: PreviewServer = await listenOrExplain(
      ports.preview,
      PORT_FLAGS.preview,
      () =>
        startPreviewServer({
          salesforce: previewSalesforce,
          scopeBaseUrl: scope.url,
          buildDir: build.outDir,
          recordObjects: Object.keys(build.components),
          port: ports.preview
        })
    );
    cleanups.push(() => preview.close());

    const urls: DemoUrls = {
      preview: preview.url,
      scope: scope.url,
      salesforce: salesforce.url,
      connector: connectorUrl
    };
    return {
      urls,
      viewer,
      dataDir,
      connectorLog,
      stats: () =>
        readDemoStats({
          connectorUrl,
          scopeUrl: scope.url,
          salesforceUrl: salesforce.url,
          ownCalls: () => ({
            salesforce: previewSalesforce.requestCount(),
            scope: setupScopeCalls
          })
        }),
      stopConnector: () => connector.stop(),
      stop
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

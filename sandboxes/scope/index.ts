import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from './options.ts';
import {
  parseOptions,
  type SandboxConfig,
  type ScopeSandboxOptions
} from './options.ts';
import { createApp } from './http/create-app.ts';
import { createServices } from './state.ts';
import type { OpenOptions, OpenResult } from './simulator/simulator.ts';
import type { StatsSnapshot } from './stats.ts';
import type { Delivery } from './webhooks/dispatcher.ts';

// The Scope AR sandbox, in process. Everything here is also reachable over HTTP under /sandbox/*.

export interface ScopeSandbox {
  url: string;
  config: SandboxConfig;
  /** Turns a worklink:// link into a running session or call (POST /sandbox/open). */
  open(url: string, options?: OpenOptions): Promise<OpenResult>;
  /** One simulator step for every running session and call (POST /sandbox/advance). */
  advance(): Promise<number>;
  setFaults(update: Partial<Faults>): Faults;
  deliveries(): Delivery[];
  stats(): StatsSnapshot;
  reset(): void;
  close(): Promise<void>;
}

export type {
  ScopeSandboxOptions,
  SandboxConfig,
  Faults,
  OpenResult,
  Delivery
};

export async function startScopeSandbox(
  options: ScopeSandboxOptions = {}
): Promise<ScopeSandbox> {
  const config = parseOptions(options);
  let url = config.publicUrl ?? '';
  const services = createServices(config, () => url);
  const server: Server = createServer(createApp(services));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const listening = `http://${host}:${address.port}`;
  url = config.publicUrl?.replace(/\/$/, '') ?? listening;
  let closed = false;
  return {
    url: listening,
    config,
    open: (link, openOptions) => services.simulator.open(link, openOptions),
    advance: () => services.simulator.advance(),
    setFaults: (update) => services.faults.set(update),
    deliveries: () => services.dispatcher.log(),
    stats: () => services.stats.snapshot(),
    reset: () => services.reset(),
    async close() {
      if (closed) return;
      closed = true;
      services.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

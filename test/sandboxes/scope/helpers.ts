import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLClient } from 'graphql-request';
import {
  startScopeSandbox,
  type ScopeSandbox,
  type ScopeSandboxOptions
} from '../../../sandboxes/scope/index.ts';

// Shared setup for the Scope sandbox tests: a sandbox on a random port, a graphql-request client, a
// tiny webhook receiver, and polling with a deadline instead of sleeps.

export const COMPANY_TOKEN = 'sandbox-company-token';

export async function withSandbox(
  options: ScopeSandboxOptions,
  run: (sandbox: ScopeSandbox) => Promise<void>
): Promise<void> {
  const sandbox = await startScopeSandbox({
    port: 0,
    clock: { manual: true },
    ...options
  });
  try {
    await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

export function client(
  sandbox: ScopeSandbox,
  authorization = `Token token=${COMPANY_TOKEN}`
): GraphQLClient {
  return new GraphQLClient(`${sandbox.url}/api/v3/graphql`, {
    headers: { Authorization: authorization }
  });
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  method = 'POST'
) {
  const response = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body)
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {}
  };
}

/** Raw GraphQL over fetch, for asserting on `errors` next to partial `data`. */
export async function rawGraphql(
  sandbox: ScopeSandbox,
  query: string,
  variables: Record<string, unknown> = {},
  token = COMPANY_TOKEN
) {
  return postJson(
    `${sandbox.url}/api/v3/graphql`,
    { query, variables },
    { Authorization: `Token token=${token}` }
  );
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: unknown;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status codes to answer with, in order; 200 once exhausted. */
  respondWith(statuses: number[]): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let statuses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({
        headers: request.headers,
        raw,
        json: JSON.parse(raw.toString('utf8'))
      });
      response.statusCode = statuses.shift() ?? 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    respondWith(next) {
      statuses = [...next];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// The connector's HTTP server: bound before anything else starts (a busy port fails start-up with a
// message naming PORT, not after the worker runs), with timeouts that close slow or endless requests and
// a cap on open connections. Until the app is attached it answers 503, so a probe sees "not ready yet".
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Whole request (headers and body) must arrive within this; Node answers 408 and closes otherwise. */
  requestTimeoutMs: number;
  /** Headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export type RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse
) => void;

export interface HttpServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  /** Routes requests to the app from now on. */
  attach(handler: RequestHandler): void;
}

export class PortInUseError extends Error {}

function notReady(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, {
    'content-type': 'application/json',
    'retry-after': '1'
  });
  res.end(
    JSON.stringify({
      error: { code: 'starting', message: 'the connector is starting' }
    })
  );
}

export async function listenHttp(
  options: HttpServerOptions
): Promise<HttpServer> {
  let handler: RequestHandler = notReady;
  const server = createServer(
    {
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: options.headersTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      // how often Node checks the two timeouts above (default 30 s would make short ones meaningless)
      connectionsCheckingInterval: Math.max(
        100,
        Math.min(1000, options.headersTimeoutMs / 4)
      )
    },
    (req, res) => handler(req, res)
  );
  server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new PortInUseError(
            `PORT ${options.port} is already in use on ${options.host}: stop the other process or set PORT to a free port`
          )
        );
      else if (error.code === 'EACCES')
        reject(
          new PortInUseError(
            `PORT ${options.port} on ${options.host} needs privileges: set PORT to a port above 1023`
          )
        );
      else reject(error);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${options.host}:${port}`,
    attach: (next) => {
      handler = next;
    }
  };
}

import { createServer } from 'node:net';

/** A port the demo was asked to use is taken; the message names the flag that sets it. */
export class PortInUseError extends Error {
  readonly port: number;
  readonly flag: string;
  constructor(port: number, flag: string) {
    super(
      `Port ${port} on 127.0.0.1 is already in use. Stop whatever holds it, or choose another with ${flag} <port>.`
    );
    this.name = 'PortInUseError';
    this.port = port;
    this.flag = flag;
  }
}

function tryListen(port: number, host: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' || error.code === 'EACCES'
        ? resolve(null)
        : reject(error)
    );
    server.listen(port, host, () => {
      const address = server.address();
      const bound =
        typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** Fails early, before anything starts, when a requested port is busy (0 means "any free port"). */
export async function assertPortFree(
  port: number,
  flag: string,
  host = '127.0.0.1'
): Promise<void> {
  if (port === 0) return;
  if ((await tryListen(port, host)) === null)
    throw new PortInUseError(port, flag);
}

/** A port that was free a moment ago, for children that need a number up front (embedded PostgreSQL). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const port = await tryListen(0, host);
  if (port === null) throw new Error('no free port available');
  return port;
}

export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './preview-build/build-preview.ts';

export interface ConnectorProcessOptions {
  env: Record<string, string>;
  /** The connector's `HOST:PORT`, for readiness polling. */
  url: string;
  logFile: string;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Aborting while the connector starts stops it and rejects. */
  signal?: AbortSignal;
}

export interface ConnectorProcess {
  readonly url: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const CLI = join(REPO_ROOT, 'connector/src/cli.ts');

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '';
  }
}

/**
 * Runs `connector serve` as its own process, configured only through environment variables — exactly as
 * a customer deploys it. It gets its own process group, so a terminal Ctrl-C reaches the demo alone and
 * the demo stops the connector first, then the sandboxes it talks to.
 */
export async function startConnectorProcess(
  options: ConnectorProcessOptions
): Promise<ConnectorProcess> {
  const logFd = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...options.env
    },
    stdio: ['ignore', logFd, logFd],
    detached: true
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  );
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const killOnExit = () => {
    if (running) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!running) return;
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(
        () => resolve('timeout'),
        options.stopTimeoutMs ?? 30_000
      ).unref()
    );
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (options.signal?.aborted) {
      await stop();
      throw new Error('The demo was stopped while the connector was starting.');
    }
    if (!running) {
      throw new Error(
        `The connector exited during start-up. Last lines of ${options.logFile}:\n${tail(options.logFile)}`
      );
    }
    const ready = await fetch(new URL('/readyz', options.url))
      .then((response) => response.ok)
      .catch(() => false);
    if (ready) return { url: options.url, pid: child.pid, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(
    `The connector was not ready within the timeout. Last lines of ${options.logFile}:\n${tail(options.logFile)}`
  );
}

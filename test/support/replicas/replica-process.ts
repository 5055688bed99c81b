// One connector replica as a real OS process: `node connector/bin/connector.mjs serve`, configured only
// through environment variables, exactly as a customer runs it, on a free port; started = /healthz answers.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../postgres.ts';

export const REPO_ROOT = join(import.meta.dirname, '../../..');
const BIN = join(REPO_ROOT, 'connector/bin/connector.mjs');

export interface Replica {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | string | null>;
  /** The last log lines (stdout and stderr), for failure messages. */
  logTail(lines?: number): string;
  /** Parsed pino lines, newest last (bounded). */
  readonly events: Record<string, unknown>[];
  /** kill -9: no shutdown hook runs. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL after the timeout. */
  stop(timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startReplica(
  name: string,
  env: Record<string, string>,
  options: { startTimeoutMs?: number; args?: string[] } = {}
): Promise<Replica> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(
    process.execPath,
    [BIN, 'serve', ...(options.args ?? [])],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        ...env,
        PORT: port
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  running.add(child);
  const lines: string[] = [];
  const events: Record<string, unknown>[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    keep(line);
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (events.length > 2000) events.shift();
    } catch {
      // not a pino line
    }
  });
  createInterface({ input: child.stderr }).on('line', keep);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    })
  );
  const logTail = (n = 30) => lines.slice(-n).join('\n');

  const timeoutMs = options.startTimeoutMs ?? 90_000;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let gone: number | string | null | undefined;
  void exited.then((code) => (gone = code));
  for (;;) {
    if (gone !== undefined)
      throw new Error(
        `replica ${name} exited (${String(gone)}) during start-up:\n${logTail()}`
      );
    const up = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `replica ${name} not listening after ${timeoutMs} ms:\n${logTail()}`
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const late = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(late);
  };

  return {
    name,
    url,
    pid: child.pid as number,
    exited,
    events,
    logTail,
    kill: () => signalAndWait('SIGKILL', 0),
    stop: (graceMs = 30_000) => signalAndWait('SIGTERM', graceMs)
  };
}

/** Starts all replicas at the same instant; if one fails to start, the others are stopped too. */
export async function startReplicas(
  count: number,
  env: (index: number) => Record<string, string>,
  options: { startTimeoutMs?: number; args?: string[] } = {}
): Promise<Replica[]> {
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      startReplica(`replica-${i + 1}`, env(i), options)
    )
  );
  const started = settled.flatMap((s) =>
    s.status === 'fulfilled' ? [s.value] : []
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await stopAll(started);
    throw failed.reason;
  }
  return started;
}

export async function stopAll(replicas: readonly Replica[]): Promise<void> {
  await Promise.all(replicas.map((r) => r.stop()));
}

/**
 * A rolling deploy: each replica in turn gets SIGTERM first (the balancer learns from the 503s), leaves
 * the balancer once it exits, and a fresh one takes its place. Fills `exitCodes` as replicas exit.
 */
export async function restartOneByOne(
  replicas: Replica[],
  behindBalancer: Set<string>,
  env: () => Record<string, string>,
  exitCodes: (number | string | null)[]
): Promise<void> {
  for (let i = 0; i < replicas.length; i++) {
    const old = replicas[i] as Replica;
    await old.stop();
    behindBalancer.delete(old.url);
    exitCodes.push(await old.exited);
    const fresh = await startReplica(`replica-${i + 1}b`, env());
    replicas[i] = fresh;
    behindBalancer.add(fresh.url);
  }
}

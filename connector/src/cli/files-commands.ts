// connector files purge: deletes the photos the connector copied into Salesforce Files (to free file
// storage, or before switching SYNC_FILES off for good). The work is in files/purge-files.ts.
import type { Command } from 'commander';
import { purgeCopiedFiles } from '../files/purge-files.ts';
import { createLogger } from '../logger.ts';
import { createProcessing } from '../runtime/create-processing.ts';
import { EXIT, fail, readConfig, withDatabase } from './cli-io.ts';
import type { CliIo } from './cli-io.ts';

async function purge(
  io: CliIo,
  sessionIds: string[],
  opts: { all?: boolean; dryRun?: boolean }
): Promise<void> {
  if (!opts.all && sessionIds.length === 0)
    fail('name Scope session ids or pass --all', EXIT.usage);
  const config = readConfig(io);
  const logger = createLogger({ level: 'warn' });
  const { salesforce } = createProcessing(config, { logger });
  const result = await withDatabase(config, logger, (db) =>
    purgeCopiedFiles(
      salesforce.files,
      db.pool,
      opts.all ? { all: true } : { scopeSessionIds: sessionIds },
      { dryRun: opts.dryRun }
    )
  );
  if (opts.dryRun) {
    io.out(`${result.found} copied files would be deleted.`);
    return;
  }
  io.out(`Deleted ${result.deleted.length} of ${result.found} copied files.`);
  for (const f of result.failed) io.err(`  ${f.id}: ${f.reason}`);
  if (result.failed.length > 0)
    fail('some files were not deleted', EXIT.failed);
}

export function registerFilesCommands(program: Command, io: CliIo): void {
  const files = program
    .command('files')
    .description('the Scope photos the connector copied into Salesforce Files');
  files
    .command('purge')
    .description(
      'delete copied photos from Salesforce Files (they go to the Recycle Bin)'
    )
    .argument('[scopeSessionIds...]', 'only the photos of these Scope sessions')
    .option('--all', 'every photo the connector copied')
    .option('--dry-run', 'only count them')
    .action((ids: string[], opts: { all?: boolean; dryRun?: boolean }) =>
      purge(io, ids, opts)
    );
}

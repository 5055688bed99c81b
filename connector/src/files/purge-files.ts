// `connector files purge`: the copied photos deleted from Salesforce Files (all of them, or those of
// some Scope sessions), found by WorkLink_Scope_Event_Id__c, so files users uploaded themselves are
// never touched. Deleting the ContentDocument removes its versions and links (the Recycle Bin keeps
// them 15 days; storage is freed once it is emptied). file_copies forgets them, so a replay copies again.
import type { Pool } from 'pg';
import { SQL } from '../db/sql.ts';
import type { FilesPort } from '../salesforce/salesforce-client.ts';

export interface PurgeResult {
  found: number;
  deleted: string[];
  failed: { id: string; reason: string }[];
}

export async function purgeCopiedFiles(
  salesforce: Pick<
    FilesPort,
    'findSessionRecords' | 'findCopiedDocuments' | 'deleteDocuments'
  >,
  pool: Pick<Pool, 'query'>,
  selection: { all: true } | { scopeSessionIds: string[] },
  options: { dryRun?: boolean } = {}
): Promise<PurgeResult> {
  let documents: string[];
  if ('all' in selection) documents = await salesforce.findCopiedDocuments();
  else {
    const records = await salesforce.findSessionRecords(
      selection.scopeSessionIds
    );
    const ids = [...records.values()].map((r) => r.Id);
    documents = ids.length > 0 ? await salesforce.findCopiedDocuments(ids) : [];
  }
  if (options.dryRun || documents.length === 0)
    return { found: documents.length, deleted: [], failed: [] };
  const { deleted, failed } = await salesforce.deleteDocuments(documents);
  if (deleted.length > 0) await pool.query(SQL.forgetFileCopies, [deleted]);
  return { found: documents.length, deleted, failed };
}

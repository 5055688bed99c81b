// What became of each Scope photo (copied into Salesforce Files, or skipped and why), in the
// connector's database: `connector status` and /metrics read it, `connector files purge` forgets what
// it deleted. Salesforce stays the judge of "already copied" (the event id on the ContentVersion).
import type { Pool } from 'pg';
import { SQL } from '../db/sql.ts';

export interface FileCopy {
  scopeEventId: string;
  scopeSessionId: string;
  status: 'copied' | 'skipped';
  reason?: string;
  contentVersionId?: string;
  contentDocumentId?: string;
  bytes?: number;
}

export async function recordFileCopies(
  pool: Pick<Pool, 'query'>,
  copies: readonly FileCopy[]
): Promise<void> {
  if (copies.length === 0) return;
  await pool.query(SQL.recordFileCopies, [
    JSON.stringify(
      copies.map((c) => ({
        scope_event_id: c.scopeEventId,
        scope_session_id: c.scopeSessionId,
        status: c.status,
        reason: c.reason ?? null,
        content_version_id: c.contentVersionId ?? null,
        content_document_id: c.contentDocumentId ?? null,
        bytes: c.bytes ?? null
      }))
    )
  ]);
}

export interface SkippedFile {
  scopeEventId: string;
  scopeSessionId: string;
  reason: string;
  bytes: number | null;
  at: Date;
}

export interface FileCopyStats {
  copied: number;
  copiedBytes: number;
  skipped: number;
  /** The newest skipped photos, with the reason. */
  recentlySkipped: SkippedFile[];
}

export async function readFileCopyStats(
  pool: Pick<Pool, 'query'>,
  recent = 5
): Promise<FileCopyStats> {
  const [counts, skipped] = await Promise.all([
    pool.query<{ status: string; count: number; bytes: number }>(
      SQL.fileCopyCounts
    ),
    pool.query<{
      scope_event_id: string;
      scope_session_id: string;
      reason: string | null;
      bytes: string | null;
      updated_at: Date;
    }>(SQL.skippedFiles, [recent])
  ]);
  const of = (status: string) => counts.rows.find((r) => r.status === status);
  return {
    copied: of('copied')?.count ?? 0,
    copiedBytes: of('copied')?.bytes ?? 0,
    skipped: of('skipped')?.count ?? 0,
    recentlySkipped: skipped.rows.map((r) => ({
      scopeEventId: r.scope_event_id,
      scopeSessionId: r.scope_session_id,
      reason: r.reason ?? '',
      bytes: r.bytes === null ? null : Number(r.bytes),
      at: r.updated_at
    }))
  };
}

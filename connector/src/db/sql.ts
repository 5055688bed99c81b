// Every SQL statement the connector runs against its own tables, as constants. Parameters are always
// bound, never spliced. Statements over pg-boss's tables live in queue/boss-compat.ts.

export const MIGRATION_LOCK_KEY = 742_001_005; // advisory lock id: one migrator at a time across replicas

export const SQL = {
  createMigrationsTable: `
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  lockMigrations: `SELECT pg_advisory_lock($1)`,
  unlockMigrations: `SELECT pg_advisory_unlock($1)`,
  appliedMigrations: `SELECT version FROM schema_migrations ORDER BY version`,
  recordMigration: `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`,

  /** $1: JSON array of delivery rows. Returns the rows that were new (dedupe on delivery_id). */
  insertDeliveries: `
    INSERT INTO deliveries (delivery_id, generation, resource_id, resource_type, event, topic, headers, body, node, sent_at)
    SELECT d.delivery_id, d.generation, d.resource_id, d.resource_type, d.event, d.topic, d.headers, d.body, d.node, d.sent_at
    FROM json_to_recordset($1::json) AS d (
      delivery_id text, generation smallint, resource_id text, resource_type text, event text, topic text,
      headers jsonb, body jsonb, node jsonb, sent_at timestamptz
    )
    ON CONFLICT (delivery_id) DO NOTHING
    RETURNING delivery_id, received_at`,

  /**
   * The most recent stored deliveries of each resource, newest first: what the worker hands to the
   * processor. Several, not one, because custom-query payloads can arrive out of order: the processor
   * picks the newest node state among them (or fetches when any delivery carries no node).
   */
  recentDeliveries: `
    SELECT resource_id, resource_type, event, delivery_id, received_at, node
    FROM (
      SELECT d.*, row_number() OVER (PARTITION BY resource_id ORDER BY id DESC) AS recency
      FROM deliveries d
      WHERE resource_id = ANY($1::text[])
    ) recent
    WHERE recency <= $2
    ORDER BY resource_id, id DESC`,

  countDeliveries: `SELECT count(*)::int AS count FROM deliveries`,
  /** One bounded batch of the retention job, so a large backlog never holds long locks. */
  pruneDeliveries: `
    DELETE FROM deliveries WHERE id IN (
      SELECT id FROM deliveries WHERE received_at < $1 ORDER BY id LIMIT $2
    )`,

  /** $1 resource id, $2 kind, $3 reason, $4 attempts, $5 queue. */
  upsertDeadLetter: `
    INSERT INTO dead_letters (resource_id, resource_type, reason, attempts, queue)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (queue, resource_id) DO UPDATE SET
      resource_type = EXCLUDED.resource_type,
      reason = EXCLUDED.reason,
      attempts = dead_letters.attempts + EXCLUDED.attempts,
      last_failed_at = now(),
      status = 'pending'`,
  listDeadLetters: `
    SELECT queue, resource_id, resource_type, reason, attempts, first_failed_at, last_failed_at, status, replayed_at, replay_count
    FROM dead_letters
    WHERE ($1::boolean OR status = 'pending')
    ORDER BY last_failed_at DESC
    LIMIT $2`,
  pendingDeadLetters: `
    SELECT queue, resource_id, resource_type FROM dead_letters
    WHERE status = 'pending' AND ($1::text[] IS NULL OR resource_id = ANY($1::text[]))
    ORDER BY last_failed_at
    FOR UPDATE`,
  /** $1 queues, $2 resource ids (pairwise). */
  markReplayed: `
    UPDATE dead_letters d SET status = 'replayed', replayed_at = now(), replay_count = replay_count + 1
    FROM unnest($1::text[], $2::text[]) AS r(queue, resource_id)
    WHERE d.queue = r.queue AND d.resource_id = r.resource_id`,
  countPendingDeadLetters: `SELECT count(*)::int AS count FROM dead_letters WHERE status = 'pending'`,

  /** The heartbeat: the last stored delivery and those of the last hour (index deliveries_received_at). */
  heartbeatDeliveries: `
    SELECT (SELECT max(received_at) FROM deliveries) AS last_received_at,
      (SELECT count(*)::int FROM deliveries WHERE received_at > now() - interval '1 hour') AS last_hour`,

  /** $1: JSON array of {scope_event_id, scope_session_id, status, reason, content_version_id, content_document_id, bytes}. */
  recordFileCopies: `
    INSERT INTO file_copies (scope_event_id, scope_session_id, status, reason, content_version_id, content_document_id, bytes)
    SELECT f.scope_event_id, f.scope_session_id, f.status, f.reason, f.content_version_id, f.content_document_id, f.bytes
    FROM json_to_recordset($1::json) AS f (
      scope_event_id text, scope_session_id text, status text, reason text,
      content_version_id text, content_document_id text, bytes bigint
    )
    ON CONFLICT (scope_event_id) DO UPDATE SET
      scope_session_id = EXCLUDED.scope_session_id, status = EXCLUDED.status, reason = EXCLUDED.reason,
      content_version_id = EXCLUDED.content_version_id, content_document_id = EXCLUDED.content_document_id,
      bytes = EXCLUDED.bytes, updated_at = now()`,
  fileCopyCounts: `
    SELECT status, count(*)::int AS count, COALESCE(sum(bytes), 0)::float AS bytes
    FROM file_copies GROUP BY status`,
  /** $1 limit: the newest skipped photos and why. */
  skippedFiles: `
    SELECT scope_event_id, scope_session_id, reason, bytes, updated_at
    FROM file_copies WHERE status = 'skipped' ORDER BY updated_at DESC LIMIT $1`,
  /** $1 content document ids: forget the copies `connector files purge` deleted. */
  forgetFileCopies: `DELETE FROM file_copies WHERE content_document_id = ANY($1::text[])`,

  ping: `SELECT 1 AS ok`
} as const;

export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`invalid schema name: ${schema}`);
}

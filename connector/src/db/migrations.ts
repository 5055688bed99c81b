// Versioned schema changes, applied in order at start-up by migrate(). Never edit an applied
// migration: add a new one. pg-boss manages its own schema ("pgboss") and version table.
import { ANALYTICS_MIGRATIONS } from '../analytics/migrations.ts';
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'deliveries and dead letters',
    sql: `
      CREATE TABLE deliveries (
        id bigserial PRIMARY KEY,
        delivery_id text NOT NULL UNIQUE,
        generation smallint NOT NULL CHECK (generation IN (1, 2)),
        resource_id text NOT NULL,
        resource_type text NOT NULL,
        event text NOT NULL,
        topic text,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        body jsonb NOT NULL,
        node jsonb,
        sent_at timestamptz,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX deliveries_resource_latest ON deliveries (resource_id, id DESC);
      CREATE INDEX deliveries_received_at ON deliveries (received_at);

      CREATE TABLE dead_letters (
        resource_id text PRIMARY KEY,
        resource_type text NOT NULL,
        reason text NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        first_failed_at timestamptz NOT NULL DEFAULT now(),
        last_failed_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'replayed')),
        replayed_at timestamptz,
        replay_count integer NOT NULL DEFAULT 0
      );
      CREATE INDEX dead_letters_pending ON dead_letters (last_failed_at) WHERE status = 'pending';
    `
  },
  {
    version: 2,
    name: 'job leases',
    // Who works on which active pg-boss job, until when (queue/boss-compat.ts): no foreign key, because
    // pg-boss deletes and re-inserts job rows when it fails them.
    sql: `
      CREATE TABLE job_leases (
        job_id uuid PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      );
    `
  },
  {
    version: 3,
    name: 'salesforce api spend',
    // Calls per second against the org's daily allowance, shared by the replicas (salesforce/api-budget.ts).
    sql: `
      CREATE TABLE salesforce_api_spend (
        second timestamptz PRIMARY KEY,
        calls integer NOT NULL CHECK (calls >= 0)
      );
    `
  },
  {
    version: 4,
    name: 'files queue: dead letters per queue, file copies',
    // Photos copied into Salesforce Files have their own queue (queue/files-queue.ts), whose dead letters
    // name the same Scope session ids as the session queue's: the key becomes (queue, resource_id).
    // file_copies records each photo's fate, above all the skipped ones and why (`connector status`).
    sql: `
      ALTER TABLE dead_letters ADD COLUMN queue text NOT NULL DEFAULT 'scope-resource';
      ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_pkey;
      ALTER TABLE dead_letters ADD PRIMARY KEY (queue, resource_id);

      CREATE TABLE file_copies (
        scope_event_id text PRIMARY KEY,
        scope_session_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('copied', 'skipped')),
        reason text,
        content_version_id text,
        content_document_id text,
        bytes bigint,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX file_copies_session ON file_copies (scope_session_id);
      CREATE INDEX file_copies_skipped ON file_copies (updated_at) WHERE status = 'skipped';
    `
  },
  {
    version: 5,
    name: 'rollup dirty parents',
    // The work orders, assets and cases whose rollups a batch may have changed, waiting for the
    // drainer (rollups/rollup-drainer.ts; ROLLUP_INTERVAL_SECONDS). A batch marks them before its jobs
    // complete; a mark of a row already waiting bumps its generation, so a drain that read the older
    // generation leaves it dirty. first_marked_at is kept: the age of the oldest waiting rollup.
    sql: `
      CREATE TABLE rollup_dirty_parents (
        kind text NOT NULL CHECK (kind IN ('work_order', 'asset', 'case')),
        id text NOT NULL,
        generation bigint NOT NULL DEFAULT 1,
        first_marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, id)
      );
      CREATE INDEX rollup_dirty_parents_age ON rollup_dirty_parents (first_marked_at);
    `
  },
  ...ANALYTICS_MIGRATIONS
];

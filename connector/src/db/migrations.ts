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
  ...ANALYTICS_MIGRATIONS
];

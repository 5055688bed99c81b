// The analytics store BI tools read (Metabase, Tableau, Power BI): its own PostgreSQL schema
// `analytics`, added to the runtime's versioned migrations (db/migrations.ts). Versions 100–199 are
// reserved for it. The tables and views are a documented, stable contract (see the README section):
// add columns or new views in new migrations, never rename or drop.
import type { Migration } from '../db/migrations.ts';

export const ANALYTICS_MIGRATIONS: readonly Migration[] = [
  {
    version: 101,
    name: 'analytics schema: sessions, calls, dimensions, sync bookkeeping, time to resolution',
    sql: `
      CREATE SCHEMA IF NOT EXISTS analytics;

      -- What counts as a completed scenario session. Scope's state values are undocumented
      -- (reference Unknown 15): an administrator may redefine this function for a tenant.
      CREATE FUNCTION analytics.is_completed_state(state text) RETURNS boolean
        LANGUAGE sql IMMUTABLE AS $$ SELECT upper(coalesce(state, '')) IN ('COMPLETED', 'COMPLETE', 'FINISHED') $$;

      CREATE TABLE analytics.users (
        user_id text PRIMARY KEY,
        database_id text,
        name text,
        email text,
        content_hash text NOT NULL,
        first_synced_at timestamptz NOT NULL DEFAULT now(),
        synced_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE analytics.scenarios (
        scenario_id text PRIMARY KEY,
        database_id text,
        name text,
        description text,
        published_at timestamptz,
        content_hash text NOT NULL,
        first_synced_at timestamptz NOT NULL DEFAULT now(),
        synced_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE analytics.scenario_releases (
        release_id text PRIMARY KEY,
        database_id text,
        scenario_id text REFERENCES analytics.scenarios (scenario_id) DEFERRABLE INITIALLY DEFERRED,
        version text,
        published_at timestamptz,
        content_hash text NOT NULL,
        first_synced_at timestamptz NOT NULL DEFAULT now(),
        synced_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE analytics.scenario_sessions (
        session_id text PRIMARY KEY,
        database_id text,
        state text,
        session_type text,
        started_at timestamptz,
        ended_at timestamptz,
        duration_seconds numeric(14, 2),
        idle_duration_seconds numeric(14, 2),
        steps_possible integer,
        steps_viewed integer,
        percent_steps_viewed numeric(5, 2),
        scenario_id text REFERENCES analytics.scenarios (scenario_id) DEFERRABLE INITIALLY DEFERRED,
        release_id text REFERENCES analytics.scenario_releases (release_id) DEFERRABLE INITIALLY DEFERRED,
        scenario_name text,
        scenario_version text,
        user_id text REFERENCES analytics.users (user_id) DEFERRABLE INITIALLY DEFERRED,
        technician text,
        work_order_id text,
        work_order_number text,
        case_id text,
        external_data jsonb,
        step_count integer NOT NULL DEFAULT 0,
        event_count integer NOT NULL DEFAULT 0,
        photo_count integer NOT NULL DEFAULT 0,
        scope_updated_at timestamptz,
        content_hash text NOT NULL,
        first_synced_at timestamptz NOT NULL DEFAULT now(),
        synced_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX scenario_sessions_work_order_id ON analytics.scenario_sessions (work_order_id) WHERE work_order_id IS NOT NULL;
      CREATE INDEX scenario_sessions_work_order_number ON analytics.scenario_sessions (work_order_number) WHERE work_order_number IS NOT NULL;
      CREATE INDEX scenario_sessions_scenario ON analytics.scenario_sessions (scenario_id);
      CREATE INDEX scenario_sessions_started_at ON analytics.scenario_sessions (started_at);

      CREATE TABLE analytics.session_steps (
        session_step_id text PRIMARY KEY,
        session_id text NOT NULL REFERENCES analytics.scenario_sessions (session_id) ON DELETE CASCADE,
        position integer NOT NULL,
        scenario_step_id text,
        step_name text,
        order_index integer,
        sequence_name text,
        viewed_at timestamptz
      );
      CREATE INDEX session_steps_session ON analytics.session_steps (session_id);

      CREATE TABLE analytics.session_events (
        event_id text PRIMARY KEY,
        session_id text NOT NULL REFERENCES analytics.scenario_sessions (session_id) ON DELETE CASCADE,
        event_type text,
        created_at timestamptz,
        received_at timestamptz,
        session_step_id text,
        scenario_step_id text,
        step_name text,
        has_photo boolean NOT NULL DEFAULT false,
        photo_id text,
        photo_file_name text,
        photo_content_type text,
        photo_size_bytes bigint,
        event_data jsonb
      );
      CREATE INDEX session_events_session ON analytics.session_events (session_id);

      CREATE TABLE analytics.calls (
        call_id text PRIMARY KEY,
        database_id text,
        state text,
        created_at timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        duration_seconds numeric(14, 2),
        answered boolean,
        caller_user_id text REFERENCES analytics.users (user_id) DEFERRABLE INITIALLY DEFERRED,
        caller_name text,
        expert_user_id text REFERENCES analytics.users (user_id) DEFERRABLE INITIALLY DEFERRED,
        expert_name text,
        participant_count integer,
        work_order_id text,
        work_order_number text,
        case_id text,
        external_data jsonb,
        scope_updated_at timestamptz,
        content_hash text NOT NULL,
        first_synced_at timestamptz NOT NULL DEFAULT now(),
        synced_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX calls_work_order_id ON analytics.calls (work_order_id) WHERE work_order_id IS NOT NULL;
      CREATE INDEX calls_work_order_number ON analytics.calls (work_order_number) WHERE work_order_number IS NOT NULL;

      CREATE TABLE analytics.sync_runs (
        run_id bigserial PRIMARY KEY,
        trigger text NOT NULL,
        mode text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        outcome text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
        resumed boolean NOT NULL DEFAULT false,
        updated_since timestamptz,
        pages integer NOT NULL DEFAULT 0,
        graphql_requests integer NOT NULL DEFAULT 0,
        sessions_seen integer NOT NULL DEFAULT 0,
        sessions_written integer NOT NULL DEFAULT 0,
        sessions_unchanged integer NOT NULL DEFAULT 0,
        calls_seen integer NOT NULL DEFAULT 0,
        calls_written integer NOT NULL DEFAULT 0,
        calls_unchanged integer NOT NULL DEFAULT 0,
        reconcile_checked integer NOT NULL DEFAULT 0,
        repaired integer NOT NULL DEFAULT 0,
        repair_failed integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]'::jsonb
      );

      CREATE TABLE analytics.sync_cursors (
        stream text PRIMARY KEY,
        status text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'running')),
        cursor text,
        pass_started_at timestamptz,
        updated_since timestamptz,
        run_id bigint,
        pages integer NOT NULL DEFAULT 0,
        watermark timestamptz,
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE analytics.ttr_reports (
        report_id bigserial PRIMARY KEY,
        generated_at timestamptz NOT NULL DEFAULT now(),
        period_from timestamptz NOT NULL,
        period_to timestamptz NOT NULL,
        resolved_statuses text[] NOT NULL,
        ftf_window_days integer NOT NULL,
        work_orders integer NOT NULL,
        excluded integer NOT NULL,
        median_difference_call_hours numeric(12, 2),
        p90_difference_call_hours numeric(12, 2),
        median_difference_session_hours numeric(12, 2),
        p90_difference_session_hours numeric(12, 2)
      );

      CREATE TABLE analytics.ttr_report_groups (
        report_id bigint NOT NULL REFERENCES analytics.ttr_reports (report_id) ON DELETE CASCADE,
        group_name text NOT NULL,
        work_orders integer NOT NULL,
        median_hours numeric(12, 2),
        p90_hours numeric(12, 2),
        mean_hours numeric(12, 2),
        first_time_fix_known integer NOT NULL,
        first_time_fix_rate numeric(5, 4),
        PRIMARY KEY (report_id, group_name)
      );

      CREATE TABLE analytics.ttr_work_orders (
        report_id bigint NOT NULL REFERENCES analytics.ttr_reports (report_id) ON DELETE CASCADE,
        work_order_id text NOT NULL,
        work_order_number text,
        status text,
        asset_id text,
        created_at timestamptz NOT NULL,
        closed_at timestamptz NOT NULL,
        resolution_hours numeric(12, 2) NOT NULL,
        ar_calls integer NOT NULL,
        scenario_sessions integer NOT NULL,
        first_time_fix boolean,
        PRIMARY KEY (report_id, work_order_id)
      );

      CREATE VIEW analytics.v_sessions_per_work_order AS
      SELECT
        work_order_id,
        work_order_number,
        count(*)::int AS sessions,
        count(*) FILTER (WHERE analytics.is_completed_state(state))::int AS completed_sessions,
        count(DISTINCT scenario_id)::int AS scenarios,
        sum(duration_seconds) AS total_duration_seconds,
        sum(photo_count)::int AS photos,
        min(started_at) AS first_started_at,
        max(coalesce(ended_at, started_at)) AS last_activity_at
      FROM analytics.scenario_sessions
      WHERE work_order_id IS NOT NULL OR work_order_number IS NOT NULL
      GROUP BY work_order_id, work_order_number;

      CREATE VIEW analytics.v_scenario_completion_rate AS
      SELECT
        s.scenario_id,
        coalesce(sc.name, max(s.scenario_name)) AS scenario_name,
        count(*)::int AS sessions,
        count(*) FILTER (WHERE s.ended_at IS NOT NULL OR analytics.is_completed_state(s.state))::int AS finished_sessions,
        count(*) FILTER (WHERE analytics.is_completed_state(s.state))::int AS completed_sessions,
        count(*) FILTER (WHERE s.ended_at IS NULL AND NOT analytics.is_completed_state(s.state))::int AS in_progress_sessions,
        round(
          count(*) FILTER (WHERE analytics.is_completed_state(s.state))::numeric
            / nullif(count(*) FILTER (WHERE s.ended_at IS NOT NULL OR analytics.is_completed_state(s.state)), 0),
          4
        ) AS completion_rate,
        round(avg(s.percent_steps_viewed), 2) AS avg_percent_steps_viewed,
        round(avg(s.duration_seconds) FILTER (WHERE analytics.is_completed_state(s.state)), 2) AS avg_completed_duration_seconds
      FROM analytics.scenario_sessions s
      LEFT JOIN analytics.scenarios sc ON sc.scenario_id = s.scenario_id
      GROUP BY s.scenario_id, sc.name;

      CREATE VIEW analytics.v_calls_per_work_order AS
      SELECT
        work_order_id,
        work_order_number,
        count(*)::int AS calls,
        count(*) FILTER (WHERE answered)::int AS answered_calls,
        count(DISTINCT expert_user_id)::int AS experts,
        sum(duration_seconds) AS total_duration_seconds,
        round(avg(duration_seconds), 2) AS avg_duration_seconds,
        max(duration_seconds) AS max_duration_seconds,
        min(coalesce(started_at, created_at)) AS first_call_at,
        max(coalesce(started_at, created_at)) AS last_call_at
      FROM analytics.calls
      WHERE work_order_id IS NOT NULL OR work_order_number IS NOT NULL
      GROUP BY work_order_id, work_order_number;
    `
  }
];

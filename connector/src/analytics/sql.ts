// Every statement the sync and the report run against the analytics schema. Upserts take a page of
// rows as one JSON parameter (jsonb_to_recordset) and only touch rows whose content hash changed; they
// are generated once from the column lists below, which mirror migrations.ts.

type Column = readonly [name: string, type: string];

interface UpsertSpec {
  table: string;
  key: string;
  columns: readonly Column[];
  /** Rows are only rewritten when this column differs (content_hash); absent → always. */
  hashed: boolean;
}

function upsert(spec: UpsertSpec): string {
  const names = spec.columns.map(([n]) => n);
  const definitions = spec.columns.map(([n, t]) => `${n} ${t}`).join(', ');
  const updates = names
    .filter((n) => n !== spec.key)
    .map((n) => `${n} = EXCLUDED.${n}`);
  if (spec.hashed) updates.push('synced_at = now()');
  return `
    INSERT INTO analytics.${spec.table} AS t (${names.join(', ')})
    SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r (${definitions})
    ON CONFLICT (${spec.key}) DO UPDATE SET ${updates.join(', ')}
    ${spec.hashed ? 'WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash' : ''}
    RETURNING ${spec.key} AS id`;
}

const USERS: UpsertSpec = {
  table: 'users',
  key: 'user_id',
  hashed: true,
  columns: [
    ['user_id', 'text'],
    ['database_id', 'text'],
    ['name', 'text'],
    ['email', 'text'],
    ['content_hash', 'text']
  ]
};
const SCENARIOS: UpsertSpec = {
  table: 'scenarios',
  key: 'scenario_id',
  hashed: true,
  columns: [
    ['scenario_id', 'text'],
    ['database_id', 'text'],
    ['name', 'text'],
    ['description', 'text'],
    ['published_at', 'timestamptz'],
    ['content_hash', 'text']
  ]
};
const RELEASES: UpsertSpec = {
  table: 'scenario_releases',
  key: 'release_id',
  hashed: true,
  columns: [
    ['release_id', 'text'],
    ['database_id', 'text'],
    ['scenario_id', 'text'],
    ['version', 'text'],
    ['published_at', 'timestamptz'],
    ['content_hash', 'text']
  ]
};
const WORK_ORDER_COLUMNS: readonly Column[] = [
  ['work_order_id', 'text'],
  ['work_order_number', 'text'],
  ['case_id', 'text'],
  ['external_data', 'jsonb']
];
const SESSIONS: UpsertSpec = {
  table: 'scenario_sessions',
  key: 'session_id',
  hashed: true,
  columns: [
    ['session_id', 'text'],
    ['database_id', 'text'],
    ['state', 'text'],
    ['session_type', 'text'],
    ['started_at', 'timestamptz'],
    ['ended_at', 'timestamptz'],
    ['duration_seconds', 'numeric'],
    ['idle_duration_seconds', 'numeric'],
    ['steps_possible', 'integer'],
    ['steps_viewed', 'integer'],
    ['percent_steps_viewed', 'numeric'],
    ['scenario_id', 'text'],
    ['release_id', 'text'],
    ['scenario_name', 'text'],
    ['scenario_version', 'text'],
    ['user_id', 'text'],
    ['technician', 'text'],
    ...WORK_ORDER_COLUMNS,
    ['step_count', 'integer'],
    ['event_count', 'integer'],
    ['photo_count', 'integer'],
    ['scope_updated_at', 'timestamptz'],
    ['content_hash', 'text']
  ]
};
const STEPS: UpsertSpec = {
  table: 'session_steps',
  key: 'session_step_id',
  hashed: false,
  columns: [
    ['session_step_id', 'text'],
    ['session_id', 'text'],
    ['position', 'integer'],
    ['scenario_step_id', 'text'],
    ['step_name', 'text'],
    ['order_index', 'integer'],
    ['sequence_name', 'text'],
    ['viewed_at', 'timestamptz']
  ]
};
const EVENTS: UpsertSpec = {
  table: 'session_events',
  key: 'event_id',
  hashed: false,
  columns: [
    ['event_id', 'text'],
    ['session_id', 'text'],
    ['event_type', 'text'],
    ['created_at', 'timestamptz'],
    ['received_at', 'timestamptz'],
    ['session_step_id', 'text'],
    ['scenario_step_id', 'text'],
    ['step_name', 'text'],
    ['has_photo', 'boolean'],
    ['photo_id', 'text'],
    ['photo_file_name', 'text'],
    ['photo_content_type', 'text'],
    ['photo_size_bytes', 'bigint'],
    ['event_data', 'jsonb']
  ]
};
const CALLS: UpsertSpec = {
  table: 'calls',
  key: 'call_id',
  hashed: true,
  columns: [
    ['call_id', 'text'],
    ['database_id', 'text'],
    ['state', 'text'],
    ['created_at', 'timestamptz'],
    ['started_at', 'timestamptz'],
    ['ended_at', 'timestamptz'],
    ['duration_seconds', 'numeric'],
    ['answered', 'boolean'],
    ['caller_user_id', 'text'],
    ['caller_name', 'text'],
    ['expert_user_id', 'text'],
    ['expert_name', 'text'],
    ['participant_count', 'integer'],
    ...WORK_ORDER_COLUMNS,
    ['scope_updated_at', 'timestamptz'],
    ['content_hash', 'text']
  ]
};

export const ANALYTICS_SQL = {
  sessionHashes: `SELECT session_id AS id, content_hash FROM analytics.scenario_sessions WHERE session_id = ANY($1::text[])`,
  callHashes: `SELECT call_id AS id, content_hash FROM analytics.calls WHERE call_id = ANY($1::text[])`,
  upsertUsers: upsert(USERS),
  upsertScenarios: upsert(SCENARIOS),
  upsertReleases: upsert(RELEASES),
  upsertSessions: upsert(SESSIONS),
  upsertCalls: upsert(CALLS),
  deleteSteps: `DELETE FROM analytics.session_steps WHERE session_id = ANY($1::text[])`,
  deleteEvents: `DELETE FROM analytics.session_events WHERE session_id = ANY($1::text[])`,
  insertSteps: upsert(STEPS),
  insertEvents: upsert(EVENTS),

  /** One pass at a time across processes and replicas (manual `connector sync` and the cron). */
  tryLock: `SELECT pg_try_advisory_lock($1) AS locked`,
  unlock: `SELECT pg_advisory_unlock($1)`,

  readStream: `SELECT stream, status, cursor, pass_started_at, updated_since, run_id, pages, watermark, completed_at
    FROM analytics.sync_cursors WHERE stream = $1`,
  beginStream: `
    INSERT INTO analytics.sync_cursors (stream, status, cursor, pass_started_at, updated_since, run_id, pages, updated_at)
    VALUES ($1, 'running', NULL, now(), $2, $3, 0, now())
    ON CONFLICT (stream) DO UPDATE SET status = 'running', cursor = NULL, pass_started_at = now(),
      updated_since = EXCLUDED.updated_since, run_id = EXCLUDED.run_id, pages = 0, updated_at = now()
    RETURNING pass_started_at`,
  resumeStream: `UPDATE analytics.sync_cursors SET run_id = $2, updated_at = now() WHERE stream = $1`,
  saveCursor: `UPDATE analytics.sync_cursors SET cursor = $2, pages = pages + $3, updated_at = now() WHERE stream = $1`,
  completeStream: `
    UPDATE analytics.sync_cursors SET status = 'idle', cursor = NULL, watermark = pass_started_at,
      completed_at = now(), updated_at = now()
    WHERE stream = $1`,

  /** The heartbeat: the newest sync pass (NULL finished_at while it runs). */
  lastRun: `SELECT started_at, finished_at, outcome, repaired FROM analytics.sync_runs ORDER BY run_id DESC LIMIT 1`,
  insertRun: `INSERT INTO analytics.sync_runs (trigger, mode, resumed, updated_since) VALUES ($1, $2, $3, $4) RETURNING run_id`,
  updateRun: `
    UPDATE analytics.sync_runs SET
      pages = $2, graphql_requests = $3, sessions_seen = $4, sessions_written = $5, sessions_unchanged = $6,
      calls_seen = $7, calls_written = $8, calls_unchanged = $9, reconcile_checked = $10, repaired = $11,
      repair_failed = $12, error_count = $13, errors = $14::jsonb, resumed = $15, updated_since = $16
    WHERE run_id = $1`,
  finishRun: `UPDATE analytics.sync_runs SET outcome = $2, finished_at = now() WHERE run_id = $1`,
  /** A run left 'running' by a process that died: the lock holder proves no pass is live. */
  interruptStaleRuns: `UPDATE analytics.sync_runs SET outcome = 'interrupted', finished_at = now() WHERE outcome = 'running'`,
  recentRuns: `SELECT * FROM analytics.sync_runs ORDER BY run_id DESC LIMIT $1`,

  insertTtrReport: `
    INSERT INTO analytics.ttr_reports (period_from, period_to, resolved_statuses, ftf_window_days, work_orders, excluded,
      median_difference_call_hours, p90_difference_call_hours, median_difference_session_hours, p90_difference_session_hours)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING report_id, generated_at`,
  insertTtrGroups: `
    INSERT INTO analytics.ttr_report_groups (report_id, group_name, work_orders, median_hours, p90_hours, mean_hours,
      first_time_fix_known, first_time_fix_rate)
    SELECT $1, group_name, work_orders, median_hours, p90_hours, mean_hours, first_time_fix_known, first_time_fix_rate
    FROM jsonb_to_recordset($2::jsonb) AS r (group_name text, work_orders integer, median_hours numeric, p90_hours numeric,
      mean_hours numeric, first_time_fix_known integer, first_time_fix_rate numeric)`,
  insertTtrWorkOrders: `
    INSERT INTO analytics.ttr_work_orders (report_id, work_order_id, work_order_number, status, asset_id, created_at, closed_at,
      resolution_hours, ar_calls, scenario_sessions, first_time_fix)
    SELECT $1, work_order_id, work_order_number, status, asset_id, created_at, closed_at, resolution_hours, ar_calls,
      scenario_sessions, first_time_fix
    FROM jsonb_to_recordset($2::jsonb) AS r (work_order_id text, work_order_number text, status text, asset_id text,
      created_at timestamptz, closed_at timestamptz, resolution_hours numeric, ar_calls integer, scenario_sessions integer,
      first_time_fix boolean)`
} as const;

/** Advisory lock id of a sync pass (the runtime's migration lock is 742_001_005). */
export const SYNC_LOCK_KEY = 742_001_006;

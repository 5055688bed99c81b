// Writes normalised pages into the analytics schema. Only rows whose content hash changed are sent;
// the upserts re-check the hash in SQL (ON CONFLICT … WHERE hash differs), so concurrent writers and
// resumed pages never double-count. A session's steps and events are replaced with the session.
import type { Pool, PoolClient } from '../db/pool.ts';
import type {
  NormalizedCall,
  NormalizedSession,
  ReleaseRow,
  ScenarioRow,
  UserRow
} from '../sync/normalize-node.ts';
import { ANALYTICS_SQL as SQL } from './sql.ts';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface WriteCounts {
  written: number;
  steps: number;
  events: number;
}

function unique<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}

async function upsertRows(
  db: Queryable,
  sql: string,
  rows: readonly unknown[]
): Promise<string[]> {
  if (rows.length === 0) return [];
  const result = await db.query<{ id: string }>(sql, [JSON.stringify(rows)]);
  return result.rows.map((r) => r.id);
}

/** Stored content hashes of the given sessions or calls (one indexed query per page). */
export async function storedHashes(
  db: Queryable,
  kind: 'ScenarioSession' | 'Call',
  ids: readonly string[]
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const sql = kind === 'Call' ? SQL.callHashes : SQL.sessionHashes;
  const result = await db.query<{ id: string; content_hash: string }>(sql, [
    ids
  ]);
  return new Map(result.rows.map((r) => [r.id, r.content_hash]));
}

async function upsertDimensions(
  db: Queryable,
  users: UserRow[],
  scenarios: ScenarioRow[],
  releases: ReleaseRow[]
): Promise<void> {
  await upsertRows(
    db,
    SQL.upsertUsers,
    unique(users, (u) => u.user_id)
  );
  await upsertRows(
    db,
    SQL.upsertScenarios,
    unique(scenarios, (s) => s.scenario_id)
  );
  await upsertRows(
    db,
    SQL.upsertReleases,
    unique(releases, (r) => r.release_id)
  );
}

/** Call inside a transaction: dimensions, sessions, then the children of the sessions rewritten. */
export async function writeSessions(
  db: Queryable,
  items: readonly NormalizedSession[]
): Promise<WriteCounts> {
  if (items.length === 0) return { written: 0, steps: 0, events: 0 };
  await upsertDimensions(
    db,
    items.flatMap((i) => i.users),
    items.flatMap((i) => i.scenarios),
    items.flatMap((i) => i.releases)
  );
  const written = new Set(
    await upsertRows(
      db,
      SQL.upsertSessions,
      items.map((i) => i.row)
    )
  );
  if (written.size === 0) return { written: 0, steps: 0, events: 0 };
  const ids = [...written];
  await db.query(SQL.deleteSteps, [ids]);
  await db.query(SQL.deleteEvents, [ids]);
  const changed = items.filter((i) => written.has(i.row.session_id));
  const steps = await upsertRows(
    db,
    SQL.insertSteps,
    unique(
      changed.flatMap((i) => i.steps),
      (s) => s.session_step_id
    )
  );
  const events = await upsertRows(
    db,
    SQL.insertEvents,
    unique(
      changed.flatMap((i) => i.events),
      (e) => e.event_id
    )
  );
  return { written: written.size, steps: steps.length, events: events.length };
}

export async function writeCalls(
  db: Queryable,
  items: readonly NormalizedCall[]
): Promise<WriteCounts> {
  if (items.length === 0) return { written: 0, steps: 0, events: 0 };
  await upsertDimensions(
    db,
    items.flatMap((i) => i.users),
    [],
    []
  );
  const written = await upsertRows(
    db,
    SQL.upsertCalls,
    items.map((i) => i.row)
  );
  return { written: written.length, steps: 0, events: 0 };
}

// The durable set of parents whose rollups wait for the drainer (table rollup_dirty_parents, migration
// 5): batches mark what they touched in one statement, the drainer takes, recomputes and deletes.
// Rows are locked and deleted in (kind, id) order everywhere, so a mark and a drain never deadlock.
import type { Pool, PoolClient } from 'pg';
import type { ParentIds } from './recompute-parents.ts';

export type ParentKind = 'work_order' | 'asset' | 'case';

export interface DirtyParent {
  kind: ParentKind;
  id: string;
  /** Bumped by every mark: a drain deletes the row only if nobody marked it since it read it. */
  generation: string;
}

export interface DirtyStats {
  waiting: number;
  /** 0 when nothing waits. */
  oldestSeconds: number;
}

/** Advisory-lock namespace of a drain's parents (two-int keys; other locks use one bigint). */
export const DRAIN_LOCK_NAMESPACE = 0x726f6c6c;

const MARK = `
  INSERT INTO rollup_dirty_parents AS d (kind, id)
  SELECT kind, id FROM unnest($1::text[], $2::text[]) AS t(kind, id)
  ORDER BY kind, id
  ON CONFLICT (kind, id) DO UPDATE SET generation = d.generation + 1`;

// The oldest rows no other drain holds: the lock is transaction-scoped (a crash or a rollback frees
// it) and taken only on the candidates, never on rows the LIMIT leaves out.
const TAKE = `
  WITH candidates AS MATERIALIZED (
    SELECT kind, id, generation FROM rollup_dirty_parents
    ORDER BY first_marked_at, kind, id
    LIMIT $1
  )
  SELECT kind, id, generation::text AS generation FROM candidates
  WHERE pg_try_advisory_xact_lock(${DRAIN_LOCK_NAMESPACE}, hashtext(kind || ':' || id))
  ORDER BY kind, id`;

const DELETE_UNCHANGED = `
  DELETE FROM rollup_dirty_parents
  WHERE (kind, id) IN (
    SELECT d.kind, d.id FROM rollup_dirty_parents d
    JOIN unnest($1::text[], $2::text[], $3::bigint[]) AS t(kind, id, generation)
      ON d.kind = t.kind AND d.id = t.id AND d.generation = t.generation
    ORDER BY d.kind, d.id
    FOR UPDATE OF d
  )`;

const STATS = `
  SELECT count(*)::int AS waiting,
    COALESCE(EXTRACT(EPOCH FROM now() - min(first_marked_at)), 0)::float8 AS oldest
  FROM rollup_dirty_parents`;

const KIND_OF: readonly [keyof ParentIds, ParentKind][] = [
  ['workOrders', 'work_order'],
  ['assets', 'asset'],
  ['cases', 'case']
];

export function dirtyRowsOf(parents: ParentIds): [ParentKind[], string[]] {
  const kinds: ParentKind[] = [];
  const ids: string[] = [];
  for (const [key, kind] of KIND_OF)
    for (const id of parents[key]) {
      kinds.push(kind);
      ids.push(id);
    }
  return [kinds, ids];
}

export function parentIdsOf(rows: readonly DirtyParent[]): ParentIds {
  const of = (kind: ParentKind) =>
    new Set(rows.filter((r) => r.kind === kind).map((r) => r.id));
  return {
    workOrders: of('work_order'),
    assets: of('asset'),
    cases: of('case')
  };
}

/** One statement, no Salesforce call: the parents wait for the next drain (durable once it returns). */
export async function markDirtyParents(
  pool: Pool,
  parents: ParentIds
): Promise<void> {
  const [kinds, ids] = dirtyRowsOf(parents);
  if (ids.length === 0) return;
  await pool.query(MARK, [kinds, ids]);
}

/** Inside the caller's transaction: up to `limit` parents, locked for it until it ends. */
export async function takeDirtyParents(
  client: PoolClient,
  limit: number
): Promise<DirtyParent[]> {
  const { rows } = await client.query<DirtyParent>(TAKE, [limit]);
  return rows;
}

/** Deletes the rows still at the generation the drain took (a row marked meanwhile stays). */
export async function deleteRecomputed(
  client: PoolClient,
  rows: readonly DirtyParent[]
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await client.query(DELETE_UNCHANGED, [
    rows.map((r) => r.kind),
    rows.map((r) => r.id),
    rows.map((r) => r.generation)
  ]);
  return result.rowCount ?? 0;
}

export async function readDirtyStats(pool: Pool): Promise<DirtyStats> {
  const { rows } = await pool.query<{ waiting: number; oldest: number }>(STATS);
  return {
    waiting: rows[0]?.waiting ?? 0,
    oldestSeconds: rows[0]?.oldest ?? 0
  };
}

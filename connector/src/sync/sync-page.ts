// One fetched page into the analytics store: normalize each node (a node that cannot be normalized is
// an error line, not a failure), keep the rows whose content hash differs from the stored one, and
// write those in one transaction. Returns what the page counted.
import type { ResourceKind } from '../contracts.ts';
import {
  storedHashes,
  writeCalls,
  writeSessions
} from '../analytics/analytics-store.ts';
import { withTransaction } from '../db/pool.ts';
import type { Pool } from '../db/pool.ts';
import { normalizeNode } from './normalize-node.ts';
import type { NormalizedCall, NormalizedSession } from './normalize-node.ts';
import { addError } from './sync-pass-types.ts';
import type { PassContext, SyncStream } from './sync-pass-types.ts';

export interface NormalizedPage {
  sessions: NormalizedSession[];
  calls: NormalizedCall[];
}

export interface PageWrite {
  /** Rows the page determined (nodes that normalized). */
  seen: number;
  written: number;
  steps: number;
  events: number;
}

/** Normalizes every node; failures become error lines, cut nested pages a warning. */
export function normalizePage(
  ctx: PassContext,
  stream: SyncStream,
  kind: ResourceKind,
  nodes: readonly Record<string, unknown>[]
): NormalizedPage {
  const page: NormalizedPage = { sessions: [], calls: [] };
  for (const node of nodes) {
    const normalized = normalizeNode(kind, node, {
      mapping: ctx.options.mapping,
      paths: ctx.paths
    });
    if (!normalized.ok) {
      addError(
        ctx.summary,
        `${stream}: node ${normalized.id ?? '(no id)'}: ${normalized.reason}`
      );
      continue;
    }
    if (normalized.value.kind === 'Call') {
      page.calls.push(normalized.value);
      continue;
    }
    page.sessions.push(normalized.value);
    if (normalized.value.truncated.length > 0)
      ctx.logger?.warn(
        {
          sessionId: normalized.value.row.session_id,
          truncated: normalized.value.truncated
        },
        'nested page cut'
      );
  }
  return page;
}

/** The rows whose content hash differs from the one stored (new rows included). */
export async function changedRows(
  pool: Pool,
  kind: ResourceKind,
  page: NormalizedPage
): Promise<NormalizedPage> {
  const ids =
    kind === 'Call'
      ? page.calls.map((c) => c.row.call_id)
      : page.sessions.map((s) => s.row.session_id);
  const stored = await storedHashes(pool, kind, ids);
  return {
    sessions: page.sessions.filter(
      (s) => stored.get(s.row.session_id) !== s.row.content_hash
    ),
    calls: page.calls.filter(
      (c) => stored.get(c.row.call_id) !== c.row.content_hash
    )
  };
}

/** Normalize → diff against the stored hashes → write the changed rows. */
export async function writePage(
  ctx: PassContext,
  stream: SyncStream,
  kind: ResourceKind,
  nodes: readonly Record<string, unknown>[]
): Promise<PageWrite> {
  const normalized = normalizePage(ctx, stream, kind, nodes);
  const seen =
    kind === 'Call' ? normalized.calls.length : normalized.sessions.length;
  const changed = await changedRows(ctx.pool, kind, normalized);
  if (changed.sessions.length + changed.calls.length === 0)
    return { seen, written: 0, steps: 0, events: 0 };
  const result = await withTransaction(ctx.pool, (client) =>
    kind === 'Call'
      ? writeCalls(client, changed.calls)
      : writeSessions(client, changed.sessions)
  );
  return { seen, ...result };
}

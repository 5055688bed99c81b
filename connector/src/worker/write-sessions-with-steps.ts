// The sessions' upsert with their steps in one Composite call (SF_COMPOSITE): one API call where the
// session upsert and the steps' upsert (write-steps.ts) took two. The session results are exactly what
// the Collections upsert answers, so write-sessions.ts settles outcomes and falls back as before. A
// step list is remembered as written (the step memory write-steps.ts reads) only when its session was
// written and every step of it landed; any other list is sent again by write-steps.ts, after the
// session's fallback write when there is one. A session's unchanged step list is not carried again.
import type { SessionRecord } from '../mapping/session-record.ts';
import type {
  SessionsWithSteps,
  StepOfSession,
  UpsertResult
} from '../salesforce/salesforce-client.ts';
import {
  COLLECTIONS_LIMIT,
  COMPOSITE_STEP_LIMIT
} from '../salesforce/salesforce-client.ts';
import type { Batch } from './batch.ts';
import { WRITE_MEMORY_MS } from './processor-settings.ts';
import type { Prepared } from './resources.ts';
import { stepDigest, stepRecordsOf } from './write-steps.ts';

type UpsertWithSteps = (
  sessions: readonly SessionRecord[],
  steps: readonly StepOfSession[]
) => Promise<SessionsWithSteps>;

/** The composite upsert when the client offers it and steps are written; undefined: the plain upsert. */
export function compositeUpsert(batch: Batch): UpsertWithSteps | undefined {
  const { salesforce, writeSteps } = batch.settings;
  return writeSteps && salesforce.upsertSteps
    ? salesforce.upsertSessionsWithSteps
    : undefined;
}

/** The sessions' upsert results, ≤ 200 sessions per composite call, steps carried along. */
export async function upsertSessionsAndSteps(
  batch: Batch,
  send: UpsertWithSteps,
  items: readonly Prepared[],
  records: readonly SessionRecord[]
): Promise<UpsertResult[]> {
  const results: UpsertResult[] = [];
  for (let i = 0; i < records.length; i += COLLECTIONS_LIMIT) {
    const chunk = records.slice(i, i + COLLECTIONS_LIMIT);
    const carried = stepsToCarry(batch, items.slice(i, i + COLLECTIONS_LIMIT));
    const answer = await send(
      chunk,
      carried.flatMap((c) => c.steps)
    );
    results.push(...answer.sessions);
    remember(batch, carried, answer);
  }
  return results;
}

interface Carried {
  /** Index of the session in the chunk. */
  at: number;
  item: Prepared;
  steps: StepOfSession[];
  /** Where its steps start in the composite's steps. */
  from: number;
}

const carriedKey = (item: Prepared) => `composite:${item.resource.id}`;
const carriedDigest = (steps: readonly StepOfSession[]) => stepDigest(steps);

/** Whole step lists, in order, until the composite's ≤ 800 steps are full; unchanged lists stay home. */
function stepsToCarry(batch: Batch, items: readonly Prepared[]): Carried[] {
  const carried: Carried[] = [];
  let count = 0;
  items.forEach((item, at) => {
    if (!item.steps || item.steps.length === 0) return;
    const sessionScopeId = item.fields.Scope_Id__c;
    const steps = item.steps.map((s) => ({ ...s, sessionScopeId }));
    if (
      batch.settings.writtenSteps.get(carriedKey(item)) === carriedDigest(steps)
    )
      return;
    if (count + steps.length > COMPOSITE_STEP_LIMIT) return;
    carried.push({ at, item, steps, from: count });
    count += steps.length;
  });
  return carried;
}

function remember(
  batch: Batch,
  carried: readonly Carried[],
  answer: SessionsWithSteps
): void {
  if (!Array.isArray(answer.steps)) {
    batch.settings.log?.warn(
      { error: answer.steps.message },
      'steps subrequest of the composite failed: the steps are sent again on their own'
    );
    return;
  }
  const stepResults = answer.steps;
  const expiresAt = Date.now() + WRITE_MEMORY_MS;
  for (const c of carried) {
    const session = answer.sessions[c.at];
    const landed = stepResults
      .slice(c.from, c.from + c.steps.length)
      .every((r) => r.success);
    if (!session?.success || !session.id || !landed) continue;
    const id = c.item.resource.id;
    const records = stepRecordsOf(c.item.steps ?? [], session.id);
    batch.settings.writtenSteps.set(id, stepDigest(records), expiresAt);
    batch.settings.writtenSteps.set(
      carriedKey(c.item),
      carriedDigest(c.steps),
      expiresAt
    );
  }
}

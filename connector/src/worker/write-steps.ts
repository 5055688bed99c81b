// Stage 6 of a batch: the steps of every session written in it (Scope_AR_Session_Step__c, Master-Detail
// to the session Id the session upsert returned), upserted by Step_Key__c in Collections calls. A step
// failure never changes its session's outcome: the session record is what the Work Order shows, the steps
// are its detail. A retryable failure (network, 5xx, UNABLE_TO_LOCK_ROW on the parent) is retried once
// in the batch; what still fails is logged and healed by the session's next write, which sends its whole
// step list again (every update and the completed webhook, a replay, a reconciliation repair).
// A session whose step list is the one this process last wrote for it (same parent Id, same values,
// within WRITE_MEMORY_MS) is not sent again: progress updates that change no step cost no call.
import { createHash } from 'node:crypto';
import type { MappedStep, StepRecord } from '../mapping/step-record.ts';
import type { UpsertResult } from '../salesforce/salesforce-client.ts';
import type { Batch } from './batch.ts';
import { classifyError, classifyRecordErrors } from './classify-error.ts';
import { WRITE_MEMORY_MS } from './processor-settings.ts';
import type { Prepared } from './resources.ts';

/** A session's step records under its Id, as the separate steps upsert sends them. */
export function stepRecordsOf(
  steps: readonly MappedStep[],
  parentId: string
): StepRecord[] {
  return steps.map((step) => ({ ...step, Scope_AR_Session__c: parentId }));
}

/** What the step memory keeps of a step list written: the same parent and values are not sent again. */
export function stepDigest(records: readonly object[]): string {
  return createHash('sha256').update(JSON.stringify(records)).digest('base64');
}

interface StepWrite {
  resourceId: string;
  record: StepRecord;
}

/** What the stage did, for the logs and tests. */
export interface StepWriteSummary {
  written: number;
  failed: number;
  /** Sessions whose unchanged step list was not sent again. */
  unchanged: number;
}

export async function writeSteps(
  batch: Batch,
  items: readonly Prepared[]
): Promise<StepWriteSummary> {
  const upsert = batch.settings.salesforce.upsertSteps;
  const summary: StepWriteSummary = { written: 0, failed: 0, unchanged: 0 };
  if (!upsert || !batch.settings.writeSteps) return summary;
  const plan = stepPlan(batch, items, summary);
  let pending = plan.flatMap((p) => p.writes);
  const failedSessions = new Set<string>();
  for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
    const { written, retryable, failed } = await upsertOnce(upsert, pending);
    summary.written += written;
    const final = attempt === 1 ? [...failed, ...retryable] : failed;
    summary.failed += final.length;
    for (const f of final) failedSessions.add(f.write.resourceId);
    logFailures(batch, final);
    pending = retryable.map((f) => f.write);
  }
  const expiresAt = Date.now() + WRITE_MEMORY_MS;
  for (const p of plan)
    if (!failedSessions.has(p.resourceId))
      batch.settings.writtenSteps.set(p.resourceId, p.digest, expiresAt);
  return summary;
}

interface SessionSteps {
  resourceId: string;
  digest: string;
  writes: StepWrite[];
}

/** The step records of the sessions this batch wrote (their outcome carries the session Id). */
function stepPlan(
  batch: Batch,
  items: readonly Prepared[],
  summary: StepWriteSummary
): SessionSteps[] {
  const plan: SessionSteps[] = [];
  for (const item of items) {
    const outcome = batch.outcomes.outcomeOf(item.resource);
    if (!item.steps || outcome?.status !== 'written' || !outcome.salesforceId)
      continue;
    const records = stepRecordsOf(item.steps, outcome.salesforceId);
    const resourceId = item.resource.id;
    const digest = stepDigest(records);
    if (batch.settings.writtenSteps.get(resourceId) === digest) {
      summary.unchanged += 1;
      continue;
    }
    plan.push({
      resourceId,
      digest,
      writes: records.map((record) => ({ resourceId, record }))
    });
  }
  return plan;
}

interface Failure {
  write: StepWrite;
  reason: string;
}

async function upsertOnce(
  upsert: (records: readonly StepRecord[]) => Promise<UpsertResult[]>,
  writes: readonly StepWrite[]
): Promise<{ written: number; retryable: Failure[]; failed: Failure[] }> {
  const retryable: Failure[] = [];
  const failed: Failure[] = [];
  let results: UpsertResult[];
  try {
    results = await upsert(writes.map((w) => w.record));
  } catch (error) {
    const c = classifyError(error);
    for (const write of writes)
      (c.kind === 'retry' ? retryable : failed).push({
        write,
        reason: c.reason
      });
    return { written: 0, retryable, failed };
  }
  let written = 0;
  writes.forEach((write, i) => {
    const result = results[i];
    if (result?.success) written += 1;
    else if (!result)
      retryable.push({ write, reason: 'Salesforce returned no result' });
    else {
      const c = classifyRecordErrors(result.errors);
      (c.kind === 'retry' ? retryable : failed).push({
        write,
        reason: c.reason
      });
    }
  });
  return { written, retryable, failed };
}

function logFailures(batch: Batch, failures: readonly Failure[]): void {
  if (failures.length === 0) return;
  const bySession = new Map<string, string[]>();
  for (const f of failures)
    bySession.set(f.write.resourceId, [
      ...(bySession.get(f.write.resourceId) ?? []),
      `${f.write.record.Step_Key__c}: ${f.reason}`
    ]);
  for (const [resourceId, steps] of bySession)
    batch.settings.log?.warn(
      { resourceId, steps },
      'session written, some of its steps not: healed by its next write'
    );
}

// Between the session queue and the files queue: the sessions a batch wrote get one files job each
// (pg-boss drops a second one while the first waits), enqueued before their own jobs complete, so a
// crash in between repeats the session and never loses its photos; and a files job's input event.
import type PgBoss from 'pg-boss';
import type { ProcessOutcome, ResourceEvent } from '../contracts.ts';
import { filesJobs } from '../queue/files-queue.ts';
import type { LeasedJob } from '../worker/leased-job.ts';

export function enqueueFilesJobs(
  boss: Pick<PgBoss, 'insert'>
): (outcomes: ProcessOutcome[]) => Promise<void> {
  return async (outcomes) => {
    const sessions = outcomes
      .filter((o) => o.status === 'written' && o.kind === 'ScenarioSession')
      .map((o) => o.resourceId);
    if (sessions.length > 0) await boss.insert(filesJobs(sessions));
  };
}

/** A files job needs nothing but its session id (a replay has nothing else either). */
export function filesEvents(jobs: readonly LeasedJob[]): ResourceEvent[] {
  return jobs.map((job) => ({
    resourceId: job.data.resourceId,
    resourceType: 'ScenarioSession',
    event: 'files',
    receivedAt: job.createdOn.toISOString()
  }));
}

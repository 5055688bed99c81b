// The queue of sessions whose Scope photos are to be copied into Salesforce Files. Its own queue, so
// that slow downloads never hold up session records, with the session queue's rules: 'stately' (one
// queued job per session: a second webhook while one waits is dropped), the same retries, dead letters
// (under this queue's name) and replay. A job names only the Scope session id, so a replay needs
// nothing else: the job reads the session record and the photo events itself.
import type PgBoss from 'pg-boss';
import type { ResourceJobData } from './resource-queue.ts';

export const FILES_QUEUE = 'scope-files';

/** One job per distinct session id. */
export function filesJobs(
  sessionIds: readonly string[]
): PgBoss.JobInsert<ResourceJobData>[] {
  return [...new Set(sessionIds)].map((resourceId) => ({
    name: FILES_QUEUE,
    data: { resourceId, resourceType: 'ScenarioSession' },
    singletonKey: resourceId
  }));
}

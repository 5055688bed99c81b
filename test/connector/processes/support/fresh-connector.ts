// A fresh database and a real connector process on it, with both sandboxes of the end-to-end world back
// to their seed (no subscriptions): the start of each end-to-end scenario.
import type { TestPostgres } from '../../receiving/support/test-postgres.ts';
import { startReplica } from '../../replicas/support/replica-process.ts';
import type { Replica } from '../../replicas/support/replica-process.ts';
import { json } from './e2e-world.ts';
import type { E2eWorld } from './e2e-world.ts';

export async function freshConnector(
  world: E2eWorld,
  postgres: TestPostgres,
  name: string
): Promise<Replica> {
  await json(`${world.scope.url}/sandbox/reset`, { method: 'POST' });
  // Scope ids start again after a reset: Salesforce must not still hold the previous test's records
  await json(`${world.salesforce.url}/sandbox/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}'
  });
  return startReplica(
    name,
    world.env({ DATABASE_URL: await postgres.createDatabase() })
  );
}

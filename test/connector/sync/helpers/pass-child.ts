// A sync pass in its own process, for the kill -9 test: DATABASE_URL and SCOPE_URL from the environment.
import { createPool } from '../../../../connector/src/db/pool.ts';
import { createScopeClient } from '../../../../connector/src/scope/index.ts';
import { runSyncPass } from '../../../../connector/src/sync/run-sync-pass.ts';
import { MAPPING } from './sync-harness.ts';

const pool = createPool(process.env.DATABASE_URL as string, { max: 3 });
const scope = createScopeClient({
  baseUrl: process.env.SCOPE_URL as string,
  auth: { kind: 'token', token: 'sandbox-company-token', scheme: 'token' },
  permalink: 'sandbox'
});
runSyncPass({
  pool,
  scope,
  mapping: MAPPING,
  pageSize: 25,
  streams: ['scenario_sessions']
}).then(
  async () => {
    await pool.end();
    process.exit(0);
  },
  () => process.exit(1)
);

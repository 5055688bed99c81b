// npm run bench:replicas — the connector as 1, 2 and 3 replicas (real processes, `connector serve`) on one
// PostgreSQL, in the same run: ingest rate of signed deliveries posted round-robin at a fixed
// concurrency while the workers run, and the drain time until every session is in the Salesforce
// sandbox with its final state. Writes its section of BENCHMARKS.md between <!-- bench:replicas -->.
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  interleave,
  postStream,
  signedDelivery
} from '../test/connector/replicas/support/delivery-stream.ts';
import {
  startReplicas,
  stopAll
} from '../test/connector/replicas/support/replica-process.ts';
import type { Replica } from '../test/connector/replicas/support/replica-process.ts';
import {
  salesforceMismatches,
  startReplicaWorld
} from '../test/connector/replicas/support/replica-world.ts';
import { startSharedPostgres } from '../test/connector/replicas/support/shared-postgres.ts';
import { waitFor } from '../test/connector/receiving/support/test-postgres.ts';
import { writeBenchmarkSection } from './bench-support.ts';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REPLICAS = (process.env.BENCH_REPLICAS ?? '1,2,3').split(',').map(Number);
const SF_LATENCY_MS = Number(process.env.BENCH_SF_LATENCY_MS ?? 50);
const MARK_START = '<!-- bench:replicas -->';
const MARK_END = '<!-- /bench:replicas -->';

interface Run {
  replicas: number;
  deliveries: number;
  ingestSeconds: number;
  ingestRate: number;
  p50: number;
  p99: number;
  drainSeconds: number;
  sessionsPerSecond: number;
  refusals: number;
  salesforceCalls: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[
      Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
    ] ?? 0
  );
}

async function measure(replicaCount: number): Promise<Run> {
  const postgres = await startSharedPostgres();
  const world = await startReplicaWorld({
    historicalSessions: Math.ceil(SESSIONS * 1.05) + 25,
    salesforceLatencyMs: SF_LATENCY_MS
  });
  let replicas: Replica[] = [];
  try {
    const databaseUrl = await postgres.createDatabase();
    replicas = await startReplicas(replicaCount, () =>
      world.env(databaseUrl, { LOG_LEVEL: 'warn' })
    );
    const sessions = world.sessionIds(SESSIONS);
    const order = interleave(sessions, ROUNDS);
    const expected = await world.scopeStates(sessions);
    await fetch(`${world.salesforce.url}/sandbox/requests`, {
      method: 'DELETE'
    });
    const latencies: number[] = [];
    let refusals = 0;
    const started = Date.now();
    const stream = await postStream(
      order,
      (id) => signedDelivery(id, world.scope.url),
      {
        targets: () => replicas.map((r) => r.url),
        concurrency: CONCURRENCY,
        keepAttempts: false,
        onAttempt: (attempt) => {
          if (attempt.status >= 200 && attempt.status < 300)
            latencies.push(attempt.answeredAt - attempt.sentAt);
          else refusals++;
        }
      }
    );
    const ingestSeconds = stream.elapsedMs / 1000;
    await waitFor(
      async () =>
        salesforceMismatches(expected, await world.salesforceSessions())
          .length === 0,
      600_000,
      'the drain'
    );
    const drainSeconds = (Date.now() - started) / 1000;
    const requests = (await (
      await fetch(`${world.salesforce.url}/sandbox/requests`)
    ).json()) as unknown[];
    return {
      replicas: replicaCount,
      deliveries: order.length,
      ingestSeconds,
      ingestRate: order.length / ingestSeconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      drainSeconds,
      sessionsPerSecond: SESSIONS / drainSeconds,
      refusals,
      salesforceCalls: requests.length
    };
  } finally {
    await stopAll(replicas);
    await world.close();
    await postgres.dispose();
  }
}

function render(runs: Run[]): string {
  const base = runs.find((r) => r.replicas === 1) ?? runs[0];
  const ratio = (value: number, of: number | undefined) =>
    of ? `${(value / of).toFixed(2)}×` : '—';
  const rows = runs.map(
    (r) =>
      `| ${r.replicas} | ${r.deliveries} | ${Math.round(r.ingestRate)} | ${ratio(r.ingestRate, base?.ingestRate)} | ${Math.round(r.p50)} | ${Math.round(r.p99)} | ${r.drainSeconds.toFixed(1)} | ${r.sessionsPerSecond.toFixed(1)} | ${ratio(r.sessionsPerSecond, base?.sessionsPerSecond)} | ${r.salesforceCalls} | ${r.refusals} |`
  );
  return [
    MARK_START,
    '## Connector replicas (1, 2, 3 processes on one PostgreSQL)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:replicas\` on ${cpus().length} cores, Node ${process.version}: N real \`connector serve\` processes on one embedded PostgreSQL 18 (fsync off), both sandboxes in the benchmark process (Salesforce sandbox latency ${SF_LATENCY_MS} ms per request). ${SESSIONS} Scope sessions × ${ROUNDS} signed generation-2 deliveries each, posted round-robin to the replicas at ${CONCURRENCY} concurrent requests while the workers run (default WORKER_BATCH_SIZE 200, WORKER_CONCURRENCY 1). Drain = from the first post until every session is in the Salesforce sandbox exactly once with its final state.`,
    '',
    '| replicas | deliveries | ingest deliveries/s | vs 1 | ack p50 ms | ack p99 ms | drain s | sessions/s drained | vs 1 | Salesforce requests | refused (503/reset) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'What limits the scaling here: the machine has 2 cores shared by every replica, PostgreSQL, both sandboxes and the load generator, so a second and third replica add processes, not CPU; each replica is a single Node event loop whose ingest cost is JSON parsing, HMAC verification and its share of the group-committed INSERTs, all of which compete for the same 2 cores. Draining is bounded by the round trips to Scope and Salesforce per batch and by PostgreSQL (the pg-boss fetch/complete statements of every replica hit one server); extra replicas help when those round trips, not the CPU, are the bottleneck, which is the production case (network latency to cms.scopear.com and Salesforce). On a real deployment each replica gets its own cores and the shared limits are the database (connections, job-table writes) and the Salesforce API allowance.',
    MARK_END
  ].join('\n');
}

function writeSection(section: string): void {
  writeBenchmarkSection(
    join(import.meta.dirname, '..', 'BENCHMARKS.md'),
    MARK_START,
    MARK_END,
    section
  );
}

const runs: Run[] = [];
for (const count of REPLICAS) {
  process.stderr.write(`${count} replica(s)…\n`);
  const run = await measure(count);
  process.stderr.write(`${JSON.stringify(run)}\n`);
  runs.push(run);
}
const section = render(runs);
if (process.env.BENCH_NO_WRITE !== '1') writeSection(section);
process.stdout.write(`${section}\n`);

// The ingest benchmark's load generator, in a process of its own (issue #20: the server and the
// generator must not share an event loop, or the generator's signing and parsing count as the server's
// latency): autocannon with a fresh signed generation-2 delivery per request. Started by
// scripts/bench-connector.ts with the target and the load as JSON in argv[2]; prints one JSON result.
import { createRequire } from 'node:module';
import { gen2Request } from '../../test/support/webhook-fixtures.ts';

// autocannon ships no type declarations: the slice used here, typed.
interface AutocannonRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  secret: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function delivery(
  n: number,
  secret: string
): { headers: Record<string, string>; body: string } {
  const id = Buffer.from(`ScenarioSession/${100_000 + (n % 2000)}`).toString(
    'base64'
  );
  return gen2Request(
    {
      data: { id, url: `https://cms.scopear.com/api/v3/graphql/object/${id}` }
    },
    { topic: 'scenario_session/updated', secret }
  );
}

async function run(options: LoadOptions): Promise<LoadResult> {
  // warm-up (JIT, pool connections)
  await autocannon({
    url: `${options.url}/healthz`,
    connections: 10,
    amount: 500
  });
  let n = 0;
  const result = await autocannon({
    url: `${options.url}/webhooks/scope`,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        method: 'POST',
        // a fresh delivery (unique X-Scope-Webhook-Id, signed) for every request
        setupRequest: (request) => ({
          ...request,
          ...delivery(n++, options.secret)
        })
      }
    ]
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
process.stdout.write(`${JSON.stringify(await run(options))}\n`);

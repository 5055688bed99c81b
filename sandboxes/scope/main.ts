import { Command, InvalidArgumentError } from 'commander';
import { gql } from 'graphql-request';
import { startScopeSandbox } from './index.ts';
import { TOPICS } from './webhooks/subscriptions.ts';

// npm run sandbox:scope -- --port 4010 --sessions 1000 --webhook-url http://127.0.0.1:4030/webhooks/scope --secret s3cret

const integer = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a non-negative integer');
  return parsed;
};

const graphqlName = (value: string): string => {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(value))
    throw new InvalidArgumentError('expected a GraphQL name');
  return value;
};

const program = new Command()
  .name('sandbox:scope')
  .description(
    'Scope AR API sandbox: sign-in, GraphQL v3, webhooks, WorkLink simulator'
  )
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .option('--port <port>', 'port (0 = random)', integer, 4010)
  .option(
    '--sessions <n>',
    'historical scenario sessions to seed',
    integer,
    200
  )
  .option('--calls <n>', 'historical calls to seed', integer, 50)
  .option('--seed <n>', 'random seed', integer, 42)
  .option('--step-ms <ms>', 'simulator step interval', integer, 1000)
  .option(
    '--webhook-url <url>',
    'subscribe this URL to every generation-2 topic (needs --secret)'
  )
  .option(
    '--secret <secret>',
    'shared secret for the --webhook-url subscriptions'
  )
  .option(
    '--generation1-url <url>',
    'organization (generation-1) webhook URL of the sandbox company'
  )
  .option(
    '--expose-updated-at',
    'expose updatedAt and the updatedSince filter (Unknown in the real API)'
  )
  .option(
    '--call-type <name>',
    'name of the Call type (undocumented; e.g. RemoteAssistanceCall)',
    graphqlName,
    'Call'
  )
  .option(
    '--calls-field <name>',
    'root field of the calls connection (undocumented; e.g. remoteAssistanceCalls)',
    graphqlName,
    'calls'
  )
  .option(
    '--require-first',
    'refuse connections without first/last (the documented rule Scope’s own clients do not follow)'
  )
  .option('--log', 'log every request to stderr');

const options = program.parse().opts<{
  host: string;
  port: number;
  sessions: number;
  calls: number;
  seed: number;
  stepMs: number;
  webhookUrl?: string;
  secret?: string;
  generation1Url?: string;
  exposeUpdatedAt?: boolean;
  callType: string;
  callsField: string;
  requireFirst?: boolean;
  log?: boolean;
}>();

const sandbox = await startScopeSandbox({
  host: options.host,
  port: options.port,
  seed: {
    historicalSessions: options.sessions,
    historicalCalls: options.calls,
    seed: options.seed
  },
  clock: { stepIntervalMs: options.stepMs },
  webhook: { generation1Url: options.generation1Url },
  schema: {
    exposeUpdatedAt: Boolean(options.exposeUpdatedAt),
    updatedSinceFilter: Boolean(options.exposeUpdatedAt),
    callTypeName: options.callType,
    callsRootField: options.callsField,
    requireFirstOrLast: Boolean(options.requireFirst)
  },
  log: Boolean(options.log)
});

if (options.webhookUrl) {
  // Subscribe through the public mutation, exactly as a customer would.
  const mutation = gql`
    mutation Subscribe($input: CreateWebhookSubscriptionInput!) {
      createWebhookSubscription(input: $input) {
        errors {
          message
        }
        webhookSubscription {
          id
        }
      }
    }
  `;
  for (const key of new Set(TOPICS.map((topic) => topic.key))) {
    const response = await fetch(`${sandbox.url}/api/v3/graphql`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Token token=sandbox-company-token'
      },
      body: JSON.stringify({
        query: mutation,
        variables: {
          input: {
            webhookSubscription: {
              topic: { key },
              callbackUrl: options.webhookUrl,
              sharedSecret: options.secret ?? null
            }
          }
        }
      })
    });
    if (!response.ok)
      throw new Error(`subscribing ${key} failed: HTTP ${response.status}`);
  }
}

process.stdout.write(`Scope AR sandbox listening on ${sandbox.url}\n`);
process.stdout.write(
  `  GraphQL:   ${sandbox.url}/api/v3/graphql  (Authorization: Token token=sandbox-company-token)\n`
);
process.stdout.write(
  `  Sign-in:   ${sandbox.url}/api/v2/users/sign_in.json  (admin@sandbox.scopear.test / worklink-sandbox)\n`
);
process.stdout.write(
  `  Simulator: POST ${sandbox.url}/sandbox/open {"url":"worklink://resource?action=fetch_catalog&asset=PUMP-100"}\n`
);

const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

import { Command } from 'commander';
import {
  SANDBOX_ADMIN_USERNAME,
  SANDBOX_PASSWORD,
  startSalesforceSandbox
} from './index.ts';

const program = new Command()
  .name('sandbox:salesforce')
  .description(
    'Salesforce REST API emulator for WorkLink demos and tests (NOT a real org)'
  )
  .option(
    '--host <host>',
    'interface to bind',
    process.env.SF_SANDBOX_HOST ?? '127.0.0.1'
  )
  .option(
    '--port <port>',
    'port (0 = random)',
    process.env.SF_SANDBOX_PORT ?? '4410'
  )
  .option(
    '--login-port <port>',
    "port of the login host, login.salesforce.com's stand-in (0 = random)",
    process.env.SF_SANDBOX_LOGIN_PORT ?? '4411'
  )
  .option(
    '--jwt-audience <url>',
    'the JWT aud this org accepts: https://login.salesforce.com or https://test.salesforce.com',
    process.env.SF_SANDBOX_JWT_AUDIENCE ?? 'https://login.salesforce.com'
  )
  .option(
    '--private-objects <list>',
    'comma-separated objects with a Private org-wide default (WorkOrder, Case, Asset)',
    process.env.SF_SANDBOX_PRIVATE_OBJECTS ?? ''
  )
  .option(
    '--allow-username-password',
    'allow the OAuth username-password flow (blocked in orgs created since Summer 23)'
  )
  .option(
    '--metadata-dir <dir>',
    'SFDX source folder with objects/ and permissionsets/',
    process.env.SF_SANDBOX_METADATA_DIR ?? 'force-app/main/default'
  )
  .option(
    '--token-ttl <seconds>',
    'access token lifetime',
    process.env.SF_SANDBOX_TOKEN_TTL ?? '7200'
  )
  .option(
    '--daily-api-limit <n>',
    'daily API request allowance',
    process.env.SF_SANDBOX_DAILY_API_LIMIT ?? '100000'
  )
  .option('--no-seed', 'start without demo data')
  .parse();

const opts = program.opts<{
  host: string;
  port: string;
  loginPort: string;
  jwtAudience: 'https://login.salesforce.com' | 'https://test.salesforce.com';
  privateObjects: string;
  allowUsernamePassword?: boolean;
  metadataDir: string;
  tokenTtl: string;
  dailyApiLimit: string;
  seed: boolean;
}>();
const sandbox = await startSalesforceSandbox({
  host: opts.host,
  port: Number(opts.port),
  loginPort: Number(opts.loginPort),
  jwtAudience: opts.jwtAudience,
  privateObjects: opts.privateObjects
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as ('WorkOrder' | 'Case' | 'Asset')[],
  usernamePasswordFlow: opts.allowUsernamePassword === true,
  metadataDir: opts.metadataDir,
  tokenTtlSeconds: Number(opts.tokenTtl),
  dailyApiLimit: Number(opts.dailyApiLimit),
  seed: opts.seed
});
const stats = sandbox.state.store.counts();
console.log(
  `Salesforce sandbox listening on ${sandbox.url} (My Domain, API v${sandbox.apiVersion}); login host ${sandbox.loginUrl}`
);
console.log(`  JWT audience: ${sandbox.jwtAudience}`);
console.log(
  `  permission set: ${sandbox.state.schema.access.permissionSet ?? 'none found: field-level security is OPEN'}`
);
console.log(
  `  client credentials: ${sandbox.clientId} / ${sandbox.clientSecret}; JWT user ${sandbox.username}`
);
console.log(
  `  JWT private key (SANDBOX ONLY): GET ${sandbox.url}/sandbox/jwt-key`
);
console.log(
  `  password / SOAP login (SANDBOX ONLY): ${sandbox.username} or ${SANDBOX_ADMIN_USERNAME}, password ${SANDBOX_PASSWORD}`
);
console.log(
  `  records: ${Object.entries(stats)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(' ')}`
);

const shutdown = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// The Salesforce sandbox's options: the schema startSalesforceSandbox() parses, and the command-line
// flags main.ts offers for them (each with the environment variable that sets its default).
import { z } from 'zod';
import { LATEST_API_VERSION } from './http/api-versions.ts';

export const SANDBOX_CLIENT_ID = 'sandbox-client-id';
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret';
export const SANDBOX_USERNAME = 'integration@worklink.sandbox';
export const SANDBOX_ADMIN_USERNAME = 'admin@worklink.sandbox';
export {
  SEED_PASSWORD as SANDBOX_PASSWORD,
  SEED_SECURITY_TOKEN as SANDBOX_SECURITY_TOKEN
} from './seed/seed-rows.ts';

export const optionsSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    /** The org's My Domain (instance URL, data API, controls). */
    port: z.number().int().min(0).max(65535).default(0),
    /** The stand-in for login.salesforce.com / test.salesforce.com (OAuth and SOAP login only). */
    loginPort: z.number().int().min(0).max(65535).default(0),
    metadataDir: z.string().default('force-app/main/default'),
    permissionSet: z.string().default('WorkLink_Integration'),
    apiVersion: z
      .string()
      .regex(/^\d{2}\.0$/)
      .refine(
        (v) => Number(v) >= 31 && Number(v) <= Number(LATEST_API_VERSION),
        {
          message: `the sandbox serves API versions 31.0 to ${LATEST_API_VERSION}`
        }
      )
      .default(LATEST_API_VERSION),
    tokenTtlSeconds: z.number().positive().default(7200),
    dailyApiLimit: z.number().int().min(0).default(100_000),
    seed: z
      .union([
        z.boolean(),
        z.object({ closedWorkOrders: z.number().int().min(0).optional() })
      ])
      .default(true),
    latencyMs: z.number().int().min(0).default(0),
    clientId: z.string().default(SANDBOX_CLIENT_ID),
    clientSecret: z.string().default(SANDBOX_CLIENT_SECRET),
    username: z.string().default(SANDBOX_USERNAME),
    jwtCertificatePem: z.string().optional(),
    /** The login service a JWT `aud` must name: a production org's or a sandbox org's. */
    jwtAudience: z
      .enum(['https://login.salesforce.com', 'https://test.salesforce.com'])
      .default('https://login.salesforce.com'),
    /** Experience Cloud site URLs, also accepted as JWT `aud`. */
    experienceSiteUrls: z.array(z.string().url()).default([]),
    /** Objects with a Private org-wide default (the integration user then sees only what it owns, what is shared with it, or all with View All). */
    privateObjects: z.array(z.enum(['WorkOrder', 'Case', 'Asset'])).default([]),
    /** OAuth username-password flow: blocked, as in orgs created since Summer '23, unless true. */
    usernamePasswordFlow: z.boolean().default(false),
    /** Directory for the bytes of uploaded files (default: a temporary directory, removed on close). */
    filesDir: z.string().optional(),
    /** The URL the sandbox reports as instance_url (defaults to its own address). */
    publicUrl: z.string().url().optional()
  })
  .strict();

export type SalesforceSandboxOptions = z.input<typeof optionsSchema>;

/** A command-line flag with a value: its help text, and its default from the environment or here. */
export interface CliOption {
  readonly flag: string;
  readonly description: string;
  readonly env: string;
  readonly fallback: string;
}

export const CLI_OPTIONS: readonly CliOption[] = [
  {
    flag: '--host <host>',
    description: 'interface to bind',
    env: 'SF_SANDBOX_HOST',
    fallback: '127.0.0.1'
  },
  {
    flag: '--port <port>',
    description: 'port (0 = random)',
    env: 'SF_SANDBOX_PORT',
    fallback: '4410'
  },
  {
    flag: '--login-port <port>',
    description:
      "port of the login host, login.salesforce.com's stand-in (0 = random)",
    env: 'SF_SANDBOX_LOGIN_PORT',
    fallback: '4411'
  },
  {
    flag: '--jwt-audience <url>',
    description:
      'the JWT aud this org accepts: https://login.salesforce.com or https://test.salesforce.com',
    env: 'SF_SANDBOX_JWT_AUDIENCE',
    fallback: 'https://login.salesforce.com'
  },
  {
    flag: '--private-objects <list>',
    description:
      'comma-separated objects with a Private org-wide default (WorkOrder, Case, Asset)',
    env: 'SF_SANDBOX_PRIVATE_OBJECTS',
    fallback: ''
  },
  {
    flag: '--metadata-dir <dir>',
    description: 'SFDX source folder with objects/ and permissionsets/',
    env: 'SF_SANDBOX_METADATA_DIR',
    fallback: 'force-app/main/default'
  },
  {
    flag: '--token-ttl <seconds>',
    description: 'access token lifetime',
    env: 'SF_SANDBOX_TOKEN_TTL',
    fallback: '7200'
  },
  {
    flag: '--daily-api-limit <n>',
    description: 'daily API request allowance',
    env: 'SF_SANDBOX_DAILY_API_LIMIT',
    fallback: '100000'
  }
];

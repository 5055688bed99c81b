// The connector's configuration: one zod schema for every environment variable it reads, whose
// transform produces the typed ConnectorConfig (the type is derived from the schema, never written by
// hand). Nothing else reads process.env: the processing modules get plain option objects built from it.
// Variables are documented in .env.example and docs/operating-the-connector.md (a test keeps all three
// in step).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseApiBudget } from './salesforce/api-budget.ts';
import {
  clientCredentialsHostProblem,
  defaultJwtAudience,
  jwtAudienceProblem
} from './salesforce/auth-hosts.ts';

/** Winter '27, the current GA version (December 2026). */
export const DEFAULT_SF_API_VERSION = '68.0';
const MIN_SF_API_VERSION = 41;

/**
 * Group commit of concurrent webhook deliveries (formerly WEBHOOK_BATCH_WINDOW_MS / _MAX): wait at most
 * this long, or until this many deliveries, before one transaction stores them. Fixed because the
 * ingest figures in BENCHMARKS.md were measured with them and no deployment needs other values.
 */
export const INGEST_BATCH_WINDOW_MS = 3;
export const INGEST_BATCH_MAX = 200;

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) =>
      v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'
    );

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional().default(fallback);

const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().min(min).max(max).default(fallback);

const list = (fallback: string) =>
  z
    .string()
    .optional()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    );

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** An optional GraphQL name (a type or field name spliced into queries, so validated). */
const graphqlName = z
  .string()
  .regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'expected a GraphQL name')
  .optional();

const httpVariables = {
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(8080, 0, 65535),
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds(30, 0.1, 3600),
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds(10, 0.1, 600),
  HTTP_MAX_CONNECTIONS: int(1000, 1, 100_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
};

const databaseVariables = {
  DATABASE_URL: optionalText.pipe(z.string().url().optional()),
  DATA_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: int(5433, 1, 65535),
  DATABASE_POOL_SIZE: int(10, 2, 200)
};

const webhookVariables = {
  WEBHOOK_SECRETS: list('').pipe(
    z.array(z.string().min(8, 'each secret needs at least 8 characters')).max(2)
  ),
  WEBHOOK_SIGNATURE_ENCODING: z.enum(['base64', 'hex']).default('base64'),
  WEBHOOK_SIGNATURE_MODE: z.enum(['enforce', 'log-only']).default('enforce'),
  WEBHOOK_PATH_TOKEN: optionalText.pipe(
    z.string().min(16, 'use at least 16 characters').optional()
  ),
  WEBHOOK_ALLOW_UNSIGNED: bool(false),
  WEBHOOK_BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024)
};

const scopeVariables = {
  SCOPE_BASE_URL: z.string().url().default('https://cms.scopear.com'),
  SCOPE_API_TOKEN: optionalText,
  // Unset: `Token token=` for an API token, `Bearer token=` for a sign-in token (the demo's form).
  SCOPE_AUTH_SCHEME: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['token', 'bearer-token', 'bearer']).optional()
  ),
  SCOPE_EMAIL: optionalText,
  SCOPE_PASSWORD: optionalText,
  SCOPE_PERMALINK: optionalText,
  SCOPE_PERMALINK_IN: z.enum(['body', 'query', 'none']).default('body'),
  SCOPE_PRIVATE_ACCESS_CODE: optionalText,
  SCOPE_FETCH_BATCH_SIZE: int(50, 1, 500),
  SCOPE_DURATION_UNIT: z.enum(['seconds', 'milliseconds']).default('seconds'),
  SCOPE_PERCENT_SCALE: z.enum(['percent', 'fraction']).default('percent'),
  SCOPE_CALL_FIELDS: optionalText,
  // The Call type and its root connection are undocumented: unset, they are found by introspection.
  SCOPE_CALL_TYPE: optionalText.pipe(graphqlName),
  SCOPE_CALLS_FIELD: optionalText.pipe(graphqlName)
};

const salesforceVariables = {
  SF_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
  SF_AUTH_FLOW: z.enum(['jwt', 'client_credentials']).default('jwt'),
  SF_CLIENT_ID: optionalText,
  SF_CLIENT_SECRET: optionalText,
  SF_USERNAME: optionalText,
  SF_PRIVATE_KEY: optionalText,
  SF_PRIVATE_KEY_FILE: optionalText,
  // JWT `aud`: login.salesforce.com, test.salesforce.com or an Experience Cloud site; unset = by SF_LOGIN_URL.
  SF_JWT_AUDIENCE: optionalText.pipe(z.string().url().optional()),
  SF_API_VERSION: z
    .string()
    .regex(/^\d{2,3}\.0$/, 'expected a version such as 68.0')
    .refine(
      (v) => Number(v) >= MIN_SF_API_VERSION,
      `versions below ${MIN_SF_API_VERSION}.0 are retired (21.0–30.0) or being retired (31.0–40.0); use ${MIN_SF_API_VERSION}.0 or later, e.g. ${DEFAULT_SF_API_VERSION}`
    )
    .default(DEFAULT_SF_API_VERSION),
  SF_API_USAGE_SLOWDOWN: z.coerce.number().gt(0).max(1).default(0.9),
  // a share of the org's daily allowance (10%) or calls per 24 h (5000); empty = no budget of our own
  SF_API_BUDGET: z
    .string()
    .default('50%')
    .transform((v, ctx) => {
      try {
        return parseApiBudget(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  SF_API_BUDGET_WINDOW_SECONDS: seconds(3600, 1, 86_400),
  // a batch's session and step upserts in one Composite call (one API call); false = two Collections calls
  SF_COMPOSITE: bool(true),
  /** N of first-time fix / repeat visit "within N days" (WorkOrder outcome fields and report ttr). */
  OUTCOME_WINDOW_DAYS: int(30, 1, 999),
  /** StatusCategory (else Status) values that mean a work order was resolved. */
  OUTCOME_RESOLVED_STATUSES: list('Completed,Closed').refine(
    (statuses) => statuses.length > 0,
    'name at least one status (e.g. Completed,Closed)'
  ),
  SF_WORK_ORDER_CACHE_SECONDS: int(300, 0, 86_400),
  // the User field the Scope user's email is compared with; off = technicians stay text only
  SF_TECHNICIAN_MATCH: z
    .enum(['email', 'username', 'federation_id', 'off'])
    .default('email'),
  SF_TECHNICIAN_OWNS_SESSION: bool(true),
  // one Scope_AR_Session_Step__c per viewed step of each session; false = counters only
  SYNC_STEPS: bool(true)
};

const mappingVariables = {
  WORK_ORDER_ID_KEYS: list('work_order_id'),
  WORK_ORDER_NUMBER_KEYS: list('work_order_number'),
  CASE_ID_KEYS: list('case_id'),
  WORK_ORDER_LINE_ITEM_ID_KEYS: list('work_order_line_item_id'),
  SERVICE_APPOINTMENT_ID_KEYS: list('service_appointment_id')
};

const workerVariables = {
  WORKER_BATCH_SIZE: int(200, 1, 1000),
  WORKER_CONCURRENCY: int(1, 1, 16),
  WORKER_POLL_SECONDS: seconds(1, 0.5, 60),
  WORKER_PROGRESS_COALESCE_SECONDS: seconds(20, 0, 3600),
  WORKER_FINAL_COALESCE_SECONDS: seconds(4, 0, 300),
  // rollups of the parents batches touched are recomputed together this often; 0 = in every batch
  ROLLUP_INTERVAL_SECONDS: seconds(30, 0, 3600),
  JOB_EXPIRE_SECONDS: int(300, 30, 86400),
  JOB_LEASE_SECONDS: int(30, 3, 3600),
  DELIVERY_RETENTION_DAYS: int(30, 0, 3650),
  RETRY_LIMIT: int(10, 0, 100),
  RETRY_DELAY_SECONDS: int(5, 1, 3600),
  RETRY_MAX_DELAY_SECONDS: int(900, 1, 86400),
  SHUTDOWN_TIMEOUT_SECONDS: int(25, 1, 600),
  SYNC_CRON: optionalText,
  SYNC_PAGE_SIZE: int(25, 1, 100)
};

const heartbeatVariables = {
  HEARTBEAT_ENABLED: bool(true),
  HEARTBEAT_DEPLOYMENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,80}$/, 'use 1–80 letters, digits, . _ or -')
    .default('worklink'),
  // Below 60 s and 600 s only for demos and tests: the Health page's threshold must exceed both.
  HEARTBEAT_INTERVAL_SECONDS: int(60, 1, 600),
  HEARTBEAT_MAX_SILENCE_SECONDS: int(600, 1, 600)
};

/** Scope photos copied into Salesforce Files (docs/operating-the-connector.md, "Photos as Files"). */
const filesVariables = {
  SYNC_FILES: bool(true),
  // 2 GB is Salesforce's own ContentVersion limit (multipart); a lower cap bounds the org's file storage.
  FILES_MAX_BYTES: int(100 * 1024 * 1024, 1, 2 * 1024 * 1024 * 1024),
  // Below this a file goes as JSON with base64 VersionData, above it as multipart (Salesforce refuses a
  // base64 JSON body over ~37.5 MB decoded, so the ceiling is 37 MB).
  FILES_BASE64_MAX_BYTES: int(10 * 1024 * 1024, 0, 37 * 1024 * 1024),
  FILES_WORKER_CONCURRENCY: int(2, 1, 16),
  FILES_BATCH_SIZE: int(10, 1, 100),
  // photo copies may wait: they spend at most this share of the API budget's window and day
  FILES_BUDGET_SHARE: z.coerce.number().gt(0).max(1).default(0.5)
};

const envObject = z.object({
  ...httpVariables,
  ...databaseVariables,
  ...webhookVariables,
  ...scopeVariables,
  ...salesforceVariables,
  ...mappingVariables,
  ...workerVariables,
  ...filesVariables,
  ...heartbeatVariables
});

type Env = z.output<typeof envObject>;

/** Every environment variable the connector reads, in schema order. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envObject.shape);

/** Rules between variables; each issue names the variable to change. */
function crossVariableProblems(env: Env): [string, string][] {
  const problems: [string, string | null][] = [
    [
      'SCOPE_PASSWORD',
      env.SCOPE_EMAIL && !env.SCOPE_PASSWORD
        ? 'required when SCOPE_EMAIL is set'
        : null
    ],
    [
      'SF_PRIVATE_KEY_FILE',
      env.SF_PRIVATE_KEY && env.SF_PRIVATE_KEY_FILE
        ? 'set SF_PRIVATE_KEY or SF_PRIVATE_KEY_FILE, not both'
        : null
    ],
    [
      'JOB_LEASE_SECONDS',
      env.JOB_LEASE_SECONDS > env.JOB_EXPIRE_SECONDS
        ? 'must be ≤ JOB_EXPIRE_SECONDS'
        : null
    ],
    [
      'WORKER_FINAL_COALESCE_SECONDS',
      env.WORKER_FINAL_COALESCE_SECONDS > env.WORKER_PROGRESS_COALESCE_SECONDS
        ? 'must be ≤ WORKER_PROGRESS_COALESCE_SECONDS (final states go first)'
        : null
    ],
    [
      'HTTP_HEADERS_TIMEOUT_SECONDS',
      env.HTTP_HEADERS_TIMEOUT_SECONDS > env.HTTP_REQUEST_TIMEOUT_SECONDS
        ? 'must be ≤ HTTP_REQUEST_TIMEOUT_SECONDS'
        : null
    ],
    // Which host and audience each Salesforce OAuth flow accepts (salesforce/auth-hosts.ts).
    [
      'SF_JWT_AUDIENCE',
      env.SF_JWT_AUDIENCE ? jwtAudienceProblem(env.SF_JWT_AUDIENCE) : null
    ],
    [
      'SF_LOGIN_URL',
      env.SF_AUTH_FLOW === 'client_credentials'
        ? clientCredentialsHostProblem(env.SF_LOGIN_URL)
        : null
    ],
    [
      'RETRY_MAX_DELAY_SECONDS',
      env.RETRY_MAX_DELAY_SECONDS < env.RETRY_DELAY_SECONDS
        ? 'must be ≥ RETRY_DELAY_SECONDS'
        : null
    ]
  ];
  return problems.filter((p): p is [string, string] => p[1] !== null);
}

/** SF_PRIVATE_KEY (PEM, `\n` escapes allowed) or the contents of SF_PRIVATE_KEY_FILE. */
function readPrivateKey(env: Env, ctx: z.RefinementCtx): string | undefined {
  if (!env.SF_PRIVATE_KEY_FILE)
    return env.SF_PRIVATE_KEY?.replace(/\\n/g, '\n');
  try {
    return readFileSync(env.SF_PRIVATE_KEY_FILE, 'utf8');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      path: ['SF_PRIVATE_KEY_FILE'],
      message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`
    });
    return undefined;
  }
}

const httpConfig = (e: Env) => ({
  host: e.HOST,
  port: e.PORT,
  requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
  headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
  maxConnections: e.HTTP_MAX_CONNECTIONS
});

const databaseConfig = (e: Env) => ({
  url: e.DATABASE_URL,
  dataDir: e.DATA_DIR,
  embeddedPort: e.EMBEDDED_PG_PORT,
  poolSize: e.DATABASE_POOL_SIZE
});

const webhookConfig = (e: Env) => ({
  secrets: e.WEBHOOK_SECRETS,
  encoding: e.WEBHOOK_SIGNATURE_ENCODING,
  mode: e.WEBHOOK_SIGNATURE_MODE,
  pathToken: e.WEBHOOK_PATH_TOKEN,
  allowUnsigned: e.WEBHOOK_ALLOW_UNSIGNED,
  bodyLimitBytes: e.WEBHOOK_BODY_LIMIT_BYTES,
  batchWindowMs: INGEST_BATCH_WINDOW_MS,
  batchMax: INGEST_BATCH_MAX
});

const scopeConfig = (e: Env) => ({
  baseUrl: e.SCOPE_BASE_URL,
  apiToken: e.SCOPE_API_TOKEN,
  authScheme: e.SCOPE_AUTH_SCHEME,
  email: e.SCOPE_EMAIL,
  password: e.SCOPE_PASSWORD,
  permalink: e.SCOPE_PERMALINK,
  permalinkIn: e.SCOPE_PERMALINK_IN,
  privateAccessCode: e.SCOPE_PRIVATE_ACCESS_CODE,
  fetchBatchSize: e.SCOPE_FETCH_BATCH_SIZE,
  durationUnit: e.SCOPE_DURATION_UNIT,
  percentScale: e.SCOPE_PERCENT_SCALE,
  callFields: e.SCOPE_CALL_FIELDS,
  /** SCOPE_CALL_TYPE; unset: discovered (Call, CallSession, RemoteAssistanceCall). */
  callType: e.SCOPE_CALL_TYPE,
  /** SCOPE_CALLS_FIELD; unset: the Query field returning `<CallType>Connection`. */
  callsField: e.SCOPE_CALLS_FIELD
});

const salesforceConfig = (e: Env, privateKey: string | undefined) => ({
  /** Where the token request goes: the login host or the org's My Domain. */
  loginUrl: e.SF_LOGIN_URL,
  /** The JWT `aud` claim (never the My Domain). */
  jwtAudience: e.SF_JWT_AUDIENCE ?? defaultJwtAudience(e.SF_LOGIN_URL),
  authFlow: e.SF_AUTH_FLOW,
  clientId: e.SF_CLIENT_ID,
  clientSecret: e.SF_CLIENT_SECRET,
  username: e.SF_USERNAME,
  privateKey,
  apiVersion: e.SF_API_VERSION,
  apiUsageSlowdown: e.SF_API_USAGE_SLOWDOWN,
  /** The connector's own share of the daily allowance, spent evenly over windows of this length. */
  apiBudget: e.SF_API_BUDGET,
  apiBudgetWindowSeconds: e.SF_API_BUDGET_WINDOW_SECONDS,
  /** Sessions and their steps upserted in one Composite call. */
  composite: e.SF_COMPOSITE,
  /** How long a resolved work order (its case and asset) is remembered; 0 = query every batch. */
  workOrderCacheSeconds: e.SF_WORK_ORDER_CACHE_SECONDS,
  /** Write each session's steps as Scope_AR_Session_Step__c records. */
  writeSteps: e.SYNC_STEPS,
  /** Technicians as Salesforce users: the User field matched, and whether the user owns the record. */
  technicians:
    e.SF_TECHNICIAN_MATCH === 'off'
      ? undefined
      : {
          match: e.SF_TECHNICIAN_MATCH,
          owner: e.SF_TECHNICIAN_OWNS_SESSION
        }
});

const mappingConfig = (e: Env) => ({
  workOrderIdKeys: e.WORK_ORDER_ID_KEYS,
  workOrderNumberKeys: e.WORK_ORDER_NUMBER_KEYS,
  caseIdKeys: e.CASE_ID_KEYS,
  lineItemIdKeys: e.WORK_ORDER_LINE_ITEM_ID_KEYS,
  serviceAppointmentIdKeys: e.SERVICE_APPOINTMENT_ID_KEYS
});

const workerConfig = (e: Env) => ({
  batchSize: e.WORKER_BATCH_SIZE,
  concurrency: e.WORKER_CONCURRENCY,
  pollingIntervalSeconds: e.WORKER_POLL_SECONDS,
  /** A job starts at the end of its window (queue/job-timing.ts): progress coalesces longer than final states. */
  coalesce: {
    progressSeconds: e.WORKER_PROGRESS_COALESCE_SECONDS,
    finalSeconds: e.WORKER_FINAL_COALESCE_SECONDS
  },
  /** Dirty parents' rollups are recomputed together this often (rollups/rollup-drainer.ts); 0 = per batch. */
  rollupIntervalSeconds: e.ROLLUP_INTERVAL_SECONDS,
  expireInSeconds: e.JOB_EXPIRE_SECONDS,
  /** A job whose worker stops renewing its lease (it died) is back in the queue after this. */
  leaseSeconds: e.JOB_LEASE_SECONDS,
  retryLimit: e.RETRY_LIMIT,
  retryDelaySeconds: e.RETRY_DELAY_SECONDS,
  retryMaxDelaySeconds: e.RETRY_MAX_DELAY_SECONDS
});

const filesConfig = (e: Env) => ({
  enabled: e.SYNC_FILES,
  /** A photo larger than this is not copied: recorded as skipped with the reason. */
  maxBytes: e.FILES_MAX_BYTES,
  /** Up to this size a photo is uploaded as JSON base64, above it as multipart/form-data. */
  base64MaxBytes: e.FILES_BASE64_MAX_BYTES,
  /** Files worker loops (each streams one file at a time). */
  concurrency: e.FILES_WORKER_CONCURRENCY,
  /** Sessions per files batch (one ContentVersion lookup per batch). */
  batchSize: e.FILES_BATCH_SIZE,
  /** Share of SF_API_BUDGET's window and day the photo copies may spend; session records have the rest. */
  budgetShare: e.FILES_BUDGET_SHARE
});

const configSchema = envObject
  .superRefine((env, ctx) => {
    for (const [variable, message] of crossVariableProblems(env))
      ctx.addIssue({ code: 'custom', path: [variable], message });
  })
  .transform((e, ctx) => ({
    http: httpConfig(e),
    logLevel: e.LOG_LEVEL,
    database: databaseConfig(e),
    webhook: webhookConfig(e),
    scope: scopeConfig(e),
    salesforce: salesforceConfig(e, readPrivateKey(e, ctx)),
    mapping: mappingConfig(e),
    worker: workerConfig(e),
    /** The WorkOrder outcome fields' definitions, shared with `connector report ttr`. */
    outcomes: {
      windowDays: e.OUTCOME_WINDOW_DAYS,
      resolvedStatuses: e.OUTCOME_RESOLVED_STATUSES
    },
    files: filesConfig(e),
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    /** Days the deliveries audit table keeps a row; 0 = forever. */
    deliveryRetentionDays: e.DELIVERY_RETENTION_DAYS,
    syncCron: e.SYNC_CRON,
    syncPageSize: e.SYNC_PAGE_SIZE,
    heartbeat: {
      /** Off, or no SF_CLIENT_ID: no heartbeat is written. */
      enabled: e.HEARTBEAT_ENABLED,
      /** Deployment_Id__c of the WorkLink_Connector_Status__c record this deployment upserts. */
      deploymentId: e.HEARTBEAT_DEPLOYMENT_ID,
      /** At most one write per interval (60 s; the record is written when something changed, else every 10 min). */
      intervalSeconds: e.HEARTBEAT_INTERVAL_SECONDS,
      /** Written at least this often even when nothing changed (600 s: the Health page turns red after 10 min). */
      maxSilenceSeconds: e.HEARTBEAT_MAX_SILENCE_SECONDS
    }
  }));

export type ConnectorConfig = z.output<typeof configSchema>;

export class ConfigError extends Error {
  readonly issues: { variable: string; message: string }[];
  constructor(issues: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Reads the environment (or the given record) into a typed config; throws ConfigError naming each bad variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env
): ConnectorConfig {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(environment)'),
      message: issue.message
    }))
  );
}

/** Problems that do not stop `serve` but that `doctor` reports (e.g. no webhook secret configured). */
export function configWarnings(config: ConnectorConfig): string[] {
  const warnings: string[] = [];
  if (config.webhook.secrets.length === 0)
    warnings.push(
      'WEBHOOK_SECRETS is empty: generation-2 deliveries cannot be verified'
    );
  if (config.webhook.mode === 'log-only')
    warnings.push(
      'WEBHOOK_SIGNATURE_MODE=log-only accepts deliveries with bad signatures'
    );
  if (config.webhook.allowUnsigned)
    warnings.push(
      'WEBHOOK_ALLOW_UNSIGNED=true accepts unsigned deliveries on any path'
    );
  if (!config.scope.apiToken && !config.scope.email)
    warnings.push('neither SCOPE_API_TOKEN nor SCOPE_EMAIL is set');
  if (!config.salesforce.clientId) warnings.push('SF_CLIENT_ID is not set');
  return warnings;
}

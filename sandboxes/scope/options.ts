import { z } from 'zod';
import {
  CALLS_ROOT_FIELD,
  CALL_TYPE_NAME,
  DEFAULT_PAGE_SIZE
} from './schema/undocumented.ts';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

// Everything configurable about the sandbox, validated once. Unknown Scope behaviour is an option here
// so tests can cover each plausible answer.

export const faultsSchema = z.object({
  /** Added to every /api request. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Share of /api requests answered with one of errorStatuses. */
  errorRate: z.number().min(0).max(1).default(0),
  errorStatuses: z
    .array(
      z.union([z.literal(500), z.literal(429), z.literal(502), z.literal(503)])
    )
    .min(1)
    .default([500, 429, 502]),
  /** Share of GraphQL requests answered 200 with an `errors` array and no data. */
  graphqlErrorRate: z.number().min(0).max(1).default(0),
  /** Share of webhook deliveries silently never sent. */
  dropWebhookRate: z.number().min(0).max(1).default(0),
  /** Share of webhook deliveries sent twice (same X-Scope-Webhook-Id). */
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Send webhook deliveries in pairs, the later one first. */
  reorder: z.boolean().default(false),
  /** Sign generation-2 deliveries with the wrong key. */
  wrongSignature: z.boolean().default(false)
});

export type Faults = z.infer<typeof faultsSchema>;

const workOrderSchema = z.object({
  number: z.string().min(1),
  id: z.string().min(1).optional()
});

export const optionsSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  /** Base of `resource-url` / `data.url` in webhooks; defaults to the listening URL. */
  publicUrl: z.string().url().optional(),
  seed: z
    .object({
      historicalSessions: z.number().int().min(0).max(1_000_000).default(200),
      historicalCalls: z.number().int().min(0).max(1_000_000).default(50),
      seed: z.number().int().default(42),
      /** Historical records end just before this instant (fixed so seeds are reproducible). */
      epoch: z.string().datetime().default('2025-06-01T00:00:00Z'),
      /** Work orders historical records point at (external data work_order_number / work_order_id). */
      workOrders: z
        .array(workOrderSchema)
        .default([
          { number: '00000101' },
          { number: '00000102' },
          { number: '00000103' },
          { number: '00000104' },
          { number: '00000105' },
          { number: '00009901', id: '0WO5g00000ZZ9QaGAL' },
          { number: '00009902' }
        ]),
      /** Share of historical records that carry work-order external data. */
      workOrderShare: z.number().min(0).max(1).default(0.4)
    })
    .default({}),
  /** Lifetime of sign-in tokens (documented: 30 days). */
  tokenTtlSeconds: z
    .number()
    .int()
    .min(1)
    .default(30 * 24 * 3600),
  /** When set, GraphQL requests must carry `PrivateAccessCode: Token token=<value>`. */
  privateAccessCode: z.string().optional(),
  clock: z
    .object({
      stepIntervalMs: z.number().int().min(1).default(1000),
      /** Manual clock: the simulator only moves on POST /sandbox/advance. */
      manual: z.boolean().default(false),
      /** Simulated seconds a technician spends on one step (becomes `duration`). */
      secondsPerStep: z.number().int().min(1).default(45),
      /** Ticks between a call being connected and it ending. */
      callTicks: z.number().int().min(1).default(3)
    })
    .default({}),
  webhook: z
    .object({
      timeoutMs: z.number().int().min(1).default(5000),
      maxAttempts: z.number().int().min(1).max(50).default(5),
      backoffBaseMs: z.number().int().min(0).default(500),
      backoffMaxMs: z.number().int().min(0).default(30_000),
      domain: z.string().default('scopear.com'),
      apiVersion: z.string().default('3'),
      /** Generation-1 organization webhook URL of the `sandbox` company (set by "Scope support"). */
      generation1Url: z.string().url().optional()
    })
    .default({}),
  faults: faultsSchema.partial().default({}),
  /** Photo files: signed URLs that expire, and the bytes behind them (files/photo-files.ts). */
  files: z
    .object({
      /** Lifetime of a fileURL (Scope's own is not documented, reference Unknown #17). */
      urlTtlSeconds: z.number().int().min(0).default(3600),
      /** Each photo's size is picked per event in [min, max] (exact, deterministic). */
      photoMinBytes: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31)
        .default(200_000),
      photoMaxBytes: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31)
        .default(200_000),
      /** `mixed`: even event ids PNG, odd ones JPEG. */
      format: z.enum(['png', 'jpeg', 'mixed']).default('png'),
      signingSecret: z.string().min(1).default('scope-sandbox-file-signing')
    })
    .refine((f) => f.photoMaxBytes >= f.photoMinBytes, {
      message: 'photoMaxBytes must be at least photoMinBytes'
    })
    .default({}),
  schema: z
    .object({
      /** Whether Scope exposes updatedAt is Unknown: off by default; the sync engine finds it by introspection. */
      exposeUpdatedAt: z.boolean().default(false),
      /** An `updatedSince: DateTime` argument on scenarioSessions and calls (Unknown #10). */
      updatedSinceFilter: z.boolean().default(false),
      durationUnit: z.enum(['seconds', 'milliseconds']).default('seconds'),
      /** percentOfStepsViewed as 0–100 (`percent`) or 0–1 (`fraction`). */
      percentScale: z.enum(['percent', 'fraction']).default('percent'),
      /**
       * Alphabet of node ids. Scope shows both (reference §3.3), so `mixed` (the default) issues some ids
       * in standard Base64 with `+`, `/` and `=`, others URL-safe with `-` and `_`, by database id.
       */
      nodeIdStyle: z.enum(['mixed', 'standard', 'urlsafe']).default('mixed'),
      /** Name of the Call type (undocumented, reference §4: maybe `CallSession`, `RemoteAssistanceCall`). */
      callTypeName: z.string().regex(GRAPHQL_NAME).default(CALL_TYPE_NAME),
      /** Root connection field of calls (undocumented, reference §3.4). */
      callsRootField: z.string().regex(GRAPHQL_NAME).default(CALLS_ROOT_FIELD),
      /**
       * Refuse connections without `first`/`last` (reference §3.5 states the rule, yet Scope's own clients
       * omit `first`; off by default). Connections in BOUNDED_CONNECTION_FIELDS are exempt either way.
       */
      requireFirstOrLast: z.boolean().default(false),
      /** Page size of a connection asked without `first`/`last` when the rule is off (our guess). */
      defaultPageSize: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(DEFAULT_PAGE_SIZE),
      /** What the `Alphanumeric` scalar accepts (Unknown: "values with other characters may be rejected"). */
      alphanumericPattern: z.string().default('^[A-Za-z0-9_-]+$'),
      maxNodes: z.number().int().min(1).default(500_000)
    })
    .default({}),
  deeplink: z
    .object({
      /** Parameter naming the user in fetch_user / fetch_company_contact links (Unknown #1). */
      userParam: z.string().default('user'),
      /** Repeated external-data keys: keep the last value (Rails) or collect an array. */
      repeatedKeys: z.enum(['last', 'array']).default('last')
    })
    .default({}),
  /** Print one line per request to stderr. */
  log: z.boolean().default(false)
});

export type ScopeSandboxOptions = z.input<typeof optionsSchema>;
export type SandboxConfig = z.infer<typeof optionsSchema>;

export function parseOptions(options: ScopeSandboxOptions = {}): SandboxConfig {
  return optionsSchema.parse(options);
}

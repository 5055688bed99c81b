// The batch processor's options and the settings they resolve to once (defaults applied, the Call
// type learned from Scope), shared read-only by every stage of a batch.
import type { ResourceKind } from '../contracts.ts';
import type { Logger } from '../logger.ts';
import type { ProcessingMetrics } from '../metrics.ts';
import type { OutcomeSettings } from '../rollups/compute-outcomes.ts';
import type { ParentIds, RollupClient } from '../rollups/recompute-parents.ts';
import type {
  MappingOptions,
  NodeFieldPaths
} from '../mapping/map-scope-node.ts';
import { createExpiringMemory } from '../salesforce/expiring-memory.ts';
import type { ExpiringMemory } from '../salesforce/expiring-memory.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';
import type { TechnicianMatch } from '../salesforce/session-lookups.ts';
import { CALL_PATHS } from '../scope/call-fields.ts';
import { selectedFields } from '../scope/check-schema.ts';
import { DEFAULT_SELECTIONS } from '../scope/scope-client.ts';
import type { ScopeClient } from '../scope/scope-client.ts';
import { SESSION_PATHS } from '../scope/session-selection.ts';
import type { WrittenSession } from './written-sessions.ts';

export type ProcessorLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface BatchProcessorOptions {
  /** `execute` answers the typename lookup of resources whose deliveries did not say what they are. */
  scope: Pick<ScopeClient, 'fetchNodes'> &
    Partial<Pick<ScopeClient, 'execute' | 'callSchema'>>;
  salesforce: Pick<
    SalesforceClient,
    'upsertSessions' | 'resolveWorkOrders' | 'readStoredSessions'
  > &
    Partial<
      Pick<
        SalesforceClient,
        'findTechnicianUsers' | 'upsertSteps' | 'upsertSessionsWithSteps'
      >
    >;
  /** Technicians as Salesforce users (SF_TECHNICIAN_MATCH, SF_TECHNICIAN_OWNS_SESSION); absent: off. */
  technicians?: TechnicianSettings;
  mapping: MappingOptions;
  /**
   * GraphQL type name of each kind, to read Scope's __typename (default: the Call type the Scope client
   * configured or discovered, else the default selections').
   */
  typeNames?: Partial<Record<ResourceKind, string>>;
  /** Where values live in each node type (defaults: scope/session-selection.ts, scope/call-fields.ts). */
  paths?: Partial<Record<ResourceKind, NodeFieldPaths>>;
  /**
   * A node Scope does not return yet (webhook raced the write) is retried until its first event is
   * this old, then dead-lettered (default 15 minutes).
   */
  notFoundRetryWindowSeconds?: number;
  notFoundRetryAfterSeconds?: number;
  /** Use a custom-query payload node instead of fetching when it is complete (default true). */
  usePayloadNodes?: boolean;
  /**
   * Top-level fields a payload node must carry to stand in for a fetch (default: every field of the
   * default selection but `id`), so a partial custom query never blanks fields in Salesforce.
   */
  payloadRequiredFields?: Partial<Record<ResourceKind, readonly string[]>>;
  /** Keep the work order, asset and case rollups and outcome fields (update-rollups.ts); absent: off. */
  rollups?: RollupSettings;
  /** Write each session's Scope_AR_Session_Step__c records (SYNC_STEPS, default true). */
  writeSteps?: boolean;
  logger?: ProcessorLogger;
  now?: () => Date;
}

export interface RollupSettings {
  client: RollupClient;
  outcomes: OutcomeSettings;
  metrics?: Pick<ProcessingMetrics, 'rollupFailure'>;
  /**
   * ROLLUP_INTERVAL_SECONDS > 0: records the touched parents for the drainer (rollups/dirty-parents.ts)
   * instead of recomputing them in the batch; resolves false when no dirty set is attached.
   */
  markDirty?: (parents: ParentIds) => Promise<boolean>;
}
/**
 * How many sessions, and for how long, this process remembers what it wrote: their step lists (an
 * unchanged list is not sent again) and their stored state (written-sessions.ts).
 */
export const WRITE_MEMORY_ENTRIES = 20_000;
export const WRITE_MEMORY_MS = 3_600_000;

/**
 * Users Salesforce refused as a session's owner (no read access to the object, inactive): not offered
 * again for this long, so each later write of their sessions costs one call instead of a refused write
 * and its retry; a permission set assigned meanwhile is used from the next attempt on.
 */
export const REFUSED_OWNER_MEMORY_MS = 900_000;
const REFUSED_OWNER_ENTRIES = 10_000;

export interface TechnicianSettings {
  match: TechnicianMatch;
  /** Make the matched user the record's owner ("My Sessions"). */
  owner: boolean;
}

export interface ProcessorSettings {
  readonly scope: BatchProcessorOptions['scope'];
  readonly salesforce: BatchProcessorOptions['salesforce'];
  readonly technicians: TechnicianSettings | undefined;
  readonly mapping: MappingOptions;
  readonly paths: Readonly<Record<ResourceKind, NodeFieldPaths>>;
  /** Mutable only by `learnCallType`, before a batch starts. */
  readonly typeNames: Record<ResourceKind, string>;
  readonly usePayloadNodes: boolean;
  readonly payloadFields: Readonly<Record<ResourceKind, readonly string[]>>;
  readonly notFoundWindowMs: number;
  readonly notFoundRetryAfterSeconds: number;
  readonly rollups: RollupSettings | undefined;
  readonly writeSteps: boolean;
  /** Session Scope id → digest of the step records last written for it (write-steps.ts). */
  readonly writtenSteps: ExpiringMemory<string>;
  /** Session Scope id → what this process last wrote of it (written-sessions.ts). */
  readonly writtenSessions: ExpiringMemory<WrittenSession>;
  /** User Id → true: Salesforce refused this user as an owner lately (write-sessions.ts). */
  readonly refusedOwners: ExpiringMemory<true>;
  readonly log: ProcessorLogger | undefined;
  readonly now: () => Date;
}

const defaultPayloadFields = (kind: ResourceKind): string[] =>
  selectedFields(DEFAULT_SELECTIONS[kind]).filter((field) => field !== 'id');

export function resolveSettings(
  options: BatchProcessorOptions
): ProcessorSettings {
  return {
    scope: options.scope,
    salesforce: options.salesforce,
    technicians: options.technicians,
    mapping: options.mapping,
    paths: {
      ScenarioSession: options.paths?.ScenarioSession ?? SESSION_PATHS,
      Call: options.paths?.Call ?? CALL_PATHS
    },
    typeNames: {
      ScenarioSession:
        options.typeNames?.ScenarioSession ??
        DEFAULT_SELECTIONS.ScenarioSession.typeName,
      Call: options.typeNames?.Call ?? DEFAULT_SELECTIONS.Call.typeName
    },
    usePayloadNodes: options.usePayloadNodes ?? true,
    payloadFields: {
      ScenarioSession:
        options.payloadRequiredFields?.ScenarioSession ??
        defaultPayloadFields('ScenarioSession'),
      Call: options.payloadRequiredFields?.Call ?? defaultPayloadFields('Call')
    },
    notFoundWindowMs: (options.notFoundRetryWindowSeconds ?? 900) * 1000,
    notFoundRetryAfterSeconds: options.notFoundRetryAfterSeconds ?? 30,
    rollups: options.rollups,
    writeSteps: options.writeSteps ?? true,
    writtenSteps: createExpiringMemory<string>(WRITE_MEMORY_ENTRIES, () =>
      Date.now()
    ),
    writtenSessions: createExpiringMemory<WrittenSession>(
      WRITE_MEMORY_ENTRIES,
      () => Date.now()
    ),
    refusedOwners: createExpiringMemory<true>(REFUSED_OWNER_ENTRIES, () =>
      Date.now()
    ),
    log: options.logger,
    now: options.now ?? (() => new Date())
  };
}

/**
 * The Call type's name as the Scope client knows it (configured or discovered), unless the options
 * named it: asked before every batch, as the client may discover it late.
 */
export async function learnCallType(
  settings: ProcessorSettings,
  configured: BatchProcessorOptions['typeNames']
): Promise<void> {
  if (configured?.Call || !settings.scope.callSchema) return;
  const found = await settings.scope
    .callSchema()
    .then((schema) => schema.typeName)
    .catch(() => null);
  if (found) settings.typeNames.Call = found;
}

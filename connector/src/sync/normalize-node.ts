// Pure: a Scope node as the sync fetched it → the analytics rows it determines. Normalised values
// (seconds, 0–100 percent, technician, Scope_Updated_At) come from the same mapping as the Salesforce
// records, so the analytics store and Salesforce agree; the rest is read from the `wl_` extras.
import type { ResourceKind } from '../contracts.ts';
import {
  extractWorkOrderReference,
  mapScopeNode,
  parseExternalData
} from '../mapping/index.ts';
import type {
  MappedNode,
  MappingOptions,
  NodeFieldPaths
} from '../mapping/index.ts';
import { contentHash } from './content-hash.ts';
import { EXTRA_PREFIX, baseNode } from './sync-selection.ts';

type Json = Record<string, unknown>;

export interface UserRow {
  user_id: string;
  database_id: string | null;
  name: string | null;
  email: string | null;
  content_hash: string;
}
export interface ScenarioRow {
  scenario_id: string;
  database_id: string | null;
  name: string | null;
  description: string | null;
  published_at: string | null;
  content_hash: string;
}
export interface ReleaseRow {
  release_id: string;
  database_id: string | null;
  scenario_id: string | null;
  version: string | null;
  published_at: string | null;
  content_hash: string;
}
interface WorkOrderColumns {
  work_order_id: string | null;
  work_order_number: string | null;
  case_id: string | null;
  external_data: unknown;
}
export interface SessionRow extends WorkOrderColumns {
  session_id: string;
  database_id: string | null;
  state: string | null;
  session_type: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  idle_duration_seconds: number | null;
  steps_possible: number | null;
  steps_viewed: number | null;
  percent_steps_viewed: number | null;
  scenario_id: string | null;
  release_id: string | null;
  scenario_name: string | null;
  scenario_version: string | null;
  user_id: string | null;
  technician: string | null;
  step_count: number;
  event_count: number;
  photo_count: number;
  scope_updated_at: string | null;
  content_hash: string;
}
export interface StepRow {
  session_step_id: string;
  session_id: string;
  position: number;
  scenario_step_id: string | null;
  step_name: string | null;
  order_index: number | null;
  sequence_name: string | null;
  viewed_at: string | null;
}
export interface EventRow {
  event_id: string;
  session_id: string;
  event_type: string | null;
  created_at: string | null;
  received_at: string | null;
  session_step_id: string | null;
  scenario_step_id: string | null;
  step_name: string | null;
  has_photo: boolean;
  photo_id: string | null;
  photo_file_name: string | null;
  photo_content_type: string | null;
  photo_size_bytes: number | null;
  event_data: unknown;
}
export interface CallRow extends WorkOrderColumns {
  call_id: string;
  database_id: string | null;
  state: string | null;
  created_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  answered: boolean | null;
  caller_user_id: string | null;
  caller_name: string | null;
  expert_user_id: string | null;
  expert_name: string | null;
  participant_count: number | null;
  scope_updated_at: string | null;
  content_hash: string;
}

export interface NormalizedSession {
  kind: 'ScenarioSession';
  row: SessionRow;
  steps: StepRow[];
  events: EventRow[];
  users: UserRow[];
  scenarios: ScenarioRow[];
  releases: ReleaseRow[];
  /** Nested pages cut at the selection's page size (a session with more than 100 steps or events). */
  truncated: string[];
}
export interface NormalizedCall {
  kind: 'Call';
  row: CallRow;
  users: UserRow[];
}

export type NormalizeResult =
  | { ok: true; value: NormalizedSession | NormalizedCall }
  | { ok: false; id: string | null; reason: string };

const obj = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : undefined;
const str = (value: unknown): string | null =>
  typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : null;
const int = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.round(value)
    : null;
function iso(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
const nodes = (connection: unknown): Json[] =>
  ((obj(connection)?.nodes as unknown[] | undefined) ?? [])
    .map(obj)
    .filter((n): n is Json => n !== undefined);
const extra = (node: Json, field: string): unknown =>
  node[`${EXTRA_PREFIX}${field}`];
const hasMore = (connection: unknown): boolean =>
  obj(obj(connection)?.pageInfo)?.hasNextPage === true;

function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function userRow(value: unknown): UserRow | undefined {
  const user = obj(value);
  const id = str(user?.id);
  if (!user || !id) return undefined;
  const fields = {
    user_id: id,
    database_id: str(user.databaseId),
    name: str(user.name),
    email: str(user.email)
  };
  return { ...fields, content_hash: contentHash(fields) };
}

function workOrderColumns(
  rawExternalData: unknown,
  options: MappingOptions
): WorkOrderColumns {
  const parsed = parseExternalData(rawExternalData);
  const data = parsed.ok ? parsed.data : null;
  const reference = extractWorkOrderReference(data, options);
  return {
    work_order_id:
      reference.candidates.find((c) => c.by === 'id')?.value ?? null,
    work_order_number:
      reference.candidates.find((c) => c.by === 'number')?.value ?? null,
    case_id: reference.caseId ?? null,
    external_data: data ?? (parsed.raw === null ? null : { raw: parsed.raw })
  };
}

export interface NormalizeOptions {
  mapping: MappingOptions;
  paths: Record<ResourceKind, NodeFieldPaths>;
}

/** What every row of a node shares: its id, the mapped fields, its hash and work-order columns. */
interface NodeBasics {
  id: string;
  node: Json;
  fields: MappedNode;
  hash: string;
  links: WorkOrderColumns;
}

function normalizeCall({
  id,
  node,
  fields: f,
  hash,
  links
}: NodeBasics): NormalizedCall {
  const caller = userRow(extra(node, 'caller'));
  const expert = userRow(extra(node, 'expert'));
  const participants = extra(node, 'participants');
  return {
    kind: 'Call',
    users: [caller, expert].filter((u): u is UserRow => u !== undefined),
    row: {
      call_id: id,
      database_id: f.Scope_Database_Id__c,
      state: f.State__c,
      created_at: iso(extra(node, 'createdAt')),
      started_at: f.Started_At__c,
      ended_at: f.Ended_At__c,
      duration_seconds: f.Duration_Seconds__c,
      // Answered = the expert connected (a start time); unknown when the schema has no startedAt.
      answered: Object.hasOwn(node, 'startedAt')
        ? f.Started_At__c !== null
        : null,
      caller_user_id: caller?.user_id ?? null,
      caller_name: f.Technician__c,
      expert_user_id: expert?.user_id ?? null,
      expert_name: f.Expert__c,
      participant_count:
        participants === undefined ? null : nodes(participants).length,
      scope_updated_at: f.Scope_Updated_At__c,
      content_hash: hash,
      ...links
    }
  };
}

/** The session's release and its scenario, each a row when Scope gave its id. */
function releaseRows(node: Json): {
  scenarioId: string | null;
  releaseId: string | null;
  scenarios: ScenarioRow[];
  releases: ReleaseRow[];
} {
  const releaseNode = obj(extra(node, 'scenarioRelease'));
  const scenarioNode = obj(releaseNode?.scenario);
  const scenarioId = str(scenarioNode?.id);
  const releaseId = str(releaseNode?.id);
  const scenarios: ScenarioRow[] = [];
  const releases: ReleaseRow[] = [];
  if (scenarioNode && scenarioId) {
    const fields = {
      scenario_id: scenarioId,
      database_id: str(scenarioNode.databaseId),
      name: str(scenarioNode.name),
      description: str(scenarioNode.description),
      published_at: iso(scenarioNode.publishedAt)
    };
    scenarios.push({ ...fields, content_hash: contentHash(fields) });
  }
  if (releaseNode && releaseId) {
    const fields = {
      release_id: releaseId,
      database_id: str(releaseNode.databaseId),
      scenario_id: scenarioId,
      version: str(releaseNode.version),
      published_at: iso(releaseNode.publishedAt)
    };
    releases.push({ ...fields, content_hash: contentHash(fields) });
  }
  return { scenarioId, releaseId, scenarios, releases };
}

function stepRows(node: Json, sessionId: string): StepRow[] {
  return nodes(extra(node, 'steps')).flatMap((step, index) => {
    const stepId = str(step.id);
    if (!stepId) return [];
    const scenarioStep = obj(step.scenarioStep);
    return [
      {
        session_step_id: stepId,
        session_id: sessionId,
        position: index + 1,
        scenario_step_id: str(scenarioStep?.id),
        step_name: str(scenarioStep?.name),
        order_index: int(scenarioStep?.orderIndex),
        sequence_name: str(obj(scenarioStep?.scenarioSequence)?.name),
        viewed_at: iso(step.viewedAt)
      }
    ];
  });
}

function eventRows(node: Json, sessionId: string): EventRow[] {
  return nodes(extra(node, 'events')).flatMap((event) => {
    const eventId = str(event.id);
    if (!eventId) return [];
    // The photo's file URL expires (reference §4 Attachment): only its metadata is kept.
    const photo = obj(event.photo);
    const sessionStep = obj(event.scenarioSessionStep);
    const scenarioStep = obj(sessionStep?.scenarioStep);
    return [
      {
        event_id: eventId,
        session_id: sessionId,
        event_type: str(event.type),
        created_at: iso(event.createdAt),
        received_at: iso(event.receivedAt),
        session_step_id: str(sessionStep?.id),
        scenario_step_id: str(scenarioStep?.id),
        step_name: str(scenarioStep?.name),
        has_photo: photo !== undefined,
        photo_id: str(photo?.id),
        photo_file_name: str(photo?.fileName),
        photo_content_type: str(photo?.fileContentType),
        photo_size_bytes: int(photo?.fileSize),
        event_data: jsonValue(event.eventData)
      }
    ];
  });
}

function normalizeSession(basics: NodeBasics): NormalizedSession {
  const { id, node, fields: f, hash, links } = basics;
  const { scenarioId, releaseId, scenarios, releases } = releaseRows(node);
  const partCreator = nodes(extra(node, 'parts'))[0]?.createdBy;
  const user = userRow(extra(node, 'user')) ?? userRow(partCreator);
  const steps = stepRows(node, id);
  const events = eventRows(node, id);
  const truncated = ['steps', 'events'].filter((field) =>
    hasMore(extra(node, field))
  );
  return {
    kind: 'ScenarioSession',
    users: user ? [user] : [],
    scenarios,
    releases,
    steps,
    events,
    truncated,
    row: {
      session_id: id,
      database_id: f.Scope_Database_Id__c,
      state: f.State__c,
      session_type: str(extra(node, 'sessionType')),
      started_at: f.Started_At__c,
      ended_at: f.Ended_At__c,
      duration_seconds: f.Duration_Seconds__c,
      idle_duration_seconds: f.Idle_Duration_Seconds__c,
      steps_possible: f.Steps_Possible__c,
      steps_viewed: f.Steps_Viewed__c,
      percent_steps_viewed: f.Percent_Steps_Viewed__c,
      scenario_id: scenarioId,
      release_id: releaseId,
      scenario_name: f.Scenario_Name__c,
      scenario_version: f.Scenario_Version__c,
      user_id: user?.user_id ?? null,
      technician: f.Technician__c,
      step_count: steps.length,
      event_count: events.length,
      photo_count: events.filter((e) => e.has_photo).length,
      // The mapping's scopeUpdatedAt over the worker's selection: the value the worker writes to Salesforce.
      scope_updated_at: f.Scope_Updated_At__c,
      content_hash: hash,
      ...links
    }
  };
}

export function normalizeNode(
  kind: ResourceKind,
  node: Json,
  options: NormalizeOptions
): NormalizeResult {
  const id = str(node.id);
  const mapped = mapScopeNode({
    node: baseNode(node),
    kind,
    paths: options.paths[kind],
    options: options.mapping,
    now: new Date(0)
  });
  if (!id || !mapped.ok)
    return {
      ok: false,
      id,
      reason: mapped.ok ? 'node has no id' : mapped.reason
    };
  const basics: NodeBasics = {
    id,
    node,
    fields: mapped.fields,
    hash: contentHash(node),
    links: workOrderColumns(node.externalData, options.mapping)
  };
  return {
    ok: true,
    value: kind === 'Call' ? normalizeCall(basics) : normalizeSession(basics)
  };
}

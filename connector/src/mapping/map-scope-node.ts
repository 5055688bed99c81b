// The pure mapping of one Scope node (ScenarioSession or Call) to the Scope_AR_Session__c fields it
// determines, with every value fitted to its field (lengths, units, ranges) and a warning for each change.
import type { ResourceKind } from '../contracts.ts';
import { parseExternalData } from './external-data.ts';
import { scopeUpdatedAt } from '../scope/updated-at.ts';
import { firstString, firstValue } from './node-paths.ts';
import type { NodePath } from './node-paths.ts';
import type { LinkFields } from './resolve-link.ts';
import {
  MANUAL_LINK_FIELDS,
  MAX_DURATION_SECONDS,
  MAX_STEPS,
  TEXT_FIELD_LENGTHS
} from './session-record.ts';
import type {
  SessionKind,
  SessionRecord,
  TechnicianUserFields,
  TextFieldName
} from './session-record.ts';
import { extractWorkOrderReference } from './work-order-key.ts';
import type { KeyOptions, WorkOrderReference } from './work-order-key.ts';

/** Where each value lives in a node of one type; the selection set files own these (scope/*-fields.ts). */
export interface NodeFieldPaths {
  databaseId: readonly NodePath[];
  state: readonly NodePath[];
  startedAt: readonly NodePath[];
  /** ScenarioSession's older name `finishedAt` belongs here after `endedAt`. */
  endedAt: readonly NodePath[];
  duration: readonly NodePath[];
  idleDuration: readonly NodePath[];
  stepsPossible: readonly NodePath[];
  stepsViewed: readonly NodePath[];
  percentViewed: readonly NodePath[];
  scenarioName: readonly NodePath[];
  scenarioVersion: readonly NodePath[];
  technician: readonly NodePath[];
  /** The technician's email, matched to a Salesforce user (SF_TECHNICIAN_MATCH). */
  technicianEmail: readonly NodePath[];
  expert: readonly NodePath[];
  externalData: readonly NodePath[];
  /** Used for Scope_Updated_At__c when present; else the latest of start, end and event times. */
  updatedAt: readonly NodePath[];
  eventTimes: readonly NodePath[];
}

export interface MappingOptions extends KeyOptions {
  /** Unit of Scope's `duration` / `idleDuration` (undocumented, so configured). */
  durationUnit: 'seconds' | 'milliseconds';
  /** Whether `percentOfStepsViewed` is 0–100 or 0–1 (undocumented, so configured). */
  percentScale: 'percent' | 'fraction';
}

export type MappedNode = Omit<
  SessionRecord,
  keyof LinkFields | keyof TechnicianUserFields
>;

export type MapResult =
  | {
      ok: true;
      fields: MappedNode;
      reference: WorkOrderReference;
      warnings: string[];
    }
  | { ok: false; reason: string };

export interface MapInput {
  node: Record<string, unknown>;
  kind: ResourceKind;
  paths: NodeFieldPaths;
  options: MappingOptions;
  /** Last_Synced_At__c; passed in so the function stays pure. */
  now: Date;
}

const KIND_LABELS: Record<ResourceKind, SessionKind> = {
  ScenarioSession: 'Scenario Session',
  Call: 'Call'
};

export const TRUNCATED_MARKER_KEY = '__worklinkTruncated';

/** Pure: a Scope node → the Scope_AR_Session__c fields it determines (link fields come from resolution). */
export function mapScopeNode(input: MapInput): MapResult {
  const { node, paths, options } = input;
  const id = checkedId(node);
  if (!id.ok) return id;
  const warnings: string[] = [];
  const read = nodeReader(node, warnings);
  // Read in this order so the warnings keep it: times, externalData, then field by field.
  const startedAt = read.dateTime('startedAt', paths.startedAt);
  // Only for its warning on a malformed value; the value itself comes from scopeUpdatedAt.
  read.dateTime('updatedAt', paths.updatedAt);
  const endedAt = read.dateTime('endedAt', paths.endedAt);
  const externalData = parseExternalData(firstValue(node, paths.externalData));
  if (!externalData.ok) warnings.push(externalData.reason);
  const databaseId = read.text('Scope_Database_Id__c', paths.databaseId);
  const state = read.text('State__c', paths.state);
  const fields: MappedNode = {
    Scope_Id__c: id.value,
    Scope_Database_Id__c: databaseId,
    Kind__c: KIND_LABELS[effectiveKind(input)],
    State__c: state,
    Started_At__c: startedAt,
    Ended_At__c: endedAt,
    ...mapMeasures(node, paths, options, warnings),
    Scenario_Name__c: read.text('Scenario_Name__c', paths.scenarioName),
    Scenario_Version__c: read.text(
      'Scenario_Version__c',
      paths.scenarioVersion
    ),
    Technician__c: read.text('Technician__c', paths.technician),
    Technician_Email__c: read.text(
      'Technician_Email__c',
      paths.technicianEmail
    ),
    Expert__c: read.text('Expert__c', paths.expert),
    External_Data__c:
      externalData.raw === null
        ? null
        : limitExternalData(externalData.raw, warnings),
    Scope_Updated_At__c: scopeUpdatedAt(node, paths),
    Last_Synced_At__c: input.now.toISOString()
  };
  const reference = extractWorkOrderReference(
    externalData.ok ? externalData.data : null,
    options
  );
  return { ok: true, fields, reference, warnings };
}

function checkedId(
  node: Record<string, unknown>
): { ok: true; value: string } | { ok: false; reason: string } {
  const id = node.id;
  if (typeof id !== 'string' || id === '')
    return { ok: false, reason: 'node has no id' };
  if (id.length > TEXT_FIELD_LENGTHS.Scope_Id__c) {
    return {
      ok: false,
      reason: `node id longer than ${TEXT_FIELD_LENGTHS.Scope_Id__c} characters`
    };
  }
  return { ok: true, value: id };
}

/** The node's own __typename wins over the kind the event named. */
function effectiveKind({ node, kind }: MapInput): ResourceKind {
  const typename = node.__typename;
  return typename === 'Call' || typename === 'ScenarioSession'
    ? typename
    : kind;
}

/** Text and date-time readers that note each value they had to change in `warnings`. */
function nodeReader(node: Record<string, unknown>, warnings: string[]) {
  return {
    text(field: TextFieldName, fieldPaths: readonly NodePath[]): string | null {
      const value = firstString(node, fieldPaths);
      return value === undefined
        ? null
        : truncateText(value, TEXT_FIELD_LENGTHS[field], field, warnings);
    },
    dateTime(label: string, fieldPaths: readonly NodePath[]): string | null {
      return toIsoDateTime(firstValue(node, fieldPaths), label, warnings);
    }
  };
}

/** Durations, step counts and the viewed percentage, in their Salesforce units and ranges. */
function mapMeasures(
  node: Record<string, unknown>,
  paths: NodeFieldPaths,
  options: MappingOptions,
  warnings: string[]
): Pick<
  MappedNode,
  | 'Duration_Seconds__c'
  | 'Idle_Duration_Seconds__c'
  | 'Steps_Possible__c'
  | 'Steps_Viewed__c'
  | 'Percent_Steps_Viewed__c'
> {
  return {
    Duration_Seconds__c: toSeconds(
      firstValue(node, paths.duration),
      'duration',
      options,
      warnings
    ),
    Idle_Duration_Seconds__c: toSeconds(
      firstValue(node, paths.idleDuration),
      'idleDuration',
      options,
      warnings
    ),
    Steps_Possible__c: toSteps(
      firstValue(node, paths.stepsPossible),
      'numberOfStepsPossible',
      warnings
    ),
    Steps_Viewed__c: toSteps(
      firstValue(node, paths.stepsViewed),
      'numberOfStepsViewed',
      warnings
    ),
    Percent_Steps_Viewed__c: toPercent(
      firstValue(node, paths.percentViewed),
      options,
      warnings
    )
  };
}

/**
 * Joins the node fields with the resolved link fields, truncating the raw key to its field length.
 * `linkedManually`: an admin linked the stored record by hand, so its link fields are left out of the
 * record (the upsert keeps what Salesforce holds) and only the session's own fields are written.
 */
export function buildSessionRecord(
  fields: MappedNode,
  link: LinkFields,
  linkedManually = false
): SessionRecord {
  const key = link.External_Work_Order_Ref__c;
  const maxKey = TEXT_FIELD_LENGTHS.External_Work_Order_Ref__c;
  const links: Partial<LinkFields> = { ...link };
  if (linkedManually)
    for (const field of MANUAL_LINK_FIELDS) delete links[field];
  return {
    ...fields,
    ...links,
    External_Work_Order_Ref__c:
      key === null
        ? null
        : truncateText(key, maxKey, 'External_Work_Order_Ref__c', [])
  };
}

function truncateText(
  value: string,
  max: number,
  field: string,
  warnings: string[]
): string {
  if (value.length <= max) return value;
  warnings.push(`${field} truncated from ${value.length} to ${max} characters`);
  let cut = value.slice(0, max);
  // Never leave half of a surrogate pair at the end.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/**
 * External_Data__c holds the JSON as received. Over the field limit it is replaced by a JSON marker
 * that says so (and keeps as much of the start as fits), with a warning, never silently cut.
 */
function limitExternalData(raw: string, warnings: string[]): string {
  const max = TEXT_FIELD_LENGTHS.External_Data__c;
  if (raw.length <= max) return raw;
  warnings.push(
    `External_Data__c is ${raw.length} characters, over ${max}: stored a truncation marker`
  );
  const envelope = (head: string) =>
    JSON.stringify({
      [TRUNCATED_MARKER_KEY]: true,
      originalLength: raw.length,
      head
    });
  let headLength = max - 200;
  let marker = envelope(raw.slice(0, headLength));
  // Escaping can lengthen the head; shrink until the whole marker fits.
  while (marker.length > max && headLength > 0) {
    headLength -= Math.max(marker.length - max, 64);
    marker = envelope(raw.slice(0, Math.max(headLength, 0)));
  }
  return marker;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function toSeconds(
  value: unknown,
  label: string,
  options: MappingOptions,
  warnings: string[]
): number | null {
  if (value === undefined) return null;
  const n = toNumber(value);
  if (n === undefined || n < 0) {
    warnings.push(
      `${label} ${JSON.stringify(value)} is not a non-negative number: left empty`
    );
    return null;
  }
  const seconds = round2(
    options.durationUnit === 'milliseconds' ? n / 1000 : n
  );
  if (seconds > MAX_DURATION_SECONDS) {
    warnings.push(`${label} ${seconds}s exceeds the field's range: left empty`);
    return null;
  }
  return seconds;
}

function toSteps(
  value: unknown,
  label: string,
  warnings: string[]
): number | null {
  if (value === undefined) return null;
  const n = toNumber(value);
  if (n === undefined || n < 0 || n > MAX_STEPS) {
    warnings.push(
      `${label} ${JSON.stringify(value)} is not a step count: left empty`
    );
    return null;
  }
  return Math.round(n);
}

function toPercent(
  value: unknown,
  options: MappingOptions,
  warnings: string[]
): number | null {
  if (value === undefined) return null;
  const n = toNumber(value);
  if (n === undefined) {
    warnings.push(
      `percentOfStepsViewed ${JSON.stringify(value)} is not a number: left empty`
    );
    return null;
  }
  const percent = options.percentScale === 'fraction' ? n * 100 : n;
  if (percent < 0 || percent > 100) {
    warnings.push(
      `percentOfStepsViewed ${n} is outside 0–100 on the '${options.percentScale}' scale: clamped`
    );
    return round2(Math.min(100, Math.max(0, percent)));
  }
  return round2(percent);
}

function toIsoQuiet(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function toIsoDateTime(
  value: unknown,
  label: string,
  warnings: string[]
): string | null {
  if (value === undefined) return null;
  const iso = toIsoQuiet(value);
  if (iso === null)
    warnings.push(
      `${label} ${JSON.stringify(value)} is not a date-time: left empty`
    );
  return iso;
}

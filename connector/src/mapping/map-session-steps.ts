// Pure: a ScenarioSession node's step block (scope/step-selection.ts) → its Scope_AR_Session_Step__c
// records, without the parent Id (the session upsert returns it). One record per scenario step: Scope's
// `steps` are the ones viewed, `completedSteps` the finished ones, and the PHOTO events name their step.
import { createHash } from 'node:crypto';
import { valuesAt } from './node-paths.ts';
import type { MappedNode } from './map-scope-node.ts';
import { MAX_STEP_NUMBER, STEP_TEXT_LENGTHS } from './step-record.ts';
import type { MappedStep } from './step-record.ts';

/** Where the step block lives in the node (the alias matches scope/step-selection.ts). */
export const STEP_NODE_PATHS = {
  steps: 'steps.nodes',
  completed: 'completedSteps.nodes',
  photos: 'stepPhotos.nodes'
} as const;

type SessionFields = Pick<
  MappedNode,
  'Scope_Id__c' | 'Ended_At__c' | 'Scope_Updated_At__c'
>;

interface ViewedStep {
  id: string;
  viewedAt: string | null;
  completedAt: string | null;
  record: Omit<MappedStep, 'Viewed_At__c' | 'Completed_At__c' | 'Photos__c'>;
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** A step's identity: the scenario's step id (stable across sessions), else the session step's id. */
function stepIdOf(sessionStep: Record<string, unknown>): string | undefined {
  return (
    nonEmpty(asObject(sessionStep.scenarioStep)?.id) ?? nonEmpty(sessionStep.id)
  );
}

/** `session|step`; a pair longer than the field is replaced by its SHA-256, so it stays unique. */
export function stepKey(sessionId: string, stepId: string): string {
  const key = `${sessionId}|${stepId}`;
  return key.length <= STEP_TEXT_LENGTHS.Step_Key__c
    ? key
    : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function fitText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

function fitOrder(value: unknown): number | null {
  return typeof value === 'number' &&
    Number.isInteger(value) &&
    Math.abs(value) <= MAX_STEP_NUMBER
    ? value
    : null;
}

function viewedStep(sessionId: string, node: unknown): ViewedStep | undefined {
  const sessionStep = asObject(node);
  const id = sessionStep && stepIdOf(sessionStep);
  if (!sessionStep || !id) return undefined;
  const scenarioStep = asObject(sessionStep.scenarioStep) ?? {};
  const sequence = asObject(scenarioStep.scenarioSequence);
  return {
    id,
    viewedAt: isoOrNull(sessionStep.viewedAt),
    completedAt: isoOrNull(sessionStep.completedAt),
    record: {
      Step_Key__c: stepKey(sessionId, id),
      Step_Name__c: fitText(
        nonEmpty(scenarioStep.name),
        STEP_TEXT_LENGTHS.Step_Name__c
      ),
      Step_Order__c: fitOrder(scenarioStep.orderIndex),
      Sequence_Name__c: fitText(
        nonEmpty(sequence?.name),
        STEP_TEXT_LENGTHS.Sequence_Name__c
      )
    }
  };
}

/** Completed step ids, each with Scope's completedAt when the tenant has it. */
function completedSteps(
  node: Record<string, unknown>
): Map<string, string | null> {
  const done = new Map<string, string | null>();
  for (const value of valuesAt(node, `${STEP_NODE_PATHS.completed}.*`)) {
    const step = asObject(value);
    const id = step && stepIdOf(step);
    if (step && id) done.set(id, isoOrNull(step.completedAt));
  }
  return done;
}

function photosByStep(node: Record<string, unknown>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of valuesAt(node, `${STEP_NODE_PATHS.photos}.*`)) {
    const step = asObject(asObject(value)?.scenarioSessionStep);
    const id = step && stepIdOf(step);
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * The session's steps, ordered by when they were viewed; undefined when the node carries no step block
 * (a tenant without `steps`, or a custom payload query without it), so nothing is written or cleared.
 * Scope documents no completion time: a completed step without `completedAt` ends when the next step
 * was viewed, else when the session ended, else at the session's last change.
 */
export function mapSessionSteps(
  node: Record<string, unknown>,
  session: SessionFields
): MappedStep[] | undefined {
  if (!asObject(node.steps)) return undefined;
  const seen = new Set<string>();
  const steps: ViewedStep[] = [];
  for (const value of valuesAt(node, `${STEP_NODE_PATHS.steps}.*`)) {
    const step = viewedStep(session.Scope_Id__c, value);
    if (step && !seen.has(step.id)) {
      seen.add(step.id);
      steps.push(step);
    }
  }
  steps.sort(byViewedAt);
  const completed = completedSteps(node);
  const photos = photosByStep(node);
  return steps.map((step, index) => ({
    ...step.record,
    Viewed_At__c: step.viewedAt,
    Completed_At__c: completed.has(step.id)
      ? (completed.get(step.id) ??
        step.completedAt ??
        steps[index + 1]?.viewedAt ??
        session.Ended_At__c ??
        session.Scope_Updated_At__c)
      : null,
    Photos__c: photos.get(step.id) ?? 0
  }));
}

/** Viewed first first; steps without a time keep Scope's order after the timed ones. */
function byViewedAt(a: ViewedStep, b: ViewedStep): number {
  if (a.viewedAt === b.viewedAt) return 0;
  if (a.viewedAt === null) return 1;
  if (b.viewedAt === null) return -1;
  return Date.parse(a.viewedAt) - Date.parse(b.viewedAt);
}

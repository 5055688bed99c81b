import { SCENARIOS, findScenario, findUser } from '../seed/fixtures.ts';
import type { ScenarioStepFixture } from '../seed/fixtures.ts';
import type { CallRecord, SessionRecord } from '../store/records.ts';
import { PARTICIPANT_ROLES, SESSION_STATES } from './undocumented.ts';

// Child objects of sessions and calls are derived from the parent row, never stored. Their database ids
// encode the parent (session id × 100 + position), so node(id:) can find them again.

export interface SessionStepView {
  databaseId: number;
  session: SessionRecord;
  step: ScenarioStepFixture;
  viewedAt: number;
}

export interface SessionEventView {
  databaseId: number;
  session: SessionRecord;
  type: 'STEP_VIEWED' | 'PHOTO';
  createdAt: number;
  step: SessionStepView;
}

export interface SessionPartView {
  databaseId: number;
  session: SessionRecord;
  name: string;
  createdAt: number;
  partNumber: string;
}

export interface ParticipantView {
  databaseId: number;
  call: CallRecord;
  role: string;
  userId: number;
  joinedAt: number | null;
  leftAt: number | null;
}

export const CHILDREN_PER_SESSION = 100;

function stepSeconds(session: SessionRecord): number {
  return session.stepsViewed > 0
    ? session.durationSeconds / session.stepsViewed
    : 0;
}

export function sessionSteps(session: SessionRecord): SessionStepView[] {
  const scenario = findScenario(session.scenarioId);
  if (!scenario) return [];
  return scenario.steps.slice(0, session.stepsViewed).map((step, index) => ({
    databaseId: session.databaseId * CHILDREN_PER_SESSION + step.orderIndex,
    session,
    step,
    viewedAt:
      session.startedAt + Math.round(stepSeconds(session) * index * 1000)
  }));
}

/** Steps the technician finished: all viewed ones, except the one still open in a running session. */
export function completedSessionSteps(
  session: SessionRecord
): SessionStepView[] {
  const steps = sessionSteps(session);
  return session.state === SESSION_STATES.inProgress
    ? steps.slice(0, -1)
    : steps;
}

export function sessionEvents(session: SessionRecord): SessionEventView[] {
  return sessionSteps(session).map((step) => ({
    databaseId: step.databaseId,
    session,
    type: step.step.orderIndex % 3 === 0 ? 'PHOTO' : 'STEP_VIEWED',
    createdAt: step.viewedAt + Math.round(stepSeconds(session) * 500),
    step
  }));
}

const PART_NAMES: Record<number, [string, string]> = {
  401: ['Mechanical seal kit', '1234-ABCD'],
  402: ['Pleated filter 20x25x2', '5678-EFGH']
};

export function sessionParts(session: SessionRecord): SessionPartView[] {
  const part = PART_NAMES[session.scenarioId];
  if (!part || session.stepsViewed < 2) return [];
  return [
    {
      databaseId: session.databaseId * CHILDREN_PER_SESSION + 1,
      session,
      name: part[0],
      partNumber: part[1],
      createdAt: session.startedAt + Math.round(stepSeconds(session) * 1500)
    }
  ];
}

export function callParticipants(call: CallRecord): ParticipantView[] {
  return [
    {
      databaseId: call.databaseId * 10 + 1,
      call,
      role: PARTICIPANT_ROLES.caller,
      userId: call.callerId,
      joinedAt: call.createdAt,
      leftAt: call.endedAt
    },
    {
      databaseId: call.databaseId * 10 + 2,
      call,
      role: PARTICIPANT_ROLES.expert,
      userId: call.expertId,
      joinedAt: call.startedAt,
      leftAt: call.startedAt === null ? null : call.endedAt
    }
  ];
}

export function scenarioOfStep(stepId: number) {
  return SCENARIOS.find((scenario) =>
    scenario.steps.some((step) => step.databaseId === stepId)
  );
}

export function userName(userId: number): string | undefined {
  return findUser(userId)?.name;
}

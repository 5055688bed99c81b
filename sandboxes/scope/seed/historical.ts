import type { SandboxConfig } from '../options.ts';
import type {
  CallRecord,
  ExternalData,
  SessionRecord
} from '../store/records.ts';
import {
  CALL_STATES,
  SESSION_STATES,
  SESSION_TYPES
} from '../schema/undocumented.ts';
import { SCENARIOS, USERS, expertsOf, techniciansOf } from './fixtures.ts';
import { between, createPrng, mixSeed, pick } from './prng.ts';

// Historical sessions and calls are pure functions of (seed, index): nothing is stored, so 100,000 of
// them cost no memory. Database ids are contiguous and ordered by time.

export const FIRST_SESSION_ID = 10_001;
export const FIRST_CALL_ID = 70_001;
const SESSION_STREAM = 1;
const CALL_STREAM = 2;
const SPACING_MS = 17 * 60_000;
/** Every 25th record belongs to the other company (foreign to `sandbox`). */
const FOREIGN_EVERY = 25;

type SeedConfig = SandboxConfig['seed'];

function companyOf(index: number): string {
  return index % FOREIGN_EVERY === FOREIGN_EVERY - 1 ? 'othercorp' : 'sandbox';
}

function workOrderData(seed: SeedConfig, random: () => number): ExternalData {
  if (seed.workOrders.length === 0 || random() >= seed.workOrderShare)
    return {};
  const workOrder = pick(random, seed.workOrders);
  return workOrder.id
    ? { work_order_id: workOrder.id, work_order_number: workOrder.number }
    : { work_order_number: workOrder.number };
}

export function historicalSession(
  seed: SeedConfig,
  count: number,
  index: number
): SessionRecord {
  const random = createPrng(mixSeed(seed.seed, SESSION_STREAM, index));
  const company = companyOf(index);
  const scenario = pick(
    random,
    SCENARIOS.filter((item) => item.company === company)
  );
  const release = pick(random, scenario.releases);
  const user = pick(random, techniciansOf(company));
  const startedAt =
    Date.parse(seed.epoch) -
    (count - index) * SPACING_MS +
    between(random, 0, 600) * 1000;
  const stepsPossible = scenario.steps.length;
  const roll = random();
  const recent = count - index <= 3;
  const state = recent
    ? SESSION_STATES.inProgress
    : roll < 0.85
      ? SESSION_STATES.completed
      : SESSION_STATES.abandoned;
  const stepsViewed =
    state === SESSION_STATES.completed
      ? stepsPossible
      : between(random, 1, stepsPossible - 1);
  const durationSeconds = stepsViewed * between(random, 30, 180);
  const externalData = workOrderData(seed, random);
  if (random() < 0.1) externalData.partNumbers = ['1234-ABCD', '5678-EFGH'];
  const idleDurationSeconds = between(random, 0, 90);
  // duration is active time: the session ends after it plus the idle time.
  const endedAt =
    state === SESSION_STATES.inProgress
      ? null
      : startedAt + (durationSeconds + idleDurationSeconds) * 1000;
  return {
    databaseId: FIRST_SESSION_ID + index,
    company,
    groupId: user.groupId,
    userId: user.databaseId,
    scenarioId: scenario.databaseId,
    releaseId: release.databaseId,
    startedAt,
    endedAt,
    durationSeconds,
    idleDurationSeconds,
    stepsPossible,
    stepsViewed,
    state,
    sessionType: random() < 0.9 ? SESSION_TYPES[0] : SESSION_TYPES[1],
    externalData,
    updatedAt:
      endedAt ?? startedAt + (durationSeconds + idleDurationSeconds) * 1000
  };
}

export function historicalCall(
  seed: SeedConfig,
  count: number,
  index: number
): CallRecord {
  const random = createPrng(mixSeed(seed.seed, CALL_STREAM, index));
  const company = companyOf(index);
  const caller = pick(random, techniciansOf(company));
  const experts = expertsOf(company);
  const expert =
    experts.length > 0
      ? pick(random, experts)
      : USERS.find((user) => user.company === company && user.role === 'admin');
  if (!expert) throw new Error(`no expert for ${company}`);
  const createdAt =
    Date.parse(seed.epoch) -
    (count - index) * SPACING_MS * 3 +
    between(random, 0, 600) * 1000;
  const answered = random() < 0.92;
  const startedAt = answered ? createdAt + between(random, 5, 40) * 1000 : null;
  const durationSeconds = answered ? between(random, 60, 2400) : null;
  const endedAt =
    startedAt !== null && durationSeconds !== null
      ? startedAt + durationSeconds * 1000
      : createdAt + 60_000;
  return {
    databaseId: FIRST_CALL_ID + index,
    company,
    groupId: caller.groupId,
    callerId: caller.databaseId,
    expertId: expert.databaseId,
    createdAt,
    startedAt,
    endedAt,
    durationSeconds,
    state: CALL_STATES.ended,
    externalData: workOrderData(seed, random),
    updatedAt: endedAt
  };
}

// The sandbox's internal rows. Times are epoch milliseconds; the schema layer formats them.

export type ExternalData = Record<string, unknown>;

export interface SessionRecord {
  databaseId: number;
  company: string;
  groupId: number;
  userId: number;
  scenarioId: number;
  releaseId: number;
  startedAt: number;
  endedAt: number | null;
  /** Simulated seconds. */
  durationSeconds: number;
  idleDurationSeconds: number;
  stepsPossible: number;
  stepsViewed: number;
  state: string;
  sessionType: string;
  externalData: ExternalData;
  updatedAt: number;
}

export interface CallRecord {
  databaseId: number;
  company: string;
  groupId: number;
  callerId: number;
  expertId: number;
  createdAt: number;
  /** When the expert connected. */
  startedAt: number | null;
  endedAt: number | null;
  durationSeconds: number | null;
  state: string;
  externalData: ExternalData;
  updatedAt: number;
}

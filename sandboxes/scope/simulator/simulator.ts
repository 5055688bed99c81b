import { findUser, SCENARIOS, techniciansOf } from '../seed/fixtures.ts';
import { encodeNodeId } from '../node-id.ts';
import type { SandboxConfig } from '../options.ts';
import {
  CALL_STATES,
  SESSION_STATES,
  SESSION_TYPES
} from '../schema/undocumented.ts';
import type {
  CallRecord,
  ExternalData,
  SessionRecord
} from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { Change, Notifier } from '../webhooks/notifier.ts';
import {
  CALL_ACTIONS,
  DeeplinkError,
  parseDeeplink
} from './parse-deeplink.ts';
import { backdatedStart, settleEnd } from './timeline.ts';

// The WorkLink app, simulated: a deeplink starts a session (or a call) that advances one step per tick of
// the clock and fires webhooks on every change. Each tick is `clock.secondsPerStep` simulated seconds
// for every time a record shows (timeline.ts); `updatedAt` is the real time of the change.

export interface OpenOptions {
  company?: string;
  /** The technician running the session / placing the call. */
  userId?: number;
}

export interface OpenResult {
  resourceType: 'ScenarioSession' | 'Call';
  id: string;
  databaseId: string;
  action: string;
  externalData: ExternalData;
}

export interface TouchResult {
  id: string;
  databaseId: string;
}

export interface Simulator {
  open(url: string, options?: OpenOptions): Promise<OpenResult>;
  /** Moves every running session and call one step; returns how many moved. */
  advance(): Promise<number>;
  active(): number;
  /** REST v2 "simulate create": a session of a given release (ArContent) with external data. */
  startRelease(
    releaseId: number,
    externalData: ExternalData,
    options?: OpenOptions
  ): Promise<OpenResult>;
  touch(
    kind: 'sessions' | 'calls',
    databaseId: number,
    notify: boolean
  ): Promise<TouchResult | null>;
  mutate(
    kind: 'sessions' | 'calls',
    count: number,
    notify: boolean,
    company?: string
  ): Promise<TouchResult[]>;
  reset(): void;
  close(): void;
}

export interface SimulatorDeps {
  store: Store;
  config: SandboxConfig;
  notifier: Notifier;
  now?: () => number;
}

/** Callers get an ordinary object; spreading keeps `__proto__` as an own key. */
const plainCopy = (data: ExternalData): ExternalData => ({ ...data });

interface Running {
  kind: 'session' | 'call';
  databaseId: number;
  ticks: number;
}

export function createSimulator(deps: SimulatorDeps): Simulator {
  const now = deps.now ?? Date.now;
  const { store, config, notifier } = deps;
  let running: Running[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const style = config.schema.nodeIdStyle;

  const emit = (
    resourceType: 'ScenarioSession' | 'Call',
    company: string,
    databaseId: number,
    change: Change
  ) =>
    notifier.notify({
      company,
      resourceType,
      resourceId: encodeNodeId(resourceType, databaseId, style),
      change
    });

  const stepSession = async (item: Running): Promise<boolean> => {
    const session = store.sessions.get(item.databaseId);
    if (!session || session.state !== SESSION_STATES.inProgress) return false;
    session.stepsViewed = Math.min(
      session.stepsPossible,
      session.stepsViewed + 1
    );
    session.durationSeconds += config.clock.secondsPerStep;
    session.updatedAt = now();
    const done = session.stepsViewed >= session.stepsPossible;
    if (done) {
      session.state = SESSION_STATES.completed;
      const end = settleEnd(
        session.startedAt,
        session.durationSeconds,
        session.idleDurationSeconds,
        now()
      );
      session.endedAt = end.endedAt;
      session.durationSeconds = end.durationSeconds;
    }
    store.sessions.put(session);
    await emit(
      'ScenarioSession',
      session.company,
      session.databaseId,
      done ? 'completed' : 'updated'
    );
    return !done;
  };

  const stepCall = async (item: Running): Promise<boolean> => {
    const call = store.calls.get(item.databaseId);
    if (!call || call.state === CALL_STATES.ended) return false;
    item.ticks += 1;
    const tickMs = config.clock.secondsPerStep * 1000;
    if (call.state === CALL_STATES.created) {
      call.state = CALL_STATES.connected;
      call.startedAt = call.createdAt + tickMs;
      call.durationSeconds = 0;
    } else if (item.ticks > config.clock.callTicks) {
      call.state = CALL_STATES.ended;
      const startedAt = call.startedAt ?? call.createdAt;
      const end = settleEnd(
        startedAt,
        config.clock.callTicks * config.clock.secondsPerStep,
        0,
        now()
      );
      call.endedAt = end.endedAt;
      call.durationSeconds = end.durationSeconds;
    } else {
      return true;
    }
    call.updatedAt = now();
    store.calls.put(call);
    const ended = call.state === CALL_STATES.ended;
    await emit(
      'Call',
      call.company,
      call.databaseId,
      ended ? 'completed' : 'updated'
    );
    return !ended;
  };

  const advanceNow = async (): Promise<number> => {
    const current = running;
    const still: Running[] = [];
    for (const item of current) {
      const keep =
        item.kind === 'session'
          ? await stepSession(item)
          : await stepCall(item);
      if (keep) still.push(item);
    }
    running = [...still, ...running.filter((item) => !current.includes(item))];
    return current.length;
  };

  /** Serialises ticks and opens so webhooks leave in the order changes happened. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  const startClock = () => {
    if (config.clock.manual || timer) return;
    timer = setInterval(() => {
      if (running.length > 0) void serial(advanceNow);
    }, config.clock.stepIntervalMs);
  };

  /** The deep link's user, who must belong to the company it was opened for. */
  const userIn = (company: string, userId: number) => {
    const user = findUser(userId);
    if (!user || user.company !== company)
      throw new DeeplinkError(
        404,
        `Unknown user ${userId} in company ${company}.`
      );
    return user;
  };

  const openSession = async (
    company: string,
    scenarioId: number,
    userId: number,
    externalData: ExternalData
  ): Promise<number> => {
    const scenario = SCENARIOS.find((item) => item.databaseId === scenarioId);
    if (!scenario)
      throw new DeeplinkError(404, `Unknown scenario ${scenarioId}.`);
    const user = userIn(company, userId);
    const latest = scenario.releases[scenario.releases.length - 1];
    const databaseId = store.sessions.nextId();
    const record: SessionRecord = {
      databaseId,
      company,
      groupId: user.groupId,
      userId: user.databaseId,
      scenarioId: scenario.databaseId,
      releaseId: latest?.databaseId ?? 0,
      startedAt: backdatedStart(
        now(),
        scenario.steps.length,
        config.clock.secondsPerStep
      ),
      endedAt: null,
      durationSeconds: 0,
      idleDurationSeconds: 0,
      stepsPossible: scenario.steps.length,
      stepsViewed: 0,
      state: SESSION_STATES.inProgress,
      sessionType: SESSION_TYPES[0],
      externalData,
      updatedAt: now()
    };
    store.sessions.put(record);
    running.push({ kind: 'session', databaseId, ticks: 0 });
    await emit('ScenarioSession', company, databaseId, 'created');
    return databaseId;
  };

  const openCall = async (
    company: string,
    expertId: number,
    callerId: number,
    externalData: ExternalData
  ) => {
    const caller = userIn(company, callerId);
    const databaseId = store.calls.nextId();
    const record: CallRecord = {
      databaseId,
      company,
      groupId: caller.groupId,
      callerId,
      expertId,
      // Created, one tick to connect, callTicks connected: the whole call fits before now.
      createdAt: backdatedStart(
        now(),
        1 + config.clock.callTicks,
        config.clock.secondsPerStep
      ),
      startedAt: null,
      endedAt: null,
      durationSeconds: null,
      state: CALL_STATES.created,
      externalData,
      updatedAt: now()
    };
    store.calls.put(record);
    running.push({ kind: 'call', databaseId, ticks: 0 });
    await emit('Call', company, databaseId, 'created');
    return databaseId;
  };

  const touchRow = async (
    kind: 'sessions' | 'calls',
    databaseId: number,
    notify: boolean
  ): Promise<TouchResult | null> => {
    const type = kind === 'sessions' ? 'ScenarioSession' : 'Call';
    if (kind === 'sessions') {
      const row = store.sessions.get(databaseId);
      if (!row) return null;
      // Five more seconds count as idle: an ended session keeps its start and end, so they come out of
      // its active duration (duration = end − start − idle).
      const idle = row.endedAt === null ? 5 : Math.min(5, row.durationSeconds);
      row.idleDurationSeconds += idle;
      if (row.endedAt !== null) row.durationSeconds -= idle;
      if (
        row.state === SESSION_STATES.abandoned &&
        row.stepsViewed < row.stepsPossible
      )
        row.stepsViewed += 1;
      row.updatedAt = now();
      store.sessions.put(row);
      if (notify) await emit(type, row.company, databaseId, 'updated');
      return {
        id: encodeNodeId(type, databaseId, style),
        databaseId: String(databaseId)
      };
    }
    const row = store.calls.get(databaseId);
    if (!row) return null;
    // One more second of call: the expert connected a second earlier (the end stays where it was, so
    // duration = end − start still holds and nothing moves into the future).
    if (row.startedAt !== null && row.durationSeconds !== null) {
      row.startedAt -= 1000;
      row.durationSeconds += 1;
      row.createdAt = Math.min(row.createdAt, row.startedAt);
    } else {
      row.createdAt -= 1000;
    }
    row.updatedAt = now();
    store.calls.put(row);
    if (notify) await emit(type, row.company, databaseId, 'updated');
    return {
      id: encodeNodeId(type, databaseId, style),
      databaseId: String(databaseId)
    };
  };

  startClock();

  return {
    open(url, options = {}) {
      return serial(async () => {
        const company = options.company ?? 'sandbox';
        const link = parseDeeplink(url, config.deeplink);
        const technician =
          options.userId ?? techniciansOf(company)[0]?.databaseId;
        if (technician === undefined)
          throw new DeeplinkError(404, `Company ${company} has no technician.`);
        if ((CALL_ACTIONS as readonly string[]).includes(link.action)) {
          const userParam = link.target[config.deeplink.userParam];
          const expert =
            userParam && /^\d+$/.test(userParam)
              ? findUser(Number(userParam))
              : undefined;
          if (!expert || expert.company !== company) {
            throw new DeeplinkError(
              404,
              `Unknown user ${JSON.stringify(userParam ?? null)} in company ${company}.`
            );
          }
          const databaseId = await openCall(
            company,
            expert.databaseId,
            technician,
            link.externalData
          );
          return {
            resourceType: 'Call',
            id: encodeNodeId('Call', databaseId, style),
            databaseId: String(databaseId),
            action: link.action,
            externalData: plainCopy(link.externalData)
          };
        }
        const { asset, catalog, scenario: scenarioParam } = link.target;
        const scenario = SCENARIOS.find(
          (item) =>
            item.company === company &&
            ((asset !== undefined && item.assetId === asset) ||
              (catalog !== undefined &&
                String(item.catalogDatabaseId) === catalog) ||
              (scenarioParam !== undefined &&
                String(item.databaseId) === scenarioParam))
        );
        if (!scenario) {
          const what =
            asset !== undefined
              ? `asset ${JSON.stringify(asset)}`
              : catalog !== undefined
                ? `catalog ${catalog}`
                : `scenario ${JSON.stringify(scenarioParam ?? null)}`;
          throw new DeeplinkError(
            404,
            `No scenario catalog for ${what} in company ${company}.`
          );
        }
        const databaseId = await openSession(
          company,
          scenario.databaseId,
          technician,
          link.externalData
        );
        return {
          resourceType: 'ScenarioSession',
          id: encodeNodeId('ScenarioSession', databaseId, style),
          databaseId: String(databaseId),
          action: link.action,
          externalData: plainCopy(link.externalData)
        };
      });
    },
    startRelease(releaseId, externalData, options = {}) {
      return serial(async () => {
        const company = options.company ?? 'sandbox';
        const scenario = SCENARIOS.find(
          (item) =>
            item.company === company &&
            item.releases.some((release) => release.databaseId === releaseId)
        );
        const technician =
          options.userId ?? techniciansOf(company)[0]?.databaseId;
        if (!scenario || technician === undefined)
          throw new DeeplinkError(404, `Unknown ar_content ${releaseId}.`);
        const databaseId = await openSession(
          company,
          scenario.databaseId,
          technician,
          externalData
        );
        const session = store.sessions.get(databaseId);
        if (session) store.sessions.put({ ...session, releaseId });
        return {
          resourceType: 'ScenarioSession',
          id: encodeNodeId('ScenarioSession', databaseId, style),
          databaseId: String(databaseId),
          action: 'work_instruction_sessions',
          externalData: plainCopy(externalData)
        };
      });
    },
    advance: () => serial(advanceNow),
    active: () => running.length,
    touch: (kind, databaseId, notify) =>
      serial(() => touchRow(kind, databaseId, notify)),
    mutate(kind, count, notify, company = 'sandbox') {
      return serial(async () => {
        const table = kind === 'sessions' ? store.sessions : store.calls;
        const picked: number[] = [];
        // Most recent rows first: the ones an incremental import is most likely to have seen already.
        for (const row of table.descending()) {
          if (picked.length >= count) break;
          if (row.company === company) picked.push(row.databaseId);
        }
        const results: TouchResult[] = [];
        for (const databaseId of picked) {
          const result = await touchRow(kind, databaseId, notify);
          if (result) results.push(result);
        }
        return results;
      });
    },
    reset() {
      running = [];
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      running = [];
    }
  };
}

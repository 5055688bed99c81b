// The connector's share of the org's daily Salesforce API allowance (SF_API_BUDGET), spent evenly: at
// most budget × window / 24 h calls in any SF_API_BUDGET_WINDOW_SECONDS, never more than the budget in
// 24 hours (Salesforce's own rolling window), and nothing at all while the org as a whole is above
// SF_API_USAGE_SLOWDOWN of its allowance (other integrations come first). The worker asks before each
// batch (admission), so work waits in the queue, where updates of one session coalesce into one job.
// The spend is kept in a ledger shared by every replica (PostgreSQL) once the connector's database is open.
import type { ApiUsage } from './salesforce-http.ts';

export type ApiBudgetSetting =
  { kind: 'share'; fraction: number } | { kind: 'calls'; perDay: number };

/** `10%` (a share of the org's daily allowance) or `5000` (calls per 24 h); empty → no budget. */
export function parseApiBudget(text: string): ApiBudgetSetting | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (share) {
    const percent = Number(share[1]);
    if (percent > 0 && percent <= 100)
      return { kind: 'share', fraction: percent / 100 };
  } else if (/^\d+$/.test(value) && Number(value) > 0) {
    return { kind: 'calls', perDay: Number(value) };
  }
  throw new Error(
    `expected a share of the daily allowance such as 10% (0–100 %) or a number of calls per day such as 5000, got "${text}"`
  );
}

export interface SpendLedger {
  record(calls: number, at: Date): Promise<void>;
  /** Calls recorded at or after each instant (one read for all of them). */
  spentSince(instants: readonly Date[]): Promise<number[]>;
}

/** One process's ledger, for commands without a database; the connector attaches the shared one. */
export function createMemoryLedger(): SpendLedger {
  const entries: { at: number; calls: number }[] = [];
  return {
    record: async (calls, at) => {
      entries.push({ at: at.getTime(), calls });
      const dayAgo = at.getTime() - DAY_MS;
      while (entries.length > 0 && (entries[0]?.at ?? 0) < dayAgo)
        entries.shift();
    },
    spentSince: async (instants) =>
      instants.map((since) =>
        entries
          .filter((e) => e.at >= since.getTime())
          .reduce((sum, e) => sum + e.calls, 0)
      )
  };
}

export type BudgetBlock = 'window' | 'daily' | 'org';

/**
 * Whose calls: session records (the budget's whole window and day) or photo copies, which may wait and
 * spend at most FILES_BUDGET_SHARE of each, so session records always have the rest.
 */
export type BudgetWork = 'sessions' | 'files';

export interface BudgetState {
  /** Calls per 24 h the connector may spend; undefined without a budget or while the allowance is unknown. */
  dailyBudget?: number;
  windowAllowance?: number;
  spentWindow: number;
  spent24h: number;
  /** The last hour's spend × 24. */
  projected24h: number;
  orgUsage?: ApiUsage;
  blocked?: BudgetBlock;
  /** When blocked: how long to wait before asking again. */
  retryInMs: number;
}

export interface ApiBudgetOptions {
  setting?: ApiBudgetSetting;
  windowSeconds: number;
  /** Fraction of the org's allowance above which the connector spends nothing (SF_API_USAGE_SLOWDOWN). */
  orgYieldAt: number;
  /** Share (0–1] of the window's allowance and of the day's budget that photo copies may use. */
  filesShare?: number;
  now?: () => number;
  logger?: { warn(fields: object, message: string): void };
}

export interface ApiBudget {
  check(work?: BudgetWork): Promise<BudgetState>;
  /** ms the worker should wait before its next batch (0: go). */
  admission(work?: BudgetWork): Promise<number>;
  /** One call was made (counted whatever its outcome: Salesforce counts it too). */
  spend(calls?: number): void;
  observeOrgUsage(usage: ApiUsage): void;
  /** From now on the spend goes to (and is read from) this ledger. */
  attachLedger(ledger: SpendLedger): void;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** What one batch may still spend once admitted (work-order queries, upserts, the Case fallback). */
export const BATCH_CALL_RESERVE = 5;

function dailyBudget(
  setting: ApiBudgetSetting | undefined,
  org: ApiUsage | undefined
): number | undefined {
  if (!setting) return undefined;
  if (setting.kind === 'calls') return setting.perDay;
  return org && org.max > 0
    ? Math.floor(org.max * setting.fraction)
    : undefined;
}

/** While the org is over its share: how often one batch may run to learn the current usage. */
const orgProbeMs = (options: ApiBudgetOptions) =>
  Math.min(options.windowSeconds * 1000, 60_000);

interface Observed {
  usage: ApiUsage;
  at: number;
}

function blockOf(
  options: ApiBudgetOptions,
  state: Omit<BudgetState, 'blocked' | 'retryInMs'>,
  observed: Observed | undefined,
  now: number,
  share: number
): BudgetBlock | undefined {
  // a usage figure older than the probe interval lets one batch through: only a call brings a fresh one
  if (
    observed &&
    observed.usage.max > 0 &&
    observed.usage.used / observed.usage.max >= options.orgYieldAt &&
    now - observed.at < orgProbeMs(options)
  )
    return 'org';
  if (state.dailyBudget === undefined) return undefined;
  if (state.spent24h + BATCH_CALL_RESERVE > state.dailyBudget * share)
    return 'daily';
  if (state.spentWindow >= (state.windowAllowance ?? Infinity) * share)
    return 'window';
  return undefined;
}

export function createApiBudget(options: ApiBudgetOptions): ApiBudget {
  const now = options.now ?? Date.now;
  let ledger = createMemoryLedger();
  let observed: Observed | undefined;
  const shareOf = (work: BudgetWork) =>
    work === 'files' ? (options.filesShare ?? 1) : 1;
  const check = async (work: BudgetWork = 'sessions'): Promise<BudgetState> => {
    const at = now();
    const windowMs = options.windowSeconds * 1000;
    const [spentWindow = 0, spentHour = 0, spent24h = 0] =
      await ledger.spentSince(
        [at - windowMs, at - HOUR_MS, at - DAY_MS].map((t) => new Date(t))
      );
    const daily = dailyBudget(options.setting, observed?.usage);
    const state = {
      ...(daily === undefined
        ? {}
        : {
            dailyBudget: daily,
            // at least one batch per window, so that a small budget still moves
            windowAllowance: Math.max(
              BATCH_CALL_RESERVE,
              (daily * windowMs) / DAY_MS
            )
          }),
      spentWindow,
      spent24h,
      projected24h: spentHour * 24,
      ...(observed ? { orgUsage: observed.usage } : {})
    };
    const blocked = blockOf(options, state, observed, at, shareOf(work));
    if (!blocked) return { ...state, retryInMs: 0 };
    const retryInMs =
      blocked === 'org' ? orgProbeMs(options) : Math.min(windowMs, 60_000);
    return { ...state, blocked, retryInMs };
  };
  return {
    check,
    admission: async (work = 'sessions') => {
      const state = await check(work);
      if (state.blocked)
        options.logger?.warn(
          {
            work,
            blocked: state.blocked,
            spent24h: state.spent24h,
            dailyBudget: state.dailyBudget
          },
          'Salesforce API budget: the worker waits'
        );
      return state.retryInMs;
    },
    spend: (calls = 1) => {
      ledger
        .record(calls, new Date(now()))
        .catch((error: unknown) =>
          options.logger?.warn(
            { err: error },
            'could not record Salesforce API spend'
          )
        );
    },
    observeOrgUsage: (usage) => {
      observed = { usage, at: now() };
    },
    attachLedger: (next) => {
      ledger = next;
    }
  };
}

// The integration user's setup as Salesforce itself reports it: a describe of each object the connector
// writes says whether every field exists and is createable and updateable for this user. That is what
// the WorkLink_Integration permission set grants (whether assigned directly, through a permission set
// group or as a customer's copy), so the check tests the effect of the assignment, not a name. Two
// describe calls at start, then every 6 hours while all is well (8 calls a day) and hourly while a problem
// lasts, so that an admin's fix shows soon. Counted in the heartbeat's own daily cap.
import type { FieldCheck } from '../salesforce/check-writable-fields.ts';

export const SETUP_CHECK_INTERVAL_MS = 6 * 3_600_000;
export const SETUP_RECHECK_PROBLEMS_MS = 3_600_000;

export interface SetupCheckTarget {
  sobject: string;
  fields: readonly string[];
}

export interface SetupState {
  checkedAt: Date;
  /** One line per problem, e.g. `Scope_AR_Session__c.Work_Order__c: not-updateable`; empty when all is well. */
  problems: string[];
}

export interface SetupCheckOptions {
  targets: readonly SetupCheckTarget[];
  checkFields(
    fields: readonly string[],
    sobject: string
  ): Promise<FieldCheck[]>;
  intervalMs?: number;
  problemIntervalMs?: number;
  now?: () => number;
}

/** Why a describe failed, without its body (it may echo the request): the error's code or status. */
function describeFailure(sobject: string, error: unknown): string {
  const { errorCode, status } = (error ?? {}) as {
    errorCode?: unknown;
    status?: unknown;
  };
  const reason =
    typeof errorCode === 'string'
      ? errorCode
      : typeof status === 'number'
        ? `HTTP ${status}`
        : 'no answer';
  return `${sobject}: could not describe (${reason})`;
}

async function checkTarget(
  options: SetupCheckOptions,
  target: SetupCheckTarget
): Promise<string[]> {
  try {
    const problems = await options.checkFields(target.fields, target.sobject);
    return problems.map((p) => `${target.sobject}.${p.field}: ${p.problem}`);
  } catch (error) {
    return [describeFailure(target.sobject, error)];
  }
}

/** The last check's result, refreshed when it is older than the interval. Never throws. */
export function createSetupCheck(options: SetupCheckOptions): {
  current(): Promise<SetupState>;
} {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? SETUP_CHECK_INTERVAL_MS;
  const problemIntervalMs =
    options.problemIntervalMs ?? SETUP_RECHECK_PROBLEMS_MS;
  let last: SetupState | undefined;
  const fresh = (state: SetupState, at: number) =>
    at - state.checkedAt.getTime() <
    (state.problems.length > 0 ? problemIntervalMs : intervalMs);
  return {
    async current() {
      const at = now();
      if (last && fresh(last, at)) return last;
      const problems: string[] = [];
      for (const target of options.targets)
        problems.push(...(await checkTarget(options, target)));
      last = { checkedAt: new Date(at), problems };
      return last;
    }
  };
}

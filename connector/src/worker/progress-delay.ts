// How much longer progress updates coalesce while the Salesforce API budget runs low: final states keep
// their window, progress jobs wait up to WIDEN_MAX × their window more, so a tight budget is spent on
// completed sessions and ended calls first. Read from the budget's own state (api-budget.ts check()).
import type { BudgetState } from '../salesforce/api-budget.ts';

/** Share of the window's (or the day's) allowance spent from which the progress window widens. */
export const WIDEN_FROM = 0.5;
/** At the whole allowance spent, a progress job waits this many windows more. */
export const WIDEN_MAX = 9;

/** The budget's pressure: the larger of the window's and the day's spent share (0 without a budget). */
export function budgetPressure(state: BudgetState): number {
  const shares = [
    state.windowAllowance ? state.spentWindow / state.windowAllowance : 0,
    state.dailyBudget ? state.spent24h / state.dailyBudget : 0
  ];
  return Math.max(0, ...shares);
}

/** Seconds a progress job waits beyond its start time: 0 up to WIDEN_FROM, then linear to WIDEN_MAX windows. */
export function extraProgressSeconds(
  state: BudgetState,
  progressSeconds: number
): number {
  const pressure = budgetPressure(state);
  if (pressure <= WIDEN_FROM) return 0;
  const share = Math.min(1, (pressure - WIDEN_FROM) / (1 - WIDEN_FROM));
  return Math.max(progressSeconds, 1) * WIDEN_MAX * share;
}

import { faultsSchema, type Faults } from './options.ts';

// The fault switches, changed at run time through PUT /sandbox/faults.

export interface FaultState {
  get(): Faults;
  /** Merges a partial update; returns the new switches. */
  set(update: Partial<Faults>): Faults;
  reset(): void;
}

export function createFaultState(initial: Partial<Faults>): FaultState {
  let current = faultsSchema.parse(initial);
  return {
    get: () => current,
    set(update) {
      current = faultsSchema.parse({ ...current, ...update });
      return current;
    },
    reset() {
      current = faultsSchema.parse(initial);
    }
  };
}

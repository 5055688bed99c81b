// The sync's counters, registered on the runtime's prom-client registry (ConnectorMetrics.registry) so
// they appear on its /metrics. Registering twice on one registry returns the existing counters.
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

export type SyncOutcome = 'succeeded' | 'failed' | 'interrupted' | 'skipped';

export interface SyncMetrics {
  written(entity: 'scenario_session' | 'call', count: number): void;
  repaired(count: number): void;
  run(outcome: SyncOutcome): void;
}

export const noopSyncMetrics: SyncMetrics = {
  written: () => undefined,
  repaired: () => undefined,
  run: () => undefined
};

function counter<T extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly T[]
): Counter<T> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<T>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function createSyncMetrics(registry: Registry): SyncMetrics {
  const written = counter(
    registry,
    'worklink_sync_written_total',
    'Analytics rows written by sync passes (content changed)',
    ['entity']
  );
  const repaired = counter(
    registry,
    'worklink_sync_repaired_total',
    'Salesforce records repaired by reconciliation',
    []
  );
  const runs = counter(
    registry,
    'worklink_sync_runs_total',
    'Sync passes by outcome',
    ['outcome']
  );
  return {
    written: (entity, count) => written.inc({ entity }, count),
    repaired: (count) => repaired.inc(count),
    run: (outcome) => runs.inc({ outcome })
  };
}

// The BatchProcessor: one batch of events becomes one outcome per resource, through stages that each
// take the resources the previous one could take further and settle the others:
// coalesce → name (kind from the event or Scope) → collect nodes (payload or fetch, mapped)
// → resolve work orders → check stored sessions (older payloads, manual links, owner) → resolve technicians
// → write sessions (upsert, Case and owner fallbacks) → write their steps → update rollups (work
// orders, assets, cases) — neither of the last two ever changes an outcome → outcomes.
import type { BatchProcessor } from '../contracts.ts';
import type { Batch } from './batch.ts';
import { collectNodes } from './collect-nodes.ts';
import { nameResources } from './name-resources.ts';
import { OutcomeLedger } from './outcome-ledger.ts';
import { learnCallType, resolveSettings } from './processor-settings.ts';
import type { BatchProcessorOptions } from './processor-settings.ts';
import {
  checkStoredSessions,
  readStoredSessions
} from './check-stored-sessions.ts';
import { coalesce } from './resources.ts';
import { resolveTechnicians } from './resolve-technicians.ts';
import { resolveWorkOrders } from './resolve-work-orders.ts';
import { writeSessions } from './write-sessions.ts';
import { updateRollups } from './update-rollups.ts';
import { writeSteps } from './write-steps.ts';

export type { BatchProcessorOptions } from './processor-settings.ts';

export function createBatchProcessor(
  options: BatchProcessorOptions
): BatchProcessor {
  const settings = resolveSettings(options);
  return {
    async process(events) {
      await learnCallType(settings, options.typeNames);
      const stamp = settings.now();
      const batch: Batch = {
        settings,
        stamp,
        outcomes: new OutcomeLedger({
          log: settings.log,
          stamp,
          notFoundWindowMs: settings.notFoundWindowMs,
          notFoundRetryAfterSeconds: settings.notFoundRetryAfterSeconds
        })
      };
      const resources = coalesce(events);
      await nameResources(batch, resources);
      const prepared = await collectNodes(batch, resources);
      if (prepared.length > 0) {
        // both lookups start now, so a batched reader sends them in one Composite call
        const stored = readStoredSessions(batch, prepared);
        const { index, resolvable } = await resolveWorkOrders(batch, prepared);
        const writable = await checkStoredSessions(
          batch,
          resolvable,
          index,
          stored
        );
        const technicians = await resolveTechnicians(batch, writable);
        await writeSessions(batch, writable, index, technicians);
        await writeSteps(batch, writable);
        await updateRollups(batch, writable, index);
      }
      return batch.outcomes.finish(resources);
    }
  };
}

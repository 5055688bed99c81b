// Latency by event kind: the benchmark wraps the connector's BatchProcessor (it only watches) and notes,
// for every session written, when the Salesforce write returned and which of its deliveries the batch
// had loaded. A write carries the state of every delivery it loaded (the node is fetched after the
// deliveries are read), so a delivery's latency runs from its acknowledgement to the first write that
// loaded it or a later delivery of the same session.
import type { BatchProcessor } from '../../connector/src/contracts.ts';
import type { DeliveryKind, ScheduledDelivery } from './schedule.ts';

export interface WriteLog {
  /** Wraps the processor; every written resource's coverage is noted when process() returns. */
  wrap(processor: BatchProcessor): BatchProcessor;
  /** Acknowledgement (epoch ms) of a delivery, from the poster. */
  acknowledged(deliveryId: string, at: number): void;
  /** ms from acknowledgement to the write carrying the delivery's state, by kind. */
  latencies(): Record<DeliveryKind, number[]>;
}

export function createWriteLog(
  schedule: readonly ScheduledDelivery[][]
): WriteLog {
  const byDelivery = new Map<string, ScheduledDelivery>();
  for (const life of schedule)
    for (const d of life) byDelivery.set(d.deliveryId, d);
  /** session index → writes in time order: when, and the latest position in its life they carried. */
  const writes = new Map<number, { at: number; seq: number }[]>();
  const acks = new Map<string, number>();
  const note = (
    events: { resourceId: string; deliveryId?: string }[],
    written: Set<string>
  ) => {
    const at = Date.now();
    const latest = new Map<number, number>();
    for (const event of events) {
      const d = event.deliveryId ? byDelivery.get(event.deliveryId) : undefined;
      if (!d || !written.has(event.resourceId)) continue;
      latest.set(
        d.sessionIndex,
        Math.max(latest.get(d.sessionIndex) ?? -1, d.seq)
      );
    }
    for (const [session, seq] of latest) {
      const list = writes.get(session) ?? [];
      list.push({ at, seq });
      writes.set(session, list);
    }
  };
  return {
    wrap: (processor) => ({
      async process(events) {
        const outcomes = await processor.process(events);
        const written = new Set(
          outcomes
            .filter((o) => o.status === 'written')
            .map((o) => o.resourceId)
        );
        note(events, written);
        return outcomes;
      }
    }),
    acknowledged: (deliveryId, at) => {
      if (!acks.has(deliveryId)) acks.set(deliveryId, at);
    },
    latencies: () => latenciesByKind(schedule, writes, acks)
  };
}

function latenciesByKind(
  schedule: readonly ScheduledDelivery[][],
  writes: Map<number, { at: number; seq: number }[]>,
  acks: Map<string, number>
): Record<DeliveryKind, number[]> {
  const result: Record<DeliveryKind, number[]> = {
    created: [],
    progress: [],
    completed: []
  };
  for (const life of schedule) {
    for (const d of life) {
      const ack = acks.get(d.deliveryId);
      const write = writes.get(d.sessionIndex)?.find((w) => w.seq >= d.seq);
      if (ack === undefined || !write) continue;
      result[d.kind].push(Math.max(0, write.at - ack));
    }
  }
  for (const list of Object.values(result)) list.sort((x, y) => x - y);
  return result;
}

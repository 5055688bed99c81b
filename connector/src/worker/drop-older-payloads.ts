// Stage 4 of a batch: out-of-order protection. A node taken from a payload may be older than what
// Salesforce already holds (deliveries arrive out of order); a fetched node is Scope's current state
// by definition and always written.
import type { Batch } from './batch.ts';
import { classifyError } from './classify-error.ts';
import type { Prepared } from './resources.ts';

/** The sessions still to write; the older payloads are skipped, and all payloads retried if the read fails. */
export async function dropOlderPayloads(
  batch: Batch,
  items: readonly Prepared[]
): Promise<Prepared[]> {
  const fromPayload = items.filter((p) => p.fromPayload);
  if (fromPayload.length === 0) return [...items];
  let stored: Map<string, string | null>;
  try {
    stored = await batch.settings.salesforce.readUpdatedAt(
      fromPayload.map((p) => p.fields.Scope_Id__c)
    );
  } catch (error) {
    const c = classifyError(error);
    for (const p of fromPayload) batch.outcomes.settleClassified(p.resource, c);
    return items.filter((p) => !p.fromPayload);
  }
  return items.filter((p) => {
    if (!p.fromPayload) return true;
    const existing = stored.get(p.fields.Scope_Id__c);
    const ours = p.fields.Scope_Updated_At__c;
    if (existing && ours && Date.parse(existing) > Date.parse(ours)) {
      batch.outcomes.settle(p.resource, {
        status: 'skipped',
        reason: `Salesforce already holds a newer state (${existing} > ${ours})`
      });
      return false;
    }
    return true;
  });
}

// Between stages 4 and 5 of a batch: the Salesforce users of the sessions' technicians, in one SOQL query for the
// whole batch (cached between batches, see technician-cache.ts). A failed lookup never holds a session
// back: the batch is written without touching the technician lookup or the owner.
import { TECHNICIAN_MATCH_FIELDS } from '../salesforce/session-lookups.ts';
import type { TechnicianUserFields } from '../mapping/session-record.ts';
import type { Batch } from './batch.ts';
import type { Prepared } from './resources.ts';

/** Lower-cased technician email → user Id (null: no unique active user); undefined: leave them alone. */
export type TechnicianUsers = ReadonlyMap<string, string | null> | undefined;

const matchKey = (p: Prepared) =>
  p.fields.Technician_Email__c?.trim().toLowerCase() || undefined;

export async function resolveTechnicians(
  batch: Batch,
  items: readonly Prepared[]
): Promise<TechnicianUsers> {
  const { technicians, salesforce } = batch.settings;
  if (!technicians || !salesforce.findTechnicianUsers) return undefined;
  const values = [
    ...new Set(items.map(matchKey).filter((v): v is string => !!v))
  ];
  if (values.length === 0) return new Map();
  try {
    return await salesforce.findTechnicianUsers(technicians.match, values);
  } catch (error) {
    batch.settings.log?.warn(
      {
        error: (error as Error).message,
        match: TECHNICIAN_MATCH_FIELDS[technicians.match]
      },
      'technician user lookup failed: this batch leaves Technician_User__c and the owner as they are'
    );
    return undefined;
  }
}

/** The technician lookup and, where allowed, the owner of one record. */
export function technicianFields(
  batch: Batch,
  p: Prepared,
  users: TechnicianUsers,
  withOwner: boolean
): TechnicianUserFields {
  if (!users) return {};
  const key = matchKey(p);
  const userId = (key && users.get(key)) || null;
  const owner =
    userId &&
    withOwner &&
    batch.settings.technicians?.owner &&
    p.ownerTransferable &&
    !batch.settings.refusedOwners.get(userId);
  return { Technician_User__c: userId, ...(owner ? { OwnerId: userId } : {}) };
}

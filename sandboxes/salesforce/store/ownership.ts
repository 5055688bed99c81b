// Who may own a record, as Salesforce decides it when a write sets OwnerId: the new owner must be an
// active user (INACTIVE_OWNER_OR_USER) who can read the object (TRANSFER_REQUIRES_READ), and changing
// the owner of an existing record needs its current owner, an admin, or Modify All on the object
// (INSUFFICIENT_ACCESS_OR_READONLY). Creating a record for another user needs none of that.
import { recordError } from '../errors.ts';
import type { RecordError } from '../errors.ts';
import type { Schema, SObjectDef } from '../schema/types.ts';
import { normalizeId } from './ids.ts';
import type { SRecord } from './record-store.ts';

export interface OwnershipDeps {
  user(id: string): SRecord | undefined;
  actingUserId(): string;
  isAdmin(userId: string): boolean;
  /** Whether this user's permission sets (or profile) let them read the object. */
  canRead(userId: string, sobject: string): boolean;
}

export type OwnerCheck = (
  schema: Schema,
  def: SObjectDef,
  record: SRecord,
  existing: SRecord | undefined
) => RecordError | null;

function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const id = normalizeId(a);
  return id !== null && id === normalizeId(b);
}

export function createOwnerCheck(deps: OwnershipDeps): OwnerCheck {
  return (schema, def, record, existing) => {
    const next = record.OwnerId;
    if (!def.fields.has('OwnerId') || typeof next !== 'string') return null;
    const acting = deps.actingUserId();
    if (same(next, existing ? existing.OwnerId : acting)) return null;
    const user = deps.user(next);
    // not a user at all: the reference check of the write answers it
    if (!user) return null;
    if (user.IsActive === false)
      return recordError(
        'INACTIVE_OWNER_OR_USER',
        `operation performed with inactive user [${next}] as owner of ${def.name}`
      );
    if (!deps.canRead(next, def.name))
      return recordError(
        'TRANSFER_REQUIRES_READ',
        'The new owner must have read permission'
      );
    const mayTransfer =
      !existing ||
      same(existing.OwnerId, acting) ||
      deps.isAdmin(acting) ||
      schema.access.objectAccess(def.name).modifyAll === true;
    return mayTransfer
      ? null
      : recordError(
          'INSUFFICIENT_ACCESS_OR_READONLY',
          'insufficient access rights on object id'
        );
  };
}

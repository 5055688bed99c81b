// Record ownership as Salesforce enforces it when a write sets OwnerId: the owner must be active and
// able to read the object, and only the owner (or Modify All, or an admin) may hand a record on.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { connectedSandbox } from './helpers.ts';

const users = new Map<string, string>();
let ctx: ReturnType<typeof connectedSandbox>;

async function readUsers() {
  const result = await ctx.conn.query<{ Id: string; Username: string }>(
    'SELECT Id, Username FROM User'
  );
  for (const row of result.records)
    users.set(row.Username.split('@')[0] ?? '', row.Id);
}

const user = (handle: string) => {
  const id = users.get(handle);
  assert.ok(id, `seeded user ${handle}`);
  return id;
};

let sequence = 0;
async function createSession(ownerId?: string) {
  sequence += 1;
  return ctx.conn.sobject('Scope_AR_Session__c').create({
    Scope_Id__c: `owner-test-${sequence}`,
    Kind__c: 'Scenario Session',
    ...(ownerId ? { OwnerId: ownerId } : {})
  });
}

/** The errorCode a single-record write is refused with (jsforce throws on the REST 400). */
async function refusal(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (error) {
    return String((error as { errorCode?: string }).errorCode);
  }
  return 'accepted';
}

describe('record ownership', () => {
  ctx = connectedSandbox();
  before(readUsers);
  it('creates a record owned by another active user who can read the object', async () => {
    const created = await createSession(user('alex.kim'));
    assert.equal(created.success, true);
    const record = await ctx.conn
      .sobject('Scope_AR_Session__c')
      .retrieve(String(created.id));
    assert.equal(record.OwnerId, user('alex.kim'));
  });

  it('refuses an inactive owner', async () => {
    assert.equal(
      await refusal(createSession(user('jordan.lee'))),
      'INACTIVE_OWNER_OR_USER'
    );
  });

  it('refuses an owner who cannot read the object', async () => {
    assert.equal(
      await refusal(createSession(user('maria.gonzalez'))),
      'TRANSFER_REQUIRES_READ'
    );
  });

  it('lets the owner hand its record on, but not a record someone else owns without Modify All', async () => {
    const own = await createSession();
    const handed = await ctx.conn
      .sobject('Scope_AR_Session__c')
      .update({ Id: String(own.id), OwnerId: user('alex.kim') });
    assert.equal(handed.success, true, JSON.stringify(handed));
    assert.equal(
      await refusal(
        ctx.conn
          .sobject('Scope_AR_Session__c')
          .update({ Id: String(own.id), OwnerId: user('priya.natarajan') })
      ),
      'INSUFFICIENT_ACCESS_OR_READONLY'
    );
    const other = await ctx.conn
      .sobject('Scope_AR_Session__c')
      .update({ Id: String(own.id), State__c: 'COMPLETED' });
    assert.equal(
      other.success,
      true,
      'other fields stay writable (public read/write)'
    );
  });
});

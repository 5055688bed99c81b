// Salesforce refuses a request whose URI plus headers exceed 16,384 bytes. Through jsforce and the
// Salesforce sandbox (which enforces that limit): every IN-list the connector sends fits, however many
// keys a batch has and however much they grow when encoded (Scope ids with + / =, keys full of quotes).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SalesforceApiError } from '../../../connector/src/salesforce/index.ts';
import { startHarness } from './helpers/sandboxes.ts';
import type { Harness } from './helpers/sandboxes.ts';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => harness?.close());

const queriesSent = async () =>
  (await harness.salesforceRequests()).filter((r) => r.path.endsWith('/query'));

describe('request URI limit', () => {
  it('the sandbox answers 414 to a query URL over the limit, and jsforce surfaces the status', async () => {
    await harness.clearCounters();
    const soql = `SELECT Id FROM WorkOrder WHERE WorkOrderNumber IN ('${'9'.repeat(17_000)}')`;
    await assert.rejects(
      harness.salesforceClient.query('tooLong', soql),
      (error: unknown) =>
        error instanceof SalesforceApiError && error.status === 414
    );
    assert.deepEqual(
      (await queriesSent()).map((r) => r.status),
      [414]
    );
  });

  it('reads the stored state of 700 sessions with real-shaped Scope ids in URL-sized queries', async () => {
    await harness.clearCounters();
    // Base64 node ids with + / = grow threefold when encoded.
    const ids = Array.from(
      { length: 700 },
      (_, i) => `${randomBytes(30).toString('base64')}+/${i}==`
    );
    const stored = await harness.salesforceClient.readStoredSessions(ids);
    assert.equal(stored.size, 0, 'none of them exists yet');
    const sent = await queriesSent();
    assert.ok(sent.length >= 2, `${sent.length} queries`);
    assert.ok(sent.every((r) => r.status === 200));
  });

  it('resolves 500 quote-heavy work order numbers without a refused request', async () => {
    await harness.clearCounters();
    const numbers = Array.from(
      { length: 500 },
      (_, i) => `O'B'R'I'E'N'S'-'W'O'-${i}`
    );
    numbers.push('00000101');
    const rows = await harness.salesforceClient.resolveWorkOrders({
      ids: [],
      numbers
    });
    assert.deepEqual(
      rows.map((r) => r.WorkOrderNumber),
      ['00000101']
    );
    const sent = await queriesSent();
    assert.ok(sent.length >= 2, `${sent.length} queries`);
    assert.ok(sent.every((r) => r.status === 200));
  });
});

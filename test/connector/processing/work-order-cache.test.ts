import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkOrderRow } from '../../../connector/src/mapping/resolve-link.ts';
import { createWorkOrderCache } from '../../../connector/src/salesforce/work-order-cache.ts';

const PUMP: WorkOrderRow = {
  Id: '0WO8d000000001AAAA',
  WorkOrderNumber: '00000101',
  CaseId: '5008d000000001AAAA',
  AssetId: '02i8d000000001AAAA'
};

function recordingResolver(rows: WorkOrderRow[]) {
  const calls: { ids: readonly string[]; numbers: readonly string[] }[] = [];
  const resolve = async (keys: {
    ids: readonly string[];
    numbers: readonly string[];
  }) => {
    calls.push(keys);
    return rows.filter(
      (r) => keys.ids.includes(r.Id) || keys.numbers.includes(r.WorkOrderNumber)
    );
  };
  return { calls, resolve };
}

describe('work order cache', () => {
  it('answers a key seen before from memory, by Id, 15-char Id or number', async () => {
    const inner = recordingResolver([PUMP]);
    const cached = createWorkOrderCache(inner.resolve, { ttlMs: 60_000 });
    assert.deepEqual(await cached({ ids: [], numbers: ['00000101'] }), [PUMP]);
    assert.deepEqual(await cached({ ids: [PUMP.Id], numbers: [] }), [PUMP]);
    assert.deepEqual(
      await cached({ ids: [PUMP.Id.slice(0, 15)], numbers: ['00000101'] }),
      [PUMP]
    );
    assert.equal(inner.calls.length, 1, 'one query for three lookups');
  });

  it('remembers a miss briefly, then asks again, so a work order created later is found', async () => {
    const rows: WorkOrderRow[] = [];
    const inner = recordingResolver(rows);
    let clock = 0;
    const cached = createWorkOrderCache(inner.resolve, {
      ttlMs: 300_000,
      missTtlMs: 10_000,
      now: () => clock
    });
    assert.deepEqual(await cached({ ids: [], numbers: ['00000101'] }), []);
    rows.push(PUMP);
    assert.deepEqual(await cached({ ids: [], numbers: ['00000101'] }), []);
    assert.equal(inner.calls.length, 1, 'the miss is answered from memory');
    clock = 11_000;
    assert.deepEqual(await cached({ ids: [], numbers: ['00000101'] }), [PUMP]);
    assert.equal(inner.calls.length, 2);
  });

  it('does not remember misses when missTtlMs is 0', async () => {
    const inner = recordingResolver([]);
    const cached = createWorkOrderCache(inner.resolve, {
      ttlMs: 60_000,
      missTtlMs: 0
    });
    await cached({ ids: [], numbers: ['00009901'] });
    await cached({ ids: [], numbers: ['00009901'] });
    assert.equal(inner.calls.length, 2);
  });

  it('queries only the keys it does not know, and forgets entries after the TTL', async () => {
    const other = {
      ...PUMP,
      Id: '0WO8d000000002AAAA',
      WorkOrderNumber: '00000102'
    };
    const inner = recordingResolver([PUMP, other]);
    let clock = 0;
    const cached = createWorkOrderCache(inner.resolve, {
      ttlMs: 1_000,
      now: () => clock
    });
    await cached({ ids: [], numbers: ['00000101'] });
    const both = await cached({ ids: [], numbers: ['00000101', '00000102'] });
    assert.equal(both.length, 2);
    assert.deepEqual(inner.calls[1], { ids: [], numbers: ['00000102'] });
    clock = 5_000;
    await cached({ ids: [], numbers: ['00000101'] });
    assert.equal(inner.calls.length, 3, 'expired entry is queried again');
  });

  it('is the plain resolver when the TTL is 0', async () => {
    const inner = recordingResolver([PUMP]);
    const cached = createWorkOrderCache(inner.resolve, { ttlMs: 0 });
    await cached({ ids: [], numbers: ['00000101'] });
    await cached({ ids: [], numbers: ['00000101'] });
    assert.equal(inner.calls.length, 2);
  });
});

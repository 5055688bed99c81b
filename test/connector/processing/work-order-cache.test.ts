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

  it('keeps the work orders a stream keeps naming when many others pass through a full cache', async () => {
    const row = (n: number): WorkOrderRow => ({
      Id: `0WO8d${String(n).padStart(10, '0')}AAA`,
      WorkOrderNumber: String(n).padStart(8, '0'),
      CaseId: null,
      AssetId: null
    });
    const hot = Array.from({ length: 50 }, (_, i) => row(i));
    let next = 1000;
    const inner = recordingResolver([]);
    const asked: string[] = [];
    const cached = createWorkOrderCache(
      async (keys) => {
        asked.push(...keys.numbers);
        return keys.numbers.map((n) => row(Number(n)));
      },
      { ttlMs: 3_600_000, maxEntries: 100 }
    );
    for (let round = 0; round < 20; round += 1) {
      for (const w of hot)
        await cached({ ids: [], numbers: [w.WorkOrderNumber] });
      // 40 work orders named once each, between two mentions of each hot one
      for (let i = 0; i < 40; i += 1)
        await cached({ ids: [], numbers: [row(next++).WorkOrderNumber] });
    }
    const hotNumbers = new Set(hot.map((w) => w.WorkOrderNumber));
    assert.equal(
      asked.filter((n) => hotNumbers.has(n)).length,
      50,
      'each hot work order was queried once, in the first round only'
    );
    assert.equal(asked.length, 50 + 20 * 40);
    assert.equal(inner.calls.length, 0);
  });

  it('forgets the least recently used work order first', async () => {
    const inner = recordingResolver([
      PUMP,
      { ...PUMP, Id: '0WO8d000000002AAAA', WorkOrderNumber: '00000102' },
      { ...PUMP, Id: '0WO8d000000003AAAA', WorkOrderNumber: '00000103' }
    ]);
    const cached = createWorkOrderCache(inner.resolve, {
      ttlMs: 60_000,
      missTtlMs: 0,
      maxEntries: 2
    });
    await cached({ ids: [], numbers: ['00000101'] });
    await cached({ ids: [], numbers: ['00000102'] });
    await cached({ ids: [], numbers: ['00000101'] }); // 101 is now the most recent
    await cached({ ids: [], numbers: ['00000103'] }); // evicts 102
    inner.calls.length = 0;
    await cached({ ids: [PUMP.Id.slice(0, 15)], numbers: ['00000103'] });
    assert.equal(
      inner.calls.length,
      0,
      '101 (by its 15-char Id) and 103 are known'
    );
    await cached({ ids: [], numbers: ['00000102'] });
    assert.deepEqual(inner.calls, [{ ids: [], numbers: ['00000102'] }]);
  });
});

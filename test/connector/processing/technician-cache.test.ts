import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTechnicianCache } from '../../../connector/src/salesforce/technician-cache.ts';

describe('technician cache', () => {
  it('answers a known email from memory, asks again for one without a user after a minute', async () => {
    let clock = 0;
    const asked: string[][] = [];
    const cached = createTechnicianCache(
      async (_match, values) => {
        asked.push([...values]);
        return new Map(
          values.filter((v) => v.startsWith('alex')).map((v) => [v, '005A'])
        );
      },
      { ttlMs: 300_000, now: () => clock }
    );
    const first = await cached('email', ['alex@x.test', 'nobody@x.test']);
    assert.deepEqual([...first], [['alex@x.test', '005A']]);
    clock += 59_999;
    const second = await cached('email', ['alex@x.test', 'nobody@x.test']);
    assert.deepEqual([...second], [['alex@x.test', '005A']]);
    assert.equal(asked.length, 1, 'both answered from memory');
    clock += 1;
    await cached('email', ['alex@x.test', 'nobody@x.test']);
    assert.deepEqual(
      asked[1],
      ['nobody@x.test'],
      'only the miss is asked again'
    );
    clock += 300_000;
    await cached('email', ['alex@x.test']);
    assert.deepEqual(
      asked[2],
      ['alex@x.test'],
      'a match expires after the TTL'
    );
  });

  it('keeps matches of different User fields apart', async () => {
    const asked: string[] = [];
    const cached = createTechnicianCache(
      async (match, values) => {
        asked.push(match);
        return new Map(values.map((v) => [v, `005-${match}`]));
      },
      { ttlMs: 300_000 }
    );
    assert.equal((await cached('email', ['a'])).get('a'), '005-email');
    assert.equal((await cached('username', ['a'])).get('a'), '005-username');
    assert.deepEqual(asked, ['email', 'username']);
  });
});

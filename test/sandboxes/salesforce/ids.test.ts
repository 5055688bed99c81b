import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createIdGenerator,
  idChecksum,
  normalizeId
} from '../../../sandboxes/salesforce/store/ids.ts';

describe('Salesforce Ids', () => {
  it('computes the case-safe suffix bit by bit (uppercase = 1, least significant first)', () => {
    // "0015000000WtWzA": chunks 00150 → 0 → A, 00000 → A, WtWzA → 1+4+16 = 21 → V.
    assert.equal(idChecksum('0015000000WtWzA'), 'AAV');
    // "ABCDEabcdeAbCdE": 31 → 5, 0 → A, 1+4+16 = 21 → V.
    assert.equal(idChecksum('ABCDEabcdeAbCdE'), '5AV');
  });

  it('normalizes 15- and 18-character Ids and rejects bad checksums and shapes', () => {
    assert.equal(normalizeId('0015000000WtWzA'), '0015000000WtWzAAAV');
    assert.equal(normalizeId('0015000000WtWzAAAV'), '0015000000WtWzAAAV');
    assert.equal(normalizeId('0015000000WtWzAaav'), '0015000000WtWzAAAV');
    // Case lost in a case-insensitive system: restored from the suffix.
    assert.equal(normalizeId('0015000000WTWZAAAV'), '0015000000WtWzAAAV');
    assert.equal(normalizeId('0015000000wtwzaaav'), '0015000000WtWzAAAV');
    assert.equal(normalizeId('0015000000WtWzAAAB'), null);
    assert.equal(normalizeId('0015000000wtwzaZAA'), null);
    assert.equal(normalizeId('0015000000WtWzAAAA'), null);
    assert.equal(normalizeId('001'), null);
    assert.equal(normalizeId('0015000000WtWz-'), null);
  });

  it('generates deterministic Ids with the key prefix and a valid suffix', () => {
    const a = createIdGenerator();
    const b = createIdGenerator();
    const ids = [a.next('0WO'), a.next('0WO'), a.next('a0X')];
    assert.deepEqual(ids, [b.next('0WO'), b.next('0WO'), b.next('a0X')]);
    for (const id of ids) {
      assert.equal(id.length, 18);
      assert.equal(normalizeId(id), id);
    }
    assert.ok(ids[2]?.startsWith('a0X'));
    assert.notEqual(ids[0], ids[1]);
  });
});

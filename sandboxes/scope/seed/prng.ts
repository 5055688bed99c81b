// Deterministic randomness: every seeded value is a pure function of (seed, stream, index), so historical
// records can be regenerated on demand instead of being stored.

/** mulberry32: tiny, fast, good enough for test data (not for cryptography). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes seed, stream and index into one 32-bit seed (a murmur3-style finaliser). */
export function mixSeed(seed: number, stream: number, index: number): number {
  let h =
    (seed ^
      Math.imul(stream + 1, 0x9e3779b1) ^
      Math.imul(index + 1, 0x85ebca6b)) >>>
    0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}

export function between(
  random: () => number,
  min: number,
  max: number
): number {
  return min + Math.floor(random() * (max - min + 1));
}

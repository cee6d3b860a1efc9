/**
 * Fixed-size bitsets over pod indexes (bit i = pod i), 32 bits per Uint32Array word. The
 * compiled simulator stores every selected-pod and peer set this way, so a whole matrix costs
 * word operations instead of pods^2 x policies x rules.
 */
export type Bitset = Uint32Array;

/** Words needed for `size` bits. */
export function wordsFor(size: number): number {
  return (size + 31) >>> 5;
}

/** An empty set of `size` bits. */
export function emptyBitset(size: number): Bitset {
  return new Uint32Array(wordsFor(size));
}

/** The set {0 .. size-1}; bits past `size` stay zero so popcounts are exact. */
export function fullBitset(size: number): Bitset {
  const b = new Uint32Array(wordsFor(size)).fill(0xffffffff);
  const rest = size & 31;
  if (rest !== 0) b[b.length - 1] = (1 << rest) - 1;
  return b;
}

export function setBit(b: Bitset, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function hasBit(b: Bitset, i: number): boolean {
  return (b[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** dst |= src (same size). */
export function orInto(dst: Bitset, src: Bitset): void {
  for (let w = 0; w < dst.length; w++) dst[w]! |= src[w]!;
}

/** dst &= src (same size). */
export function andInto(dst: Bitset, src: Bitset): void {
  for (let w = 0; w < dst.length; w++) dst[w]! &= src[w]!;
}

/** A new set a & b. */
export function and(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = a[w]! & b[w]!;
  return out;
}

/** Number of set bits in one 32-bit word. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of set bits. */
export function popcount(b: Bitset): number {
  let n = 0;
  for (let w = 0; w < b.length; w++) n += popcount32(b[w]!);
  return n;
}

/** True when no bit is set. */
export function isEmptySet(b: Bitset): boolean {
  for (let w = 0; w < b.length; w++) if (b[w] !== 0) return false;
  return true;
}

/** Calls `fn` for every set bit, in increasing order. */
export function forEachBit(b: Bitset, fn: (i: number) => void): void {
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const low = x & -x;
      fn((w << 5) + (31 - Math.clz32(low)));
      x ^= low;
    }
  }
}

/** The set bits as an ascending array. */
export function toIndexes(b: Bitset): number[] {
  const out: number[] = [];
  forEachBit(b, (i) => out.push(i));
  return out;
}

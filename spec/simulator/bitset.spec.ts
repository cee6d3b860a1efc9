import { expect } from 'chai';
import fc from 'fast-check';
import { and, emptyBitset, forEachBit, fullBitset, hasBit, isEmptySet, orInto, popcount, setBit, toIndexes } from '../../src/simulator/bitset.js';

describe('simulator/bitset', () => {
  it('fullBitset leaves the bits past size clear, so popcounts are exact', () => {
    for (const n of [0, 1, 31, 32, 33, 100]) expect(popcount(fullBitset(n))).to.equal(n);
  });
  it('set, test, and/or, iterate agree with a Set of indexes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.nat(n - 1)), fc.uniqueArray(fc.nat(n - 1)))), ([n, xs, ys]) => {
        const a = emptyBitset(n);
        const b = emptyBitset(n);
        xs.forEach((i) => setBit(a, i));
        ys.forEach((i) => setBit(b, i));
        expect(toIndexes(a)).to.deep.equal([...xs].sort((p, q) => p - q));
        expect(toIndexes(and(a, b))).to.deep.equal(xs.filter((i) => ys.includes(i)).sort((p, q) => p - q));
        const u = Uint32Array.from(a);
        orInto(u, b);
        expect(popcount(u)).to.equal(new Set([...xs, ...ys]).size);
        expect(isEmptySet(a)).to.equal(xs.length === 0);
        for (let i = 0; i < n; i++) expect(hasBit(a, i)).to.equal(xs.includes(i));
        let count = 0;
        forEachBit(a, () => count++);
        expect(count).to.equal(xs.length);
      }),
    );
  });
});

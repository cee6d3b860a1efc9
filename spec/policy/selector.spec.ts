import { expect } from 'chai';
import fc from 'fast-check';
import { compileSelector, formatSelector, matchesSelector, selectorKey } from '../../src/policy/selector.js';
import type { LabelSelector, Labels } from '../../src/policy/types.js';

const ROWS: readonly { readonly name: string; readonly selector: LabelSelector; readonly labels: Labels; readonly match: boolean }[] = [
  { name: '{} matches everything', selector: {}, labels: {}, match: true },
  { name: 'matchLabels equal', selector: { matchLabels: { app: 'web' } }, labels: { app: 'web', x: 'y' }, match: true },
  { name: 'matchLabels other value', selector: { matchLabels: { app: 'web' } }, labels: { app: 'db' }, match: false },
  { name: 'matchLabels missing key', selector: { matchLabels: { app: 'web' } }, labels: {}, match: false },
  { name: 'matchLabels empty value needs the key', selector: { matchLabels: { app: '' } }, labels: {}, match: false },
  { name: 'In', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, labels: { a: '2' }, match: true },
  { name: 'In missing key', selector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, labels: {}, match: false },
  { name: 'NotIn missing key matches (DESIGN rule 8)', selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels: { b: '1' }, match: true },
  { name: 'NotIn listed value', selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels: { a: '1' }, match: false },
  { name: 'NotIn other value', selector: { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels: { a: '2' }, match: true },
  { name: 'Exists', selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, labels: { a: '' }, match: true },
  { name: 'Exists missing', selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, labels: {}, match: false },
  { name: 'DoesNotExist missing', selector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, labels: {}, match: true },
  { name: 'DoesNotExist present', selector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, labels: { a: 'x' }, match: false },
  { name: 'matchLabels AND matchExpressions', selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, labels: { app: 'web', tier: 'db' }, match: false },
  { name: 'an inherited property is not a label', selector: { matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] }, labels: {}, match: true },
];

const keyArb = fc.constantFrom('a', 'b', 'c');
const valueArb = fc.constantFrom('1', '2', '');
const labelsArb = fc.dictionary(keyArb, valueArb);
const selectorArb: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(keyArb, valueArb, { maxKeys: 2 }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: keyArb, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(valueArb, { minLength: 1, maxLength: 2 }) }),
        fc.record({ key: keyArb, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);

describe('policy/selector (DESIGN rule 8)', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      expect(matchesSelector(row.selector, row.labels)).to.equal(row.match);
      expect(compileSelector(row.selector)(row.labels)).to.equal(row.match);
    });
  }
  it('compileSelector agrees with matchesSelector', () => {
    fc.assert(fc.property(selectorArb, labelsArb, (s, l) => compileSelector(s)(l) === matchesSelector(s, l)));
  });
  it('selectorKey: equal keys select the same label sets, whatever the order', () => {
    expect(selectorKey({ matchLabels: { a: '1', b: '2' } })).to.equal(selectorKey({ matchLabels: { b: '2', a: '1' } }));
    expect(selectorKey({ matchExpressions: [{ key: 'a', operator: 'In', values: ['2', '1'] }] })).to.equal(selectorKey({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }));
    expect(selectorKey({})).to.equal(selectorKey({ matchLabels: {}, matchExpressions: [] }));
    fc.assert(
      fc.property(selectorArb, selectorArb, fc.array(labelsArb, { maxLength: 8 }), (s1, s2, sets) =>
        selectorKey(s1) !== selectorKey(s2) || sets.every((l) => matchesSelector(s1, l) === matchesSelector(s2, l)),
      ),
    );
  });
  it('formatSelector renders every operator', () => {
    expect(formatSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 't', operator: 'In', values: ['a', 'b'] }, { key: 'u', operator: 'NotIn', values: ['c'] }, { key: 'v', operator: 'Exists' }, { key: 'w', operator: 'DoesNotExist' }] })).to.equal('{app=web, t in (a,b), u notin (c), v, !w}');
    expect(formatSelector({})).to.equal('{}');
  });
});

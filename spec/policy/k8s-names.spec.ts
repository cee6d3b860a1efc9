import { expect } from 'chai';
import { isDns1123Label, isDns1123Subdomain, isIanaSvcName, isLabelValue, isQualifiedName, isValidPortNumber } from '../../src/policy/k8s-names.js';

const TABLE: readonly [string, (v: string) => boolean, readonly string[], readonly string[]][] = [
  ['isDns1123Label', isDns1123Label, ['a', 'netpol-demo', '0abc', 'a'.repeat(63)], ['', 'A', '-a', 'a-', 'a.b', 'a_b', 'a'.repeat(64)]],
  ['isDns1123Subdomain', isDns1123Subdomain, ['a', 'allow.web-1', 'a.b.c', `${'a'.repeat(63)}.${'b'.repeat(63)}`], ['', 'a..b', '.a', 'a.', 'A.b', 'a_b', 'a'.repeat(254)]],
  ['isQualifiedName', isQualifiedName, ['app', 'App_1.x-y', 'kubernetes.io/metadata.name', 'example.com/A', 'a'.repeat(63)], ['', '/a', 'a/', 'a/b/c', '-a', 'a-', 'Example.com/a', 'a b', 'a'.repeat(64), `${'a'.repeat(254)}/a`]],
  ['isLabelValue', isLabelValue, ['', 'a', 'A.b_c-1', 'a'.repeat(63)], ['-a', 'a-', 'a b', 'a/b', 'a'.repeat(64)]],
  ['isIanaSvcName', isIanaSvcName, ['http', 'h2c', 'dns-tcp', 'a'.repeat(15), '1a'], ['', 'HTTP', '80', 'a--b', '-a', 'a-', 'a_b', 'a'.repeat(16)]],
];

describe('policy/k8s-names (apimachinery validation)', () => {
  for (const [name, fn, good, bad] of TABLE) {
    for (const v of good) it(`${name} accepts ${JSON.stringify(v.length > 20 ? `${v.slice(0, 12)}…(${v.length})` : v)}`, () => expect(fn(v)).to.equal(true));
    for (const v of bad) it(`${name} rejects ${JSON.stringify(v.length > 20 ? `${v.slice(0, 12)}…(${v.length})` : v)}`, () => expect(fn(v)).to.equal(false));
  }
  it('isValidPortNumber: integers 1-65535 only', () => {
    expect([1, 80, 65535].map(isValidPortNumber)).to.deep.equal([true, true, true]);
    expect([0, -1, 65536, 80.5, Number.NaN].map(isValidPortNumber)).to.deep.equal([false, false, false, false, false]);
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { isValidRunId, makeNamespaceMap, ownershipSelector, realNamespaceLabels, toRunNamespace } from '../../../src/backends/kube/run-naming.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const nsName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
const runId = fc.stringMatching(/^[a-z0-9]{1,16}$/);

describe('kube run naming', () => {
  it('appends the run id to short names', () => {
    expect(toRunNamespace('netpol-demo', 'ab12cd')).to.equal('netpol-demo-ab12cd');
  });

  it('keeps every cluster name a DNS-1123 label of at most 63 characters', () => {
    fc.assert(
      fc.property(nsName, runId, (ns, id) => {
        const real = toRunNamespace(ns, id);
        return real.length <= 63 && DNS_LABEL.test(real) && real.endsWith(`-${id}`);
      }),
    );
  });

  it('keeps two long names with a common prefix apart', () => {
    const a = `${'x'.repeat(60)}-a`;
    const b = `${'x'.repeat(60)}-b`;
    expect(toRunNamespace(a, 'r1')).to.not.equal(toRunNamespace(b, 'r1'));
  });

  it('maps scenario and cluster names both ways', () => {
    const map = makeNamespaceMap(['a', 'b'], 'r1');
    expect([...map.toReal]).to.deep.equal([['a', 'a-r1'], ['b', 'b-r1']]);
    expect(map.toScenario.get('b-r1')).to.equal('b');
  });

  it('sets kubernetes.io/metadata.name to the real name (clusters < 1.21 do not) plus ownership', () => {
    expect(realNamespaceLabels({ team: 'x', 'kubernetes.io/metadata.name': 'a' }, 'a-r1', 'r1')).to.deep.equal({
      team: 'x',
      'kubernetes.io/metadata.name': 'a-r1',
      'app.kubernetes.io/managed-by': 'netpol-harness',
      'netpol-harness/run-id': 'r1',
    });
  });

  it('selects one run or every run by label', () => {
    expect(ownershipSelector()).to.equal('app.kubernetes.io/managed-by=netpol-harness');
    expect(ownershipSelector('r1')).to.equal('app.kubernetes.io/managed-by=netpol-harness,netpol-harness/run-id=r1');
  });

  const ids: [string, boolean][] = [['abc123', true], ['', false], ['ABC', false], ['a-b', false], ['a'.repeat(17), false]];
  for (const [id, ok] of ids) {
    it(`run id ${JSON.stringify(id)} is ${ok ? 'valid' : 'refused'}`, () => expect(isValidRunId(id)).to.equal(ok));
  }
});

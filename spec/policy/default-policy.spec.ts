import { expect } from 'chai';
import { defaultPolicy, effectivePolicyTypes } from '../../src/policy/default-policy.js';
import type { NetworkPolicy, NetworkPolicySpec } from '../../src/policy/types.js';

const policy = (spec: Partial<NetworkPolicySpec>): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { podSelector: {}, ...spec },
});

const TYPES: readonly { readonly name: string; readonly spec: Partial<NetworkPolicySpec>; readonly types: readonly string[] }[] = [
  { name: 'nothing -> [Ingress]', spec: {}, types: ['Ingress'] },
  { name: 'ingress rules only -> [Ingress]', spec: { ingress: [{}] }, types: ['Ingress'] },
  { name: '`egress: []` -> [Ingress]', spec: { egress: [] }, types: ['Ingress'] },
  { name: '`egress: [{}]` -> [Ingress, Egress]', spec: { egress: [{}] }, types: ['Ingress', 'Egress'] },
  { name: '`policyTypes: []` is inferred too', spec: { policyTypes: [], egress: [{}] }, types: ['Ingress', 'Egress'] },
  { name: 'written [Egress] is kept', spec: { policyTypes: ['Egress'], ingress: [{}] }, types: ['Egress'] },
  { name: 'written [Egress, Ingress] is ordered, duplicates dropped', spec: { policyTypes: ['Egress', 'Ingress', 'Egress'] as never }, types: ['Ingress', 'Egress'] },
];

describe('policy/default-policy (DESIGN rule 1)', () => {
  for (const row of TYPES) it(`policyTypes: ${row.name}`, () => expect(effectivePolicyTypes(policy(row.spec))).to.deep.equal(row.types));

  it('keys, names and the podSelector are carried over', () => {
    const d = defaultPolicy(policy({ podSelector: { matchLabels: { a: 'b' } } }));
    expect(d).to.include({ key: 'ns/p', namespace: 'ns', name: 'p' });
    expect(d.podSelector).to.deep.equal({ matchLabels: { a: 'b' } });
  });
  it('rules of a direction not in policyTypes are dropped', () => {
    const d = defaultPolicy(policy({ policyTypes: ['Egress'], ingress: [{}], egress: [{}] }));
    expect(d.ingress).to.deep.equal([]);
    expect(d.egress).to.deep.equal([{}]);
  });
  it('protocols default to TCP; port and endPort are kept', () => {
    const d = defaultPolicy(policy({ ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP' }, { port: 8000, endPort: 8080 }, { port: 'dns', protocol: 'UDP' }] }] }));
    expect(d.ingress[0]!.ports).to.deep.equal([{ protocol: 'TCP', port: 80 }, { protocol: 'UDP' }, { protocol: 'TCP', port: 8000, endPort: 8080 }, { protocol: 'UDP', port: 'dns' }]);
  });
  it('empty from/to and ports lists become "all" (undefined), as absent ones (DESIGN rule 6)', () => {
    const d = defaultPolicy(policy({ ingress: [{ from: [], ports: [] }, {}], egress: [{ to: [{ podSelector: {} }] }] }));
    expect(d.ingress).to.deep.equal([{}, {}]);
    expect(d.egress).to.deep.equal([{ peers: [{ podSelector: {} }] }]);
  });
});

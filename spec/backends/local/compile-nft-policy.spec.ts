/**
 * The nft policy compiler as a pure function: text checks keyed by DESIGN rule (what chain a
 * pod gets, which addresses and ports a rule becomes). The real-dataplane specs and the
 * differential spec check that the kernel agrees.
 */
import { expect } from 'chai';
import { compileNftPolicy, type NftPod } from '../../../src/backends/local/compile-nft-policy.js';
import type { Labels, NetworkPolicy, NetworkPolicySpec } from '../../../src/policy/types.js';
import { NAMESPACE_NAME_LABEL } from '../../../src/scenario/types.js';

const PODS: readonly NftPod[] = [
  { display: 'a/web', namespace: 'a', labels: { app: 'web' }, ip: '10.250.0.2', ports: [{ port: 80, protocol: 'TCP', name: 'http' }] },
  { display: 'a/api', namespace: 'a', labels: { app: 'api', tier: 'x' }, ip: '10.250.0.3', ports: [{ port: 8080, protocol: 'TCP', name: 'http' }] },
  { display: 'b/db', namespace: 'b', labels: { app: 'db' }, ip: '10.250.0.4', ports: [{ port: 5432, protocol: 'TCP' }, { port: 53, protocol: 'UDP', name: 'dns' }] },
];
const NS: Record<string, Labels> = { a: { [NAMESPACE_NAME_LABEL]: 'a', team: 'red' }, b: { [NAMESPACE_NAME_LABEL]: 'b', team: 'blue' } };

function np(namespace: string, spec: NetworkPolicySpec, name = 'p'): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function compile(...policies: NetworkPolicy[]): string {
  return compileNftPolicy(policies, PODS, (ns) => NS[ns] ?? { [NAMESPACE_NAME_LABEL]: ns });
}

/** The body of one chain, without comment lines. */
function chain(text: string, name: string): string[] | undefined {
  const m = new RegExp(`  chain ${name} \\{\\n([\\s\\S]*?)^  \\}`, 'm').exec(text);
  return m?.[1]?.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

const ROWS: readonly { rule: string; policies: NetworkPolicy[]; chains: Record<string, string[] | undefined> }[] = [
  { rule: '1: no policyTypes -> Ingress only', policies: [np('a', { podSelector: {}, egress: [] })], chains: { ingress_0: ['drop'], ingress_1: ['drop'], egress_0: undefined, ingress_2: undefined } },
  { rule: '1: egress rules make it an egress policy too', policies: [np('a', { podSelector: { matchLabels: { app: 'web' } }, egress: [{}] })], chains: { ingress_0: ['drop'], egress_0: ['return', 'drop'], ingress_1: undefined } },
  { rule: '4/6: ingress [{}] allows everything for every pod of the namespace', policies: [np('a', { podSelector: {}, ingress: [{}] })], chains: { ingress_0: ['accept', 'drop'], ingress_1: ['accept', 'drop'] } },
  {
    rule: '5: podSelector alone -> the policy namespace',
    policies: [np('b', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
    chains: { ingress_2: ['ip saddr 10.250.0.4 accept', 'drop'] },
  },
  {
    rule: '5: namespaceSelector alone -> every pod of matching namespaces',
    policies: [np('b', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] })],
    chains: { ingress_2: ['ip saddr { 10.250.0.2, 10.250.0.3 } accept', 'drop'] },
  },
  {
    rule: '5: both in one peer -> AND; separate peers -> OR',
    policies: [
      np('b', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } }, { podSelector: { matchLabels: { app: 'db' } } }] }] }),
    ],
    chains: { ingress_2: ['ip saddr 10.250.0.3 accept', 'ip saddr 10.250.0.4 accept', 'drop'] },
  },
  {
    rule: '6: a peer matching nothing allows nothing (no rule line)',
    policies: [np('b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'ghost' } } }] }] })],
    chains: { ingress_2: ['drop'] },
  },
  {
    rule: '7: named port resolves on the destination pod (ingress: itself)',
    policies: [np('a', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })],
    chains: { ingress_0: ['tcp dport 80 accept', 'drop'], ingress_1: ['tcp dport 8080 accept', 'drop'] },
  },
  {
    rule: '7: named port resolves on the destination pod (egress: address . port pairs), by protocol',
    policies: [np('a', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }, { port: 'dns', protocol: 'UDP' }, { port: 'dns' }] }] })],
    chains: { egress_0: ['ip daddr . tcp dport { 10.250.0.2 . 80, 10.250.0.3 . 8080 } return', 'ip daddr . udp dport { 10.250.0.4 . 53 } return', 'drop'] },
  },
  {
    rule: '7: endPort is an inclusive range; a protocol alone is every port of it',
    policies: [np('b', { podSelector: {}, ingress: [{ ports: [{ port: 5000, endPort: 5432 }, { protocol: 'UDP' }, { protocol: 'SCTP', port: 9 }] }] })],
    chains: { ingress_2: ['tcp dport 5000-5432 accept', 'meta l4proto udp accept', 'sctp dport 9 accept', 'drop'] },
  },
  {
    rule: '8: NotIn and DoesNotExist select pods lacking the key',
    policies: [np('a', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, ingress: [] }, 'x'), np('a', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['y'] }] }, policyTypes: ['Egress'] }, 'y')],
    chains: { ingress_0: ['drop'], ingress_1: undefined, egress_0: ['drop'], egress_1: ['drop'] },
  },
  {
    rule: '9: ipBlock is CIDR minus each except (host bits cleared), matching pods too',
    policies: [np('a', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.250.0.9/16', except: ['10.250.0.4/32', '10.250.0.0/30'] } }] }] })],
    chains: { egress_0: ['ip daddr 10.250.0.0/16 ip daddr != 10.250.0.4/32 ip daddr != 10.250.0.0/30 return', 'drop'] },
  },
  {
    rule: '2: policies are additive (rules of every selecting policy in one chain)',
    policies: [np('b', { podSelector: {}, ingress: [{ ports: [{ port: 1 }] }] }, 'p1'), np('b', { podSelector: {}, ingress: [{ ports: [{ port: 2 }] }] }, 'p2')],
    chains: { ingress_2: ['tcp dport 1 accept', 'tcp dport 2 accept', 'drop'] },
  },
];

/** A pod cannot block access to itself: its own pairs are accepted before any policy chain. */
const SELF = 'ip saddr . ip daddr { 10.250.0.2 . 10.250.0.2, 10.250.0.3 . 10.250.0.3, 10.250.0.4 . 10.250.0.4 } accept';

describe('backends/local/compile-nft-policy', () => {
  for (const row of ROWS) {
    it(`DESIGN rule ${row.rule}`, () => {
      const text = compile(...row.policies);
      for (const [name, body] of Object.entries(row.chains)) expect(chain(text, name), name).to.deep.equal(body);
    });
  }

  it('with no policy: base chains that accept replies and judge every original packet, and an empty dispatch (everything allowed)', () => {
    const text = compile();
    expect(text.split('\n').slice(0, 3)).to.deep.equal(['table inet nph {}', 'delete table inet nph', 'table inet nph {']);
    expect(chain(text, 'forward')).to.deep.equal(['type filter hook forward priority filter; policy accept;', 'ct state related accept', 'ct direction reply accept', 'jump dispatch']);
    expect(chain(text, 'output')).to.deep.equal(['type filter hook output priority filter; policy accept;', 'oif "lo" ct state related accept', 'oif "lo" ct direction reply accept', 'oif "lo" jump dispatch']);
    expect(chain(text, 'dispatch')).to.deep.equal([SELF]);
  });

  it('dispatches sources to egress chains and destinations to ingress chains', () => {
    const text = compile(np('a', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    expect(chain(text, 'dispatch')).to.deep.equal([
      SELF,
      'ip saddr vmap { 10.250.0.2 : jump egress_0, 10.250.0.3 : jump egress_1 }',
      'ip daddr vmap { 10.250.0.2 : jump ingress_0, 10.250.0.3 : jump ingress_1 }',
    ]);
  });

  it('is deterministic: policy order does not change the text', () => {
    const p1 = np('b', { podSelector: {}, ingress: [{ ports: [{ port: 1 }] }] }, 'p1');
    const p2 = np('b', { podSelector: {}, ingress: [{ ports: [{ port: 2 }] }] }, 'p2');
    expect(compile(p1, p2)).to.equal(compile(p2, p1));
  });
});

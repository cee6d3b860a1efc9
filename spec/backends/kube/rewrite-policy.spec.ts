import { expect } from 'chai';
import fc from 'fast-check';
import { rewriteNamespaceSelector, rewritePolicy } from '../../../src/backends/kube/rewrite-policy.js';
import { makeNamespaceMap } from '../../../src/backends/kube/run-naming.js';
import type { LabelSelector, NetworkPolicy } from '../../../src/policy/types.js';

const K = 'kubernetes.io/metadata.name';
const map = makeNamespaceMap(['demo', 'other'], 'r1');

describe('kube policy rewrite', () => {
  const rows: { name: string; input: LabelSelector; want: LabelSelector }[] = [
    { name: 'matchLabels naming a scenario namespace', input: { matchLabels: { [K]: 'other' } }, want: { matchLabels: { [K]: 'other-r1' } } },
    { name: 'matchLabels naming another namespace stays', input: { matchLabels: { [K]: 'kube-system' } }, want: { matchLabels: { [K]: 'kube-system' } } },
    { name: 'other label keys stay', input: { matchLabels: { team: 'demo' } }, want: { matchLabels: { team: 'demo' } } },
    {
      name: 'In values',
      input: { matchExpressions: [{ key: K, operator: 'In', values: ['demo', 'kube-system'] }] },
      want: { matchExpressions: [{ key: K, operator: 'In', values: ['demo-r1', 'kube-system'] }] },
    },
    {
      name: 'NotIn values alike',
      input: { matchExpressions: [{ key: K, operator: 'NotIn', values: ['other'] }] },
      want: { matchExpressions: [{ key: K, operator: 'NotIn', values: ['other-r1'] }] },
    },
    {
      name: 'Exists untouched',
      input: { matchExpressions: [{ key: K, operator: 'Exists' }] },
      want: { matchExpressions: [{ key: K, operator: 'Exists' }] },
    },
    { name: 'empty selector (all namespaces) stays empty', input: {}, want: {} },
  ];
  for (const row of rows) {
    it(`rewrites namespace selectors: ${row.name}`, () => expect(rewriteNamespaceSelector(row.input, map.toReal)).to.deep.equal(row.want));
  }

  const policy: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'demo', labels: { mine: 'yes' } },
    spec: {
      podSelector: { matchLabels: { [K]: 'demo' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { [K]: 'other' } }, podSelector: { matchLabels: { [K]: 'other' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }],
      egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: K, operator: 'NotIn', values: ['demo'] }] } }] }, {}],
    },
  };

  it('renames the policy namespace, rewrites peers in both directions and adds ownership labels', () => {
    const out = rewritePolicy(policy, map, 'r1');
    expect(out.metadata).to.deep.equal({
      name: 'p',
      namespace: 'demo-r1',
      labels: { mine: 'yes', 'app.kubernetes.io/managed-by': 'netpol-harness', 'netpol-harness/run-id': 'r1' },
    });
    expect(out.spec.ingress?.[0]?.from?.[0]?.namespaceSelector).to.deep.equal({ matchLabels: { [K]: 'other-r1' } });
    expect(out.spec.egress?.[0]?.to?.[0]?.namespaceSelector?.matchExpressions?.[0]?.values).to.deep.equal(['demo-r1']);
    expect(out.spec.egress?.[1]).to.deep.equal({});
  });

  it('never touches pod selectors or ipBlocks (they do not name namespaces)', () => {
    const out = rewritePolicy(policy, map, 'r1');
    expect(out.spec.podSelector).to.deep.equal(policy.spec.podSelector);
    expect(out.spec.ingress?.[0]?.from?.[0]?.podSelector).to.deep.equal({ matchLabels: { [K]: 'other' } });
    expect(out.spec.ingress?.[0]?.from?.[1]).to.deep.equal({ ipBlock: { cidr: '10.0.0.0/8' } });
  });

  it('is a bijection on values naming scenario namespaces (a renaming changes no selector match)', () => {
    fc.assert(
      fc.property(fc.subarray(['demo', 'other', 'kube-system', 'default']), (values) => {
        const out = rewriteNamespaceSelector({ matchExpressions: [{ key: K, operator: 'In', values }] }, map.toReal);
        const back = (out.matchExpressions?.[0]?.values ?? []).map((v) => map.toScenario.get(v) ?? v);
        return JSON.stringify(back) === JSON.stringify(values);
      }),
    );
  });
});

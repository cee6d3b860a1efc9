/**
 * ipBlock peers (pod IPs through `${cidr:..}` placeholders, `except`, externals) and the
 * families of the upstream e2e suite (test/e2e/network/netpol), each on the shared x/y/z
 * topology with expectations written from the spec.
 */
import { ALL, ALL_PODS, np, ns, onlyFrom, onlyInto, pairs, pod, podsOf, type Case, type Json, type Ref } from '../case-kit.js';

function one(name: string, title: string, tags: string[], policies: Json[], expect: string[], topology: Case['topology'] = 'tcp'): Case {
  return { name, title, tags, topology, steps: [{ name: title, apply: policies, expect }] };
}

const others = (r: Ref): Ref[] => ALL_PODS.filter((p) => p !== r);
const each = (refs: readonly Ref[]): Array<readonly [Ref]> => refs.map((r) => [r] as const);

const ipBlock: Case[] = [
  one('ipblock-ingress-pod-ip', 'An ingress ipBlock of y/b\'s pod IP (/32) admits y/b: an ipBlock matches pod IPs', ['ipblock', 'ipblock-pod-ip', 'ingress', 'upstream-e2e'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ ipBlock: { cidr: '${cidr:y/b}' } }] }] }),
  ], onlyInto(['x/a'], [['y/b']])),
  one('ipblock-ingress-except', 'An ingress ipBlock of the pod network except y/b\'s IP admits every pod but y/b', ['ipblock', 'ipblock-except', 'ipblock-pod-ip', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ ipBlock: { cidr: '${cidr:y/b/16}', except: ['${cidr:y/b}'] } }] }] }),
  ], onlyInto(['x/a'], each(others('y/b')))),
  one('ipblock-egress-pod-ip', 'An egress ipBlock of y/b\'s pod IP lets x/a reach y/b only', ['ipblock', 'ipblock-pod-ip', 'egress', 'upstream-e2e'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '${cidr:y/b}' } }] }] }),
  ], onlyFrom(['x/a'], [['y/b']])),
  one('ipblock-egress-except', 'An egress ipBlock of the pod network except y/b\'s IP lets x/a reach every pod but y/b', ['ipblock', 'ipblock-except', 'ipblock-pod-ip', 'egress', 'upstream-e2e'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '${cidr:y/b/16}', except: ['${cidr:y/b}'] } }] }] }),
  ], onlyFrom(['x/a'], each(others('y/b')))),
  one('ipblock-except-overlap', 'An IP in one ipBlock\'s except and in another peer\'s ipBlock is allowed (peers OR)', ['ipblock', 'ipblock-except', 'peer-or', 'egress', 'upstream-e2e'], [
    np('x', 'p', {
      podSelector: pod('a'),
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '${cidr:y/b/16}', except: ['${cidr:y/b}'] } }, { ipBlock: { cidr: '${cidr:y/b}' } }] }],
    }),
  ], onlyFrom(['x/a'], each(others('x/a')))),
  one('ipblock-egress-external', 'An egress ipBlock 192.0.2.0/24 lets x/a reach the external 192.0.2.10 and no pod', ['ipblock', 'external', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }] }),
  ], onlyFrom(['x/a'], [['ext']]), 'external'),
  one('ipblock-egress-external-except', 'An egress ipBlock 192.0.2.0/24 except 192.0.2.10/32 blocks the external', ['ipblock', 'ipblock-except', 'external', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.10/32'] } }] }] }),
  ], onlyFrom(['x/a'], []), 'external'),
  one('external-egress-deny-all', 'An egress deny-all blocks externals too; selectors never match them', ['external', 'deny-all', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: ALL }] }] }),
  ], [...onlyFrom(['x/a'], each(others('x/a'))), 'deny x/a -> ext'], 'external'),
];

/** Upstream e2e families (names follow the upstream test titles). */
const upstream: Case[] = [
  one('e2e-default-deny-ingress', "Upstream: should support a 'default-deny-ingress' policy", ['upstream-e2e', 'deny-all', 'ingress', 'select-all'], [
    np('x', 'deny-ingress', { podSelector: ALL, policyTypes: ['Ingress'] }),
  ], pairs('deny', ALL_PODS, podsOf('x'))),
  one('e2e-default-deny-all', "Upstream: should support a 'default-deny-all' policy", ['upstream-e2e', 'deny-all', 'ingress', 'egress', 'select-all'], [
    np('x', 'deny-all', { podSelector: ALL, policyTypes: ['Ingress', 'Egress'] }),
  ], [...pairs('deny', ALL_PODS, podsOf('x')), ...pairs('deny', podsOf('x'), ALL_PODS)]),
  one('e2e-from-server-namespace-pod', 'Upstream: should enforce policy to allow traffic from pods within server namespace based on PodSelector', ['upstream-e2e', 'peer-pod', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }] }] }),
  ], onlyInto(['x/a'], [['x/b']])),
  one('e2e-from-all-namespaces', 'Upstream: should enforce policy to allow ingress traffic from pods in all namespaces', ['upstream-e2e', 'namespace-selector-empty', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ALL }] }] }),
  ], onlyInto(['x/a'], each(others('x/a')))),
  one('e2e-from-other-namespace', 'Upstream: should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector', ['upstream-e2e', 'peer-namespace', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('y') }] }] }),
  ], onlyInto(['x/a'], each(podsOf('y')))),
  one('e2e-pod-match-expressions', 'Upstream: should enforce policy based on PodSelector with MatchExpressions', ['upstream-e2e', 'match-expressions', 'op-in', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }] }),
  ], onlyInto(['x/a'], [['x/b']])),
  one('e2e-namespace-match-expressions', 'Upstream: should enforce policy based on NamespaceSelector with MatchExpressions', ['upstream-e2e', 'match-expressions', 'op-in', 'peer-namespace', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'In', values: ['y'] }] } }] }] }),
  ], onlyInto(['x/a'], each(podsOf('y')))),
  one('e2e-pod-or-namespace', 'Upstream: should enforce policy based on PodSelector or NamespaceSelector', ['upstream-e2e', 'peer-or', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] } }, { podSelector: pod('b') }] }] }),
  ], onlyInto(['x/a'], [['x/b'], ...each([...podsOf('y'), ...podsOf('z')])])),
  one('e2e-pod-and-namespace', 'Upstream: should enforce policy based on PodSelector and NamespaceSelector', ['upstream-e2e', 'peer-and', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }, podSelector: pod('b') }] }] }),
  ], onlyInto(['x/a'], [['y/b'], ['z/b']])),
  one('e2e-multiple-selectors', 'Upstream: should enforce policy based on Multiple PodSelectors and NamespaceSelectors', ['upstream-e2e', 'peer-and', 'match-expressions', 'ingress'], [
    np('x', 'p', {
      podSelector: pod('a'),
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }, podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] }],
    }),
  ], onlyInto(['x/a'], [['y/b'], ['y/c'], ['z/b'], ['z/c']])),
  one('e2e-any-pod-selector', 'Upstream: should enforce policy based on any PodSelectors', ['upstream-e2e', 'peer-or', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }, { podSelector: pod('c') }] }] }),
  ], onlyInto(['x/a'], [['x/b'], ['x/c']])),
  one('e2e-other-namespace-pod', 'Upstream: should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', ['upstream-e2e', 'peer-and', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('y'), podSelector: pod('a') }] }] }),
  ], onlyInto(['x/a'], [['y/a']])),
  one('e2e-ports', 'Upstream: should enforce policy based on Ports (81 from namespace y)', ['upstream-e2e', 'port-numeric', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('y') }], ports: [{ port: 81 }] }] }),
  ], onlyInto(['x/a'], podsOf('y').map((r) => [r, ':81/tcp'] as const))),
  one('e2e-named-port-from-namespace', 'Upstream: should allow ingress access from namespace on one named port', ['upstream-e2e', 'named-port', 'ingress'], [
    np('x', 'p', { podSelector: ALL, ingress: [{ from: [{ namespaceSelector: ns('y') }], ports: [{ port: 'serve-80-tcp' }] }] }),
  ], onlyInto(podsOf('x'), podsOf('y').map((r) => [r, ':80/tcp'] as const))),
  one('e2e-egress-named-port', 'Upstream: should allow egress access on one named port', ['upstream-e2e', 'named-port', 'egress'], [
    np('x', 'p', { podSelector: ALL, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] }),
  ], onlyFrom(podsOf('x'), ALL_PODS.map((r) => [r, ':80/tcp'] as const))),
  one('e2e-deny-egress-pod', 'Upstream: should deny egress from pods based on PodSelector', ['upstream-e2e', 'deny-all', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'] }),
  ], onlyFrom(['x/a'], [])),
  one('e2e-deny-egress-namespace', 'Upstream: should deny egress from all pods in a namespace', ['upstream-e2e', 'deny-all', 'egress', 'select-all'], [
    np('x', 'p', { podSelector: ALL, policyTypes: ['Egress'] }),
  ], pairs('deny', podsOf('x'), ALL_PODS)),
  one('e2e-ingress-and-egress', 'Upstream: should work with Ingress, Egress specified together', ['upstream-e2e', 'ingress-egress', 'ingress', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: pod('b') }] }], egress: [{ to: [{ namespaceSelector: ns('y') }] }] }),
  ], [...onlyInto(['x/a'], [['x/b']]), ...onlyFrom(['x/a'], each(podsOf('y')))]),
  one('e2e-client-egress-denies', 'Upstream: should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', ['upstream-e2e', 'ingress-egress', 'egress'], [
    np('x', 'client-out', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: ns('y') }] }] }),
    np('z', 'server-in', { podSelector: ALL, ingress: [{ from: [{ namespaceSelector: ns('x') }] }] }),
  ], [...onlyFrom(['x/a'], each(podsOf('y'))), ...onlyInto(podsOf('z'), each(podsOf('x'))), ...podsOf('z').map((t) => `deny x/a -> ${t}`)]),
  one('e2e-egress-other-namespace-pod', 'Upstream: should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', ['upstream-e2e', 'peer-and', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: ns('y'), podSelector: pod('a') }] }] }),
  ], onlyFrom(['x/a'], [['y/a']])),
  one('e2e-any-port-one-protocol', 'Upstream: should enforce ingress policy allowing any port traffic to a server on a specific protocol', ['upstream-e2e', 'protocol-without-port', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ ports: [{ protocol: 'TCP' }] }] }),
  ], onlyInto(['x/a'], others('x/a').flatMap((r) => [[r, ':80/tcp'] as const, [r, ':81/tcp'] as const])), 'tcp-udp'),
  one('e2e-udp-only-not-tcp', 'Upstream: should not allow access by TCP when a policy specifies only UDP', ['upstream-e2e', 'udp', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] }),
  ], onlyInto(['x/a'], others('x/a').map((r) => [r, ':81/udp'] as const)), 'tcp-udp'),
  one('e2e-ingress-allow-all-wins', 'Upstream: should enforce multiple ingress policies with ingress allow-all policy taking precedence', ['upstream-e2e', 'union', 'allow-all', 'ingress'], [
    np('x', 'only-80', { podSelector: ALL, ingress: [{ ports: [{ port: 80 }] }] }),
    np('x', 'all', { podSelector: ALL, ingress: [{}] }),
  ], []),
  one('e2e-sctp-isolates', 'Upstream: should properly isolate pods that are selected by a policy allowing SCTP', ['upstream-e2e', 'sctp', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] }),
  ], onlyInto(['x/a'], others('x/a').map((r) => [r, ':81/sctp'] as const)), 'sctp'),
  one('e2e-namespace-default-label', 'Upstream: should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label', ['upstream-e2e', 'namespace-name-label', 'peer-namespace', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] }),
  ], onlyInto(['x/a'], each(podsOf('y')))),
  one('e2e-namespace-default-label-expressions', 'Upstream: should enforce policy based on NamespaceSelector with MatchExpressions using default ns label', ['upstream-e2e', 'namespace-name-label', 'match-expressions', 'op-notin', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['y'] }] } }] }] }),
  ], onlyInto(['x/a'], each([...podsOf('x'), ...podsOf('z')]))),
  one('e2e-end-port', 'Upstream: should enforce multiple ports with endPort', ['upstream-e2e', 'end-port', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('y') }], ports: [{ port: 80, endPort: 81 }] }] }),
  ], onlyInto(['x/a'], podsOf('y').flatMap((r) => [[r, ':80/tcp'] as const, [r, ':81/tcp'] as const]))),
  one('e2e-independent-directions', 'Upstream: should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector', ['upstream-e2e', 'ingress-egress', 'ingress', 'egress'], [
    np('x', 'a-out', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: pod('b') }] }] }),
    np('x', 'b-in', { podSelector: pod('b'), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: pod('c') }] }] }),
  ], [...onlyFrom(['x/a'], []), ...onlyInto(['x/b'], [['x/c']])]),
];

export const ipBlockAndUpstreamCases: readonly Case[] = [...ipBlock, ...upstream];

/** Namespace-level patterns tutorials teach, and more upstream shapes. */
const patterns: Case[] = [
  one('pattern-same-namespace-only', 'Every pod of x admits only pods of x (podSelector {} from podSelector {})', ['peer-pod', 'select-all', 'ingress'], [
    np('x', 'same-ns', { podSelector: ALL, ingress: [{ from: [{ podSelector: ALL }] }] }),
  ], [...pairs('deny', [...podsOf('y'), ...podsOf('z')], podsOf('x'))]),
  one('e2e-deny-other-namespaces', 'Upstream: should deny ingress from pods on other namespaces', ['upstream-e2e', 'peer-pod', 'select-all', 'ingress'], [
    np('x', 'p', { podSelector: ALL, ingress: [{ from: [{ podSelector: ALL }] }] }),
  ], pairs('deny', [...podsOf('y'), ...podsOf('z')], podsOf('x'))),
  one('pattern-egress-not-to-z', 'Pods of x may reach everything but namespace z (egress to ns NotIn [z])', ['egress', 'peer-namespace', 'op-notin', 'select-all'], [
    np('x', 'not-z', { podSelector: ALL, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['z'] }] } }] }] }),
  ], pairs('deny', podsOf('x'), podsOf('z'))),
  one('e2e-named-port-ingress', 'Upstream: should allow ingress access on one named port', ['upstream-e2e', 'named-port', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] }),
  ], onlyInto(['x/a'], others('x/a').map((r) => [r, ':81/tcp'] as const))),
  one('e2e-ingress-for-target', 'Upstream: should enforce policy to allow ingress traffic for a target (x/a admits all, x/b none)', ['upstream-e2e', 'ingress', 'allow-all'], [
    np('x', 'deny', { podSelector: ALL, policyTypes: ['Ingress'] }),
    np('x', 'allow-a', { podSelector: pod('a'), ingress: [{}] }),
  ], [...onlyInto(['x/b', 'x/c'], [])]),
  one('ports-ingress-peer-and-port', 'A rule with a peer AND a port admits that peer on that port only', ['ports', 'peers', 'peer-namespace', 'port-numeric', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('z') }], ports: [{ port: 80, protocol: 'UDP' }] }] }),
  ], onlyInto(['x/a'], podsOf('z').map((r) => [r, ':80/udp'] as const)), 'tcp-udp'),
  one('ports-two-rules', 'Two rules: y on 80/TCP, z on 81/UDP: each peer gets its own port', ['ports', 'peers', 'port-several', 'ingress'], [
    np('x', 'p', {
      podSelector: pod('a'),
      ingress: [
        { from: [{ namespaceSelector: ns('y') }], ports: [{ port: 80 }] },
        { from: [{ namespaceSelector: ns('z') }], ports: [{ port: 81, protocol: 'UDP' }] },
      ],
    }),
  ], onlyInto(['x/a'], [...podsOf('y').map((r) => [r, ':80/tcp'] as const), ...podsOf('z').map((r) => [r, ':81/udp'] as const)]), 'tcp-udp'),
  one('ports-egress-udp-to-namespace', 'Egress of x/a: UDP only, only to namespace y', ['ports', 'peers', 'protocol-without-port', 'udp', 'egress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: ns('y') }], ports: [{ protocol: 'UDP' }] }] }),
  ], onlyFrom(['x/a'], podsOf('y').flatMap((r) => [[r, ':80/udp'] as const, [r, ':81/udp'] as const])), 'tcp-udp'),
  one('union-ingress-and-egress-policies', 'One policy isolates ingress of x, another egress of x/b: both apply at once', ['union', 'ingress', 'egress', 'select-all'], [
    np('x', 'in', { podSelector: ALL, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: ns('x') }] }] }),
    np('x', 'out', { podSelector: pod('b'), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: pod('c') }] }] }),
  ], [...pairs('deny', [...podsOf('y'), ...podsOf('z')], podsOf('x')), ...onlyFrom(['x/b'], [['x/c']])]),
  one('target-other-namespace-unaffected', 'A policy in x never selects pods of y, even when their labels match', ['target-selection', 'match-labels', 'ingress'], [
    np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'] }),
  ], onlyInto(['x/a'], [])),
  one('peer-pod-selector-own-namespace', 'A podSelector peer without namespaceSelector admits pod b of the policy\'s namespace (y), not of x', ['peers', 'peer-pod', 'ingress'], [
    np('y', 'p', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }] }] }),
  ], onlyInto(['y/a'], [['y/b']])),
];

/** Changes tagged like upstream's "updated" tests. */
const updates: Case[] = [
  {
    name: 'e2e-updated-namespace',
    title: 'Upstream: should allow ingress access from updated namespace',
    tags: ['upstream-e2e', 'namespace-relabel', 'ingress'],
    topology: 'tcp',
    steps: [
      { name: 'x/a admits ns=y2 namespaces (none)', apply: [np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y2' } } }] }] })], expect: onlyInto(['x/a'], []) },
      { name: 'namespace y relabelled ns=y2', label: [{ namespace: 'y', labels: { ns: 'y2' } }], expect: onlyInto(['x/a'], each(podsOf('y'))) },
    ],
  },
  {
    name: 'e2e-updated-pod-denied',
    title: 'Upstream: should deny ingress access to updated pod',
    tags: ['upstream-e2e', 'pod-relabel', 'target-selection', 'ingress'],
    topology: 'tcp',
    steps: [
      { name: 'pods labelled target=true are isolated (none)', apply: [np('x', 'p', { podSelector: { matchLabels: { target: 'true' } }, policyTypes: ['Ingress'] })], expect: [] },
      { name: 'x/a labelled target=true', label: [{ workload: 'x/a', labels: { target: 'true' } }], expect: onlyInto(['x/a'], []) },
    ],
  },
  {
    name: 'e2e-stop-after-delete',
    title: 'Upstream: should stop enforcing policies after they are deleted',
    tags: ['upstream-e2e', 'policy-delete', 'deny-all', 'ingress', 'egress'],
    topology: 'tcp',
    steps: [
      { name: 'deny-all in x', apply: [np('x', 'deny', { podSelector: ALL, policyTypes: ['Ingress', 'Egress'] })], expect: [...pairs('deny', ALL_PODS, podsOf('x')), ...pairs('deny', podsOf('x'), ALL_PODS)] },
      { name: 'deleted', delete: ['x/deny'], expect: [] },
    ],
  },
  {
    name: 'update-ingress-to-egress',
    title: 'Updating a policy from Ingress to Egress moves the isolation to the other side',
    tags: ['policy-update', 'policy-types', 'ingress', 'egress'],
    topology: 'tcp',
    steps: [
      { name: 'Ingress deny-all on x/a', apply: [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'] })], expect: onlyInto(['x/a'], []) },
      { name: 'the same policy, Egress', apply: [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'] })], expect: onlyFrom(['x/a'], []) },
    ],
  },
];

export const patternCases: readonly Case[] = [...patterns, ...updates];

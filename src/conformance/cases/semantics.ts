/**
 * How policies combine and change: policyTypes inference and explicit types, deny-all and
 * allow-all forms (`[]` vs `[{}]`), several policies on one pod (union), ingress and egress
 * both needed, the DNS dependency of probes by Service name, traffic to self, relabelling of
 * pods and namespaces, policy update and deletion.
 */
import { ALL, ALL_PODS, np, ns, onlyFrom, onlyInto, pairs, pod, podsOf, type Case, type CaseStep, type Json } from '../case-kit.js';

function one(name: string, title: string, tags: string[], policies: Json[], expect: string[], topology: Case['topology'] = 'tcp'): Case {
  return { name, title, tags, topology, steps: [{ name: title, apply: policies, expect }] };
}

const fromB = [{ from: [{ podSelector: pod('b') }] }];
const toB = [{ to: [{ podSelector: pod('b') }] }];

const policyTypes: Case[] = [
  one('types-inferred-ingress', 'No policyTypes and only ingress rules: the policy isolates ingress only', ['policy-types', 'policy-types-inferred', 'ingress'], [np('x', 'p', { podSelector: pod('a'), ingress: fromB })], onlyInto(['x/a'], [['x/b']])),
  one(
    'types-inferred-egress',
    'No policyTypes and an egress rule: the policy isolates ingress AND egress (ingress denies all)',
    ['policy-types', 'policy-types-inferred', 'ingress', 'egress'],
    [np('x', 'p', { podSelector: pod('a'), egress: toB })],
    [...onlyInto(['x/a'], []), ...onlyFrom(['x/a'], [['x/b']])],
  ),
  one('types-inferred-empty', 'No policyTypes and no rules: an ingress deny-all', ['policy-types', 'policy-types-inferred', 'deny-all', 'ingress'], [np('x', 'p', { podSelector: pod('a') })], onlyInto(['x/a'], [])),
  one(
    'types-egress-ignores-ingress',
    'policyTypes [Egress] with ingress rules: the ingress rules are ignored, egress denies all',
    ['policy-types', 'egress'],
    [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], ingress: fromB })],
    onlyFrom(['x/a'], []),
  ),
  one(
    'types-ingress-ignores-egress',
    'policyTypes [Ingress] with egress rules: the egress rules are ignored, ingress denies all',
    ['policy-types', 'ingress'],
    [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'], egress: toB })],
    onlyInto(['x/a'], []),
  ),
  one(
    'types-both-only-ingress-rules',
    'policyTypes [Ingress, Egress] with only ingress rules: egress denies all',
    ['policy-types', 'ingress', 'egress'],
    [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress', 'Egress'], ingress: fromB })],
    [...onlyInto(['x/a'], [['x/b']]), ...onlyFrom(['x/a'], [])],
  ),
];

const forms: Case[] = [
  one('form-ingress-empty-list', 'ingress: [] with type Ingress denies all ingress', ['deny-all', 'ingress'], [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [] })], onlyInto(['x/a'], [])),
  one('form-ingress-empty-rule', 'ingress: [{}] allows all ingress', ['allow-all', 'ingress'], [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{}] })], []),
  one('form-egress-empty-list', 'egress: [] with type Egress denies all egress', ['deny-all', 'egress'], [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [] })], onlyFrom(['x/a'], [])),
  one('form-egress-empty-rule', 'egress: [{}] allows all egress', ['allow-all', 'egress'], [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{}] })], []),
  one('form-from-empty-list', 'A rule with from: [] admits every source', ['allow-all', 'ingress', 'empty-peers'], [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ from: [] }] })], []),
  one('form-ports-empty-list', 'A rule with ports: [] admits every port', ['allow-all', 'ingress', 'ports'], [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: pod('b') }], ports: [] }] })], onlyInto(['x/a'], [['x/b']])),
  one(
    'form-deny-all-namespace',
    'A namespace-wide deny-all of both directions cuts every pod of x off, inside x too',
    ['deny-all', 'ingress', 'egress', 'select-all'],
    [np('x', 'p', { podSelector: ALL, policyTypes: ['Ingress', 'Egress'] })],
    [...pairs('deny', ALL_PODS, podsOf('x')), ...pairs('deny', podsOf('x'), ALL_PODS)],
  ),
  one(
    'form-allow-all-over-deny',
    'An allow-all ingress policy next to a deny-all: policies add up, everything is allowed',
    ['allow-all', 'deny-all', 'union', 'ingress'],
    [np('x', 'deny', { podSelector: ALL, policyTypes: ['Ingress'] }), np('x', 'allow', { podSelector: ALL, ingress: [{}] })],
    [],
  ),
];

const union: Case[] = [
  one(
    'union-two-ingress',
    'Two ingress policies on x/a, one admitting pod b, the other namespace y: their union is admitted',
    ['union', 'ingress'],
    [np('x', 'from-b', { podSelector: pod('a'), ingress: fromB }), np('x', 'from-y', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('y') }] }] })],
    onlyInto(['x/a'], [['x/b'], ...podsOf('y').map((r) => [r] as const)]),
  ),
  one(
    'union-deny-plus-allow',
    'A namespace deny-all plus an allow of x/b into x/a: only that flow enters x',
    ['union', 'deny-all', 'ingress'],
    [np('x', 'deny', { podSelector: ALL, policyTypes: ['Ingress'] }), np('x', 'allow', { podSelector: pod('a'), ingress: fromB })],
    onlyInto(podsOf('x'), []).concat(['allow x/b -> x/a']),
  ),
  one(
    'union-overlapping-selectors',
    'Stacked policies with overlapping podSelectors (pod In [a,b] admits y; pod a admits z): x/a admits y and z, x/b admits y',
    ['union', 'ingress', 'upstream-e2e'],
    [
      np('x', 'ab-from-y', { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'b'] }] }, ingress: [{ from: [{ namespaceSelector: ns('y') }] }] }),
      np('x', 'a-from-z', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('z') }] }] }),
    ],
    [...onlyInto(['x/a'], [...podsOf('y'), ...podsOf('z')].map((r) => [r] as const)), ...onlyInto(['x/b'], podsOf('y').map((r) => [r] as const))],
  ),
  one(
    'union-egress-and-ingress',
    'Ingress allowed at the destination is not enough: the source x/b may only reach y, so x/b -> x/a is denied',
    ['union', 'ingress-egress', 'ingress', 'egress'],
    [np('x', 'a-from-b', { podSelector: pod('a'), ingress: fromB }), np('x', 'b-to-y', { podSelector: pod('b'), policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: ns('y') }] }] })],
    [...onlyInto(['x/a'], []), ...onlyFrom(['x/b'], podsOf('y').map((r) => [r] as const))],
  ),
  one(
    'union-egress-allowed-ingress-denied',
    'Egress allowed at the source is not enough: x/b may reach x/a but x/a admits only z',
    ['ingress-egress', 'ingress', 'egress'],
    [np('x', 'b-to-a', { podSelector: pod('b'), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: pod('a') }] }] }), np('x', 'a-from-z', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('z') }] }] })],
    [...onlyFrom(['x/b'], [['x/a']]), ...onlyInto(['x/a'], podsOf('z').map((r) => [r] as const)), 'deny x/b -> x/a'],
  ),
  one(
    'union-egress-allow-all-wins',
    'Several egress policies on x/a, one of them allow-all: egress is open',
    ['union', 'allow-all', 'egress', 'upstream-e2e'],
    [np('x', 'to-b', { podSelector: pod('a'), policyTypes: ['Egress'], egress: toB }), np('x', 'all', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [{}] })],
    [],
  ),
];

/** Probes by Service name need the lookup: `-> dns` probes and `service-name` targets. */
const byName = { target: 'service-name', dns: true };
const dnsEgress = { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };

const dns: Case[] = [
  {
    name: 'dns-egress-deny-all',
    title: 'An egress deny-all on x/a blocks its lookups: every probe of x/a by name fails, and so does -> dns',
    tags: ['dns', 'egress', 'deny-all'],
    topology: 'tcp',
    probe: byName,
    steps: [{ name: 'deny-all egress of x/a', apply: [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'] })], expect: [...onlyFrom(['x/a'], []), 'deny x/a -> dns'] }],
  },
  {
    name: 'dns-forgotten',
    title: 'Egress of x/a to x/b without a DNS rule: x/a -> x/b fails by name (no lookup) and works by pod IP',
    tags: ['dns', 'egress'],
    topology: 'tcp',
    probe: byName,
    steps: [
      { name: 'by Service name', apply: [np('x', 'to-b', { podSelector: pod('a'), policyTypes: ['Egress'], egress: toB })], expect: [...onlyFrom(['x/a'], []), 'deny x/a -> dns'] },
      { name: 'by pod IP', probe: { target: 'pod-ip', dns: false }, expect: onlyFrom(['x/a'], [['x/b']]) },
    ],
  },
  {
    name: 'dns-allowed',
    title: 'Egress of x/a to x/b plus 53/UDP and 53/TCP anywhere: x/a reaches x/b by name',
    tags: ['dns', 'egress'],
    topology: 'tcp',
    probe: byName,
    steps: [{ name: 'with a DNS rule', apply: [np('x', 'to-b', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [...toB, dnsEgress] })], expect: onlyFrom(['x/a'], [['x/b']]) }],
  },
  {
    name: 'dns-tcp-only',
    title: 'A DNS rule for 53/TCP only does not let a lookup over UDP through',
    tags: ['dns', 'dns-protocol', 'egress'],
    topology: 'tcp',
    probe: byName,
    steps: [{ name: 'only 53/TCP', apply: [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'], egress: [...toB, { ports: [{ port: 53, protocol: 'TCP' }] }] })], expect: [...onlyFrom(['x/a'], []), 'deny x/a -> dns'] }],
  },
];

const self: Case[] = [
  {
    name: 'self-open',
    title: 'With no policy a pod reaches itself',
    tags: ['self'],
    topology: 'tcp',
    probe: { self: true },
    steps: [{ name: 'no policy', expect: [] }],
  },
  {
    name: 'self-ingress-deny-all',
    title: 'An ingress deny-all on x/a blocks every other pod, but a pod cannot block access to itself',
    tags: ['self', 'ingress', 'deny-all'],
    topology: 'tcp',
    probe: { self: true },
    steps: [{ name: 'deny-all ingress of x/a', apply: [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Ingress'] })], expect: [...onlyInto(['x/a'], []), 'allow x/a -> x/a'] }],
  },
  {
    name: 'self-egress-deny-all',
    title: 'An egress deny-all on x/a blocks every flow out of it, but not x/a to itself',
    tags: ['self', 'egress', 'deny-all'],
    topology: 'tcp',
    probe: { self: true },
    steps: [{ name: 'deny-all egress of x/a', apply: [np('x', 'p', { podSelector: pod('a'), policyTypes: ['Egress'] })], expect: [...onlyFrom(['x/a'], []), 'allow x/a -> x/a'] }],
  },
];

function changing(name: string, title: string, tags: string[], steps: CaseStep[]): Case {
  return { name, title, tags, topology: 'tcp', steps };
}

const denyIntoA = np('x', 'p', { podSelector: pod('a'), ingress: fromB });

const changes: Case[] = [
  changing('update-policy', 'Updating a policy in place (same name) replaces what it admits', ['policy-update', 'ingress', 'upstream-e2e'], [
    { name: 'x/a admits pod b', apply: [denyIntoA], expect: onlyInto(['x/a'], [['x/b']]) },
    { name: 'the same policy now admits pod c', apply: [np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('c') }] }] })], expect: onlyInto(['x/a'], [['x/c']]) },
  ]),
  changing('delete-policy', 'Deleting the only policy of a pod lifts its isolation', ['policy-delete', 'ingress', 'upstream-e2e'], [
    { name: 'x/a admits pod b', apply: [denyIntoA], expect: onlyInto(['x/a'], [['x/b']]) },
    { name: 'delete it', delete: ['x/p'], expect: [] },
  ]),
  changing('delete-one-of-two', 'Deleting one of two policies keeps the other in force', ['policy-delete', 'union', 'ingress'], [
    { name: 'two policies', apply: [denyIntoA, np('x', 'q', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: ns('y') }] }] })], expect: onlyInto(['x/a'], [['x/b'], ...podsOf('y').map((r) => [r] as const)]) },
    { name: 'delete the namespace one', delete: ['x/q'], expect: onlyInto(['x/a'], [['x/b']]) },
  ]),
  changing('relabel-source-pod', 'Relabelling a pod into a peer selector admits it', ['pod-relabel', 'ingress', 'upstream-e2e'], [
    { name: 'x/a admits pod b', apply: [denyIntoA], expect: onlyInto(['x/a'], [['x/b']]) },
    { name: 'x/c relabelled pod=b', label: [{ workload: 'x/c', labels: { pod: 'b' } }], expect: onlyInto(['x/a'], [['x/b'], ['x/c']]) },
  ]),
  changing('relabel-target-pod', 'Relabelling a pod out of the policy podSelector lifts its isolation', ['pod-relabel', 'target-selection', 'ingress', 'upstream-e2e'], [
    { name: 'x/a admits pod b', apply: [denyIntoA], expect: onlyInto(['x/a'], [['x/b']]) },
    { name: 'x/a relabelled pod=other', label: [{ workload: 'x/a', labels: { pod: 'other' } }], expect: [] },
  ]),
  changing('relabel-namespace', 'Relabelling a namespace into a namespaceSelector admits its pods', ['namespace-relabel', 'peer-namespace', 'ingress', 'upstream-e2e'], [
    { name: 'x/a admits team=blue namespaces', apply: [np('x', 'p', { podSelector: pod('a'), ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] })], expect: onlyInto(['x/a'], []) },
    { name: 'namespace z labelled team=blue', label: [{ namespace: 'z', labels: { team: 'blue' } }], expect: onlyInto(['x/a'], podsOf('z').map((r) => [r] as const)) },
    { name: 'the label removed again', label: [{ namespace: 'z', labels: { team: null } }], expect: onlyInto(['x/a'], []) },
  ]),
];

export const semanticsCases: readonly Case[] = [...policyTypes, ...forms, ...union, ...dns, ...self, ...changes];

/**
 * Which pods a policy selects (target selection) and which peers a rule admits: every
 * selector form and operator, on the ingress and on the egress side.
 */
import { ALL, ALL_PODS, np, ns, onlyFrom, onlyInto, pod, podsOf, type Case, type CaseStep, type Json, type Ref } from '../case-kit.js';

type Direction = 'ingress' | 'egress';

/** A deny-all of `direction` in namespace x selecting `selector`; `selected` are the pods it must isolate. */
function targetCase(direction: Direction, variant: string, title: string, selector: Json, selected: readonly Ref[], tags: string[], relabel?: { pod: Ref; labels: Json; selected: readonly Ref[] }): Case {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const expect = (pods: readonly Ref[]): string[] => (direction === 'ingress' ? onlyInto(pods, []) : onlyFrom(pods, []));
  const steps: CaseStep[] = [{ name: `deny-all ${direction} on ${title}`, apply: [np('x', 'deny-selected', { podSelector: selector, policyTypes: [type] })], expect: expect(selected) }];
  if (relabel) steps.push({ name: `relabel ${relabel.pod}`, label: [{ workload: relabel.pod, labels: relabel.labels }], expect: expect(relabel.selected) });
  return {
    name: `target-${direction}-${variant}`,
    title: `A ${direction} deny-all whose podSelector is ${title} isolates exactly the pods it selects`,
    tags: ['target-selection', direction, ...tags, ...(relabel ? ['pod-relabel'] : [])],
    topology: 'tcp',
    steps,
  };
}

const expr = (key: string, operator: string, values?: string[]): Json => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

function targetCases(direction: Direction): Case[] {
  return [
    targetCase(direction, 'empty', 'empty ({}: every pod of the namespace)', ALL, podsOf('x'), ['select-all']),
    targetCase(direction, 'match-labels', 'matchLabels pod=a', pod('a'), ['x/a'], ['match-labels']),
    targetCase(direction, 'in', 'pod In [a, b]', expr('pod', 'In', ['a', 'b']), ['x/a', 'x/b'], ['match-expressions', 'op-in']),
    targetCase(direction, 'notin', 'pod NotIn [a]', expr('pod', 'NotIn', ['a']), ['x/b', 'x/c'], ['match-expressions', 'op-notin'], {
      // NotIn also matches a pod that lacks the key.
      pod: 'x/a',
      labels: { pod: null, other: 'a' },
      selected: podsOf('x'),
    }),
    targetCase(direction, 'exists', 'pod Exists', expr('pod', 'Exists'), podsOf('x'), ['match-expressions', 'op-exists'], { pod: 'x/b', labels: { pod: null }, selected: ['x/a', 'x/c'] }),
    targetCase(direction, 'exists-none', 'missing Exists (a key no pod has)', expr('missing', 'Exists'), [], ['match-expressions', 'op-exists']),
    targetCase(direction, 'doesnotexist', 'pod DoesNotExist', expr('pod', 'DoesNotExist'), [], ['match-expressions', 'op-doesnotexist'], { pod: 'x/c', labels: { pod: null }, selected: ['x/c'] }),
    targetCase(direction, 'labels-and-expressions', 'matchLabels pod=a AND pod In [a, b]', { ...pod('a'), ...expr('pod', 'In', ['a', 'b']) }, ['x/a'], ['match-labels', 'match-expressions', 'op-in']),
    targetCase(direction, 'labels-and-notin', 'matchLabels pod=a AND pod NotIn [a] (nothing)', { ...pod('a'), ...expr('pod', 'NotIn', ['a']) }, [], ['match-labels', 'match-expressions', 'op-notin']),
  ];
}

/** A policy on x/a admitting `peers` in `direction`; `admitted` are the pods the rule admits. */
function peerCase(direction: Direction, variant: string, title: string, peers: readonly Json[], admitted: readonly Ref[], tags: string[]): Case {
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  const rule = direction === 'ingress' ? { from: peers } : { to: peers };
  const allowed = admitted.map((r) => [r] as const);
  return {
    name: `peer-${direction}-${variant}`,
    title: `An ${direction} rule on x/a whose ${direction === 'ingress' ? 'from' : 'to'} is ${title} admits exactly those pods`,
    tags: ['peers', direction, ...tags],
    topology: 'tcp',
    steps: [
      {
        name: `${direction} of x/a: ${title}`,
        apply: [np('x', 'peer', { podSelector: pod('a'), policyTypes: [type], [direction]: [rule] })],
        expect: direction === 'ingress' ? onlyInto(['x/a'], allowed) : onlyFrom(['x/a'], allowed),
      },
    ],
  };
}

function peerCases(direction: Direction): Case[] {
  return [
    peerCase(direction, 'pod', 'podSelector pod=b (its own namespace only)', [{ podSelector: pod('b') }], ['x/b'], ['peer-pod']),
    peerCase(direction, 'pod-empty', 'podSelector {} (every pod of its namespace)', [{ podSelector: ALL }], podsOf('x'), ['peer-pod']),
    peerCase(direction, 'namespace', 'namespaceSelector ns=y', [{ namespaceSelector: ns('y') }], podsOf('y'), ['peer-namespace']),
    peerCase(direction, 'namespace-empty', 'namespaceSelector {} (every namespace)', [{ namespaceSelector: ALL }], ALL_PODS, ['peer-namespace', 'namespace-selector-empty']),
    peerCase(direction, 'pod-and-namespace', 'namespaceSelector ns=y AND podSelector pod=b in one peer', [{ namespaceSelector: ns('y'), podSelector: pod('b') }], ['y/b'], ['peer-and']),
    peerCase(direction, 'any-namespace-pod', 'namespaceSelector {} AND podSelector pod=b', [{ namespaceSelector: ALL, podSelector: pod('b') }], ['x/b', 'y/b', 'z/b'], ['peer-and', 'namespace-selector-empty']),
    peerCase(direction, 'pod-or-namespace', 'podSelector pod=b OR namespaceSelector ns=y (two peers)', [{ podSelector: pod('b') }, { namespaceSelector: ns('y') }], ['x/b', ...podsOf('y')], ['peer-or']),
    peerCase(
      direction,
      'three-peers',
      'z/c (both selectors) OR y/* OR x/c',
      [{ namespaceSelector: ns('z'), podSelector: pod('c') }, { namespaceSelector: ns('y') }, { podSelector: pod('c') }],
      ['z/c', ...podsOf('y'), 'x/c'],
      ['peer-or', 'peer-and'],
    ),
    peerCase(direction, 'namespace-in', 'namespaceSelector ns In [y, z]', [{ namespaceSelector: expr('ns', 'In', ['y', 'z']) }], [...podsOf('y'), ...podsOf('z')], ['peer-namespace', 'match-expressions', 'op-in']),
    peerCase(direction, 'namespace-notin', 'namespaceSelector ns NotIn [x]', [{ namespaceSelector: expr('ns', 'NotIn', ['x']) }], [...podsOf('y'), ...podsOf('z')], ['peer-namespace', 'match-expressions', 'op-notin']),
    peerCase(
      direction,
      'namespace-name-label',
      'namespaceSelector kubernetes.io/metadata.name=y',
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }],
      podsOf('y'),
      ['peer-namespace', 'namespace-name-label'],
    ),
    peerCase(direction, 'pod-in', 'podSelector pod In [b, c]', [{ podSelector: expr('pod', 'In', ['b', 'c']) }], ['x/b', 'x/c'], ['peer-pod', 'match-expressions', 'op-in']),
  ];
}

export const selectionCases: readonly Case[] = [...targetCases('ingress'), ...targetCases('egress'), ...peerCases('ingress'), ...peerCases('egress')];

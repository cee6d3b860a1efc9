/**
 * fast-check generators of random topologies and random VALID NetworkPolicies for the
 * differential spec (simulator vs local dataplane), and the YAML of a counterexample.
 * ipBlocks use `${cidr:<ns>/<workload>/<prefix>}` placeholders, resolved with the real pod IPs.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { LabelSelector, LabelSelectorRequirement, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyType } from '../../../src/policy/types.js';
import type { Scenario, ServedPort, WorkloadSpec } from '../../../src/scenario/types.js';
import { NAMESPACE_NAME_LABEL, toWorkloadRef } from '../../../src/scenario/types.js';

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'] as const;
/** Served ports: a named `http` on two numbers, UDP with and without names. */
const PORTS: readonly ServedPort[] = [
  { port: 80, protocol: 'TCP', name: 'http' },
  { port: 8080, protocol: 'TCP', name: 'http' },
  { port: 81, protocol: 'TCP' },
  { port: 53, protocol: 'UDP', name: 'dns-u' },
  { port: 9000, protocol: 'UDP' },
];

export interface World {
  readonly namespaces: readonly { readonly name: string; readonly labels: Record<string, string> }[];
  readonly workloads: readonly WorkloadSpec[];
  readonly policies: readonly NetworkPolicy[];
}

const labelValue = fc.constantFrom('a', 'b', 'c');
const labelKey = fc.constantFrom('app', 'tier', 'team');

const requirement: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.uniqueArray(labelValue, { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: labelKey, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
);

const selector: fc.Arbitrary<LabelSelector> = fc
  .record({ matchLabels: fc.option(fc.dictionary(labelKey, labelValue, { maxKeys: 1 }), { nil: undefined }), matchExpressions: fc.option(fc.array(requirement, { maxLength: 2 }), { nil: undefined }) })
  .map((s) => {
    const out: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] } = {};
    if (s.matchLabels !== undefined) out.matchLabels = s.matchLabels;
    if (s.matchExpressions !== undefined) out.matchExpressions = s.matchExpressions;
    return out;
  });

const namespaceSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  selector,
  fc.constantFrom(...NAMESPACES).map((n) => ({ matchLabels: { [NAMESPACE_NAME_LABEL]: n } })),
  fc.constant({}),
);

function peer(workloads: readonly WorkloadSpec[]): fc.Arbitrary<NetworkPolicyPeer> {
  const w = fc.constantFrom(...workloads.map((x) => x.ref));
  return fc.oneof(
    fc.record({ podSelector: selector }),
    fc.record({ namespaceSelector }),
    fc.record({ podSelector: selector, namespaceSelector }),
    fc.record({ cidrOf: w, prefix: fc.constantFrom(16, 30, 32), exceptOf: fc.option(w, { nil: undefined }) }).map(({ cidrOf, prefix, exceptOf }) => ({
      ipBlock: {
        cidr: `\${cidr:${cidrOf}/${prefix}}`,
        // An except must lie strictly inside the CIDR: only under a /16 (every pod is in 10.250/16).
        ...(exceptOf !== undefined && prefix === 16 ? { except: [`\${cidr:${exceptOf}}`] } : {}),
      },
    })),
  );
}

const policyPort: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.constantFrom<NetworkPolicyPort>({ port: 80 }, { port: 'http' }, { port: 'dns-u', protocol: 'UDP' }, { protocol: 'UDP' }, { port: 9000, protocol: 'UDP' }, { port: 81 }, { protocol: 'TCP' }),
  fc.record({ port: fc.constantFrom(79, 80, 81), endPort: fc.constantFrom(81, 8080, 9000) }),
  fc.record({ port: fc.constantFrom(53, 8999), endPort: fc.constantFrom(9000), protocol: fc.constant('UDP' as const) }),
);

function rules(workloads: readonly WorkloadSpec[], key: 'from' | 'to'): fc.Arbitrary<Record<string, unknown>[]> {
  return fc.array(
    fc.record({ peers: fc.option(fc.array(peer(workloads), { minLength: 1, maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(policyPort, { minLength: 1, maxLength: 2 }), { nil: undefined }) }).map((r) => ({
      ...(r.peers !== undefined ? { [key]: r.peers } : {}),
      ...(r.ports !== undefined ? { ports: r.ports } : {}),
    })),
    { maxLength: 2 },
  );
}

function policy(workloads: readonly WorkloadSpec[], index: number): fc.Arbitrary<NetworkPolicy> {
  return fc
    .record({
      namespace: fc.constantFrom(...new Set(workloads.map((w) => w.namespace))),
      podSelector: selector,
      policyTypes: fc.option(fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
      ingress: fc.option(rules(workloads, 'from'), { nil: undefined }),
      egress: fc.option(rules(workloads, 'to'), { nil: undefined }),
    })
    .map((p) => ({
      apiVersion: 'networking.k8s.io/v1' as const,
      kind: 'NetworkPolicy' as const,
      metadata: { name: `p${index}`, namespace: p.namespace },
      spec: {
        podSelector: p.podSelector,
        ...(p.policyTypes !== undefined ? { policyTypes: p.policyTypes } : {}),
        ...(p.ingress !== undefined ? { ingress: p.ingress } : {}),
        ...(p.egress !== undefined ? { egress: p.egress } : {}),
      } as NetworkPolicy['spec'],
    }));
}

/** A random world: 2-3 namespaces, 3-6 workloads, 1-3 valid policies. */
export const worldArbitrary: fc.Arbitrary<World> = fc
  .record({
    nsCount: fc.integer({ min: 2, max: 3 }),
    nsLabels: fc.array(fc.dictionary(fc.constantFrom('team', 'env'), labelValue, { maxKeys: 2 }), { minLength: 3, maxLength: 3 }),
    workloads: fc.array(
      fc.record({ ns: fc.nat(2), labels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }), ports: fc.uniqueArray(fc.nat(PORTS.length - 1), { minLength: 1, maxLength: 2 }) }),
      { minLength: 3, maxLength: 6 },
    ),
  })
  .chain(({ nsCount, nsLabels, workloads }) => {
    const namespaces = NAMESPACES.slice(0, nsCount).map((name, i) => ({ name, labels: { ...nsLabels[i], [NAMESPACE_NAME_LABEL]: name } }));
    const specs: WorkloadSpec[] = workloads.map((w, i) => {
      const namespace = namespaces[w.ns % nsCount]!.name;
      const name = `w${i}`;
      const ports = w.ports.map((p) => PORTS[p]!).filter((p, _, all) => !all.some((q) => q !== p && q.name !== undefined && q.name === p.name));
      const served = ports.length > 0 ? ports : [PORTS[2]!];
      return { ref: toWorkloadRef(namespace, name), namespace, name, labels: w.labels, ports: [...served].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port) };
    });
    return fc.array(fc.nat(), { minLength: 1, maxLength: 3 }).chain((ids) =>
      fc.tuple(...ids.map((_, i) => policy(specs, i))).map((policies) => ({ namespaces, workloads: specs, policies })),
    );
  });

/** The world as an in-memory scenario (no steps; the spec builds the state itself). */
export function toScenario(world: World, name: string): Scenario {
  return {
    name,
    file: `${name}.yaml`,
    namespaces: world.namespaces,
    workloads: world.workloads,
    externals: [],
    dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    steps: [],
  };
}

/** A scenario file (SCENARIO-FORMAT.md) reproducing a counterexample, expecting what the simulator predicts. */
export function toScenarioYaml(world: World, name: string, expectations: readonly string[]): string {
  const doc = {
    apiVersion: 'netpol-harness/v1alpha1',
    kind: 'Scenario',
    metadata: { name, description: 'Counterexample found by the differential spec (simulator vs local dataplane).' },
    spec: {
      namespaces: world.namespaces.map((ns) => ({ name: ns.name, labels: Object.fromEntries(Object.entries(ns.labels).filter(([k]) => k !== NAMESPACE_NAME_LABEL)) })),
      workloads: world.workloads.map((w) => ({ name: w.name, namespace: w.namespace, labels: w.labels, ports: w.ports.map((p) => ({ port: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) })) })),
      probe: { target: 'pod-ip', timeoutSeconds: 1, dns: false },
      steps: [{ name: 'generated policies', apply: world.policies, expect: expectations }],
    },
  };
  return stringify(doc);
}

/**
 * A realistic synthetic cluster for the simulator bench, from a seeded PRNG (deterministic):
 * 20-50 namespaces with team/env labels, pods with app/tier (and some version/canary) labels,
 * all serving 80/TCP `http`, and a policy mix seen in real clusters: default-deny per
 * namespace, app-to-app allows by podSelector, cross-namespace allows by namespaceSelector AND
 * podSelector, matchExpressions (In, NotIn, Exists, DoesNotExist), egress allows incl. DNS and
 * ipBlocks, ports by number and by name.
 */
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from '../src/policy/types.js';
import { toPolicyKey } from '../src/policy/types.js';
import { NAMESPACE_NAME_LABEL, toMillis, toWorkloadRef, type ClusterState, type Scenario, type WorkloadSpec } from '../src/scenario/types.js';

export interface ClusterSize {
  readonly pods: number;
  readonly policies: number;
  readonly namespaces: number;
}

/** mulberry32: a small seeded PRNG, so every run benchmarks the same cluster. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIERS = ['web', 'api', 'db', 'cache'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const APPS = 12;

export interface SyntheticCluster {
  readonly scenario: Scenario;
  readonly state: ClusterState;
}

export function syntheticCluster(size: ClusterSize, seed = 42): SyntheticCluster {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (n: number): number => Math.floor(rnd() * n);

  const namespaces = Array.from({ length: size.namespaces }, (_, i) => {
    const name = `ns-${i}`;
    return { name, labels: { team: `team-${i % 7}`, env: ENVS[i % 3]!, [NAMESPACE_NAME_LABEL]: name } };
  });
  const workloads: WorkloadSpec[] = [];
  for (let i = 0; i < size.pods; i++) {
    const ns = namespaces[i % size.namespaces]!.name;
    const name = `pod-${i}`;
    const labels: Record<string, string> = { app: `app-${int(APPS)}`, tier: pick(TIERS) };
    if (rnd() < 0.5) labels.version = `v${1 + int(3)}`;
    if (rnd() < 0.1) labels.canary = 'true';
    workloads.push({ ref: toWorkloadRef(ns, name), namespace: ns, name, labels, ports: [{ port: 80, protocol: 'TCP', name: 'http' }] });
  }

  const app = (): LabelSelector => ({ matchLabels: { app: `app-${int(APPS)}` } });
  const tierIn = (): LabelSelector => ({ matchExpressions: [{ key: 'tier', operator: 'In', values: [pick(TIERS), pick(TIERS)] }] });
  const port = (): NetworkPolicyPort => (rnd() < 0.7 ? { port: 80 } : { port: 'http' });
  const policies: NetworkPolicy[] = [];
  const add = (ns: string, name: string, spec: NetworkPolicySpec): void => {
    policies.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
  };
  for (let i = 0; policies.length < size.policies; i++) {
    const ns = namespaces[i % size.namespaces]!.name;
    const round = Math.floor(i / size.namespaces);
    const name = `np-${round}`;
    switch (round) {
      case 0:
        add(ns, name, { podSelector: {}, policyTypes: ['Ingress'] });
        continue;
      case 1:
        // Half the namespaces lock egress down to DNS; the other half allow all in-cluster egress.
        if (i % 2 === 0) add(ns, name, { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] });
        else add(ns, name, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] });
        continue;
      default:
        break;
    }
    const kind = int(7);
    let peer: NetworkPolicyPeer;
    switch (kind) {
      case 0: // same-namespace app to app
        add(ns, name, { podSelector: app(), ingress: [{ from: [{ podSelector: app() }, { podSelector: app() }], ports: [port()] }] });
        break;
      case 1: // cross-namespace: namespaceSelector AND podSelector
        add(ns, name, { podSelector: { matchLabels: { tier: pick(TIERS) } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `team-${int(7)}` } }, podSelector: tierIn() }], ports: [port()] }] });
        break;
      case 2: // NotIn / DoesNotExist
        add(ns, name, {
          podSelector: { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }, { key: 'tier', operator: 'In', values: ['api', 'web'] }] },
          ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }], ports: [port()] }],
        });
        break;
      case 3: // egress to a tier in the namespace and to the same team
        peer = { namespaceSelector: { matchLabels: { team: `team-${int(7)}` } } };
        add(ns, name, { podSelector: app(), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: tierIn() }, peer], ports: [port()] }] });
        break;
      case 4: // ingress and egress in one policy, Exists
        add(ns, name, {
          podSelector: { matchExpressions: [{ key: 'version', operator: 'Exists' }], matchLabels: { tier: pick(TIERS) } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: app() }], ports: [port()] }],
          egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { tier: 'db' } } }], ports: [port()] }],
        });
        break;
      case 5: {
        // ipBlock over part of the pod network, minus a /26 inside it (valid as the API server checks it)
        const base = 4 * int(10);
        add(ns, name, { podSelector: app(), ingress: [{ from: [{ ipBlock: { cidr: `10.244.${base}.0/22`, except: [`10.244.${base + int(4)}.0/26`] } }], ports: [port()] }] });
        break;
      }
      default: // allow from everything in a namespace by name
        add(ns, name, { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: `ns-${int(size.namespaces)}` } } }] }] });
    }
  }
  const origin = { file: 'synthetic.yaml', range: [0, 0] as const };
  const manifests = policies
    .map((policy) => ({ key: toPolicyKey(policy.metadata.namespace, policy.metadata.name), policy, origin }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const scenario: Scenario = {
    name: `synthetic-${size.pods}`,
    file: 'synthetic.yaml',
    namespaces,
    workloads,
    externals: [],
    dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    steps: [{ index: 0, name: 'all', delete: [], apply: manifests, label: [], probe: { target: 'pod-ip', timeoutMs: toMillis(1000), self: true, dns: false }, expect: [] }],
  };
  return { scenario, state: { namespaces, workloads, policies: manifests } };
}

/**
 * Compiles a cluster state once (DESIGN "compile policies once"): pods get indexes, and every
 * policy's selected pods and every rule's peers become bitsets over those indexes. Predicting
 * a probe then tests bits; a whole matrix is set operations (evaluate-matrix.ts).
 */
import type { Topology } from '../backends/backend.js';
import { ipBlockContains, parseIp, parseIpBlock, type IpAddress, type ParsedIpBlock } from '../policy/cidr.js';
import { defaultPolicy } from '../policy/default-policy.js';
import type { ContainerPort } from '../policy/match-port.js';
import { compileSelector, selectorKey } from '../policy/selector.js';
import type { DefaultedPolicy, DefaultedPort, LabelSelector, Labels, NetworkPolicyPeer, PolicyKey } from '../policy/types.js';
import { NAMESPACE_NAME_LABEL, type ClusterState, type WorkloadRef } from '../scenario/types.js';
import { andInto, emptyBitset, forEachBit, fullBitset, orInto, setBit, type Bitset } from './bitset.js';

/** How a CNI reads the parts of the spec where CNIs differ. */
export interface CompileOptions {
  /**
   * DESIGN rule 9: under standard semantics (the upstream e2e suite) an ipBlock also matches
   * pod IPs. Cilium does not (false). Default true.
   */
  readonly ipBlockMatchesPods?: boolean;
  /**
   * A pod reaching itself (by its own IP or through its own Service). Kubernetes documents
   * that "a pod cannot block access to itself" and upstream e2e allows loopback in every
   * case: true (the default) allows it whatever the policies; false judges it like any flow
   * (what a CNI that enforces hairpin traffic does).
   */
  readonly selfTrafficAllowed?: boolean;
  /**
   * DESIGN rule 3 judges each side by the rules of its own direction: false (the default).
   * true: a pod's policies run in both directions, as one firewall chain per pod does in
   * kube-router before 1.3. An isolated egress side is then also opened by an ingress rule of a
   * policy selecting the source that admits the source as a peer, when that policy selects the
   * destination too; an isolated ingress side by an egress rule of a policy selecting the
   * destination that admits it as a peer, when that policy selects the source too. Ports are
   * judged as usual. Isolation does not change.
   */
  readonly crossDirectionRules?: boolean;
  /**
   * DESIGN rule 7 resolves a named port on each destination pod: false (the default). true: an
   * egress rule without `to` resolves each of its named ports on every pod of the policy's
   * namespace (by name and protocol) and opens the numbers found there towards every
   * destination, as kube-router does; a name no pod there serves opens nothing. Rules with
   * `to` resolve on the destination as usual.
   */
  readonly egressNamedPortsByPolicyNamespace?: boolean;
}

/** The CoreDNS container ports of a planned DNS pod, so named ports (`dns`, `dns-tcp`) resolve. */
export const DNS_POD_PORTS: readonly ContainerPort[] = [
  { port: 53, protocol: 'UDP', name: 'dns' },
  { port: 53, protocol: 'TCP', name: 'dns-tcp' },
  { port: 9153, protocol: 'TCP', name: 'metrics' },
];

export interface CompiledPod {
  /** Index in `CompiledState.pods` (workloads first, in state order, then the DNS pods). */
  readonly index: number;
  /** The workload; undefined for DNS pods. */
  readonly ref?: WorkloadRef;
  /** `<ns>/<workload>`, or `<dns-namespace>/dns` (`/dns-<i>` when there are several). */
  readonly display: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  readonly ip: IpAddress | undefined;
  readonly ports: readonly ContainerPort[];
}

export interface CompiledPeer {
  /** Pods this peer matches (selectors, or an ipBlock over pod IPs). */
  readonly pods: Bitset;
  /** Set for ipBlock peers: the only peers that can match an external address. */
  readonly ipBlock?: ParsedIpBlock;
}

export interface CompiledRule {
  /** undefined = every peer (DESIGN rule 6). */
  readonly peers?: readonly CompiledPeer[];
  /** OR of the peers' pod sets; undefined = every pod. */
  readonly peerUnion?: Bitset;
  /** undefined = every port (DESIGN rule 6); empty = no port (only after a rewrite, see `portOrigins`). */
  readonly ports?: readonly DefaultedPort[];
  /**
   * Set when `ports` is not the rule's own list but a rewrite of it (CompileOptions
   * `egressNamedPortsByPolicyNamespace`: each named port became the numbers it has in the
   * policy's namespace): per entry of `ports`, the 0-based index of the written entry it
   * comes from.
   */
  readonly portOrigins?: readonly number[];
}

export interface CompiledPolicy {
  readonly key: PolicyKey;
  readonly policy: DefaultedPolicy;
  /** Pods the policy selects (its namespace only, DESIGN rule 4). */
  readonly selected: Bitset;
  /** undefined when Ingress is not among the policy's types. */
  readonly ingress?: readonly CompiledRule[];
  /** undefined when Egress is not among the policy's types. */
  readonly egress?: readonly CompiledRule[];
}

export interface CompiledState {
  readonly pods: readonly CompiledPod[];
  readonly podIndex: ReadonlyMap<WorkloadRef, number>;
  /** Indexes of the cluster DNS pods in `pods`. */
  readonly dnsPods: readonly number[];
  /** Sorted by key. */
  readonly policies: readonly CompiledPolicy[];
  /** Per pod: indexes into `policies` of the policies isolating its ingress (sorted by key). */
  readonly ingressPolicies: readonly (readonly number[])[];
  /** Per pod: indexes into `policies` of the policies isolating its egress (sorted by key). */
  readonly egressPolicies: readonly (readonly number[])[];
  readonly options: Required<CompileOptions>;
}

interface NamespaceInfo {
  readonly labels: Labels;
  readonly members: Bitset;
}

/** Shares one bitset between identical selectors and peers: the bench has thousands of repeats. */
class SetCache {
  private readonly podSel = new Map<string, Bitset>();
  private readonly nsSel = new Map<string, Bitset>();
  private readonly peers = new Map<string, CompiledPeer>();

  constructor(
    private readonly pods: readonly CompiledPod[],
    private readonly namespaces: ReadonlyMap<string, NamespaceInfo>,
    private readonly options: Required<CompileOptions>,
  ) {}

  /** Pods of any namespace whose labels match. */
  podsMatching(selector: LabelSelector): Bitset {
    const key = selectorKey(selector);
    let set = this.podSel.get(key);
    if (!set) {
      const match = compileSelector(selector);
      set = emptyBitset(this.pods.length);
      for (const p of this.pods) if (match(p.labels)) setBit(set, p.index);
      this.podSel.set(key, set);
    }
    return set;
  }

  /** Pods of every namespace whose labels match (DESIGN rule 5). */
  podsInNamespacesMatching(selector: LabelSelector): Bitset {
    const key = selectorKey(selector);
    let set = this.nsSel.get(key);
    if (!set) {
      const match = compileSelector(selector);
      set = emptyBitset(this.pods.length);
      for (const ns of this.namespaces.values()) if (match(ns.labels)) orInto(set, ns.members);
      this.nsSel.set(key, set);
    }
    return set;
  }

  namespaceMembers(namespace: string): Bitset {
    return this.namespaces.get(namespace)?.members ?? emptyBitset(this.pods.length);
  }

  /**
   * DESIGN rule 5: podSelector alone = the policy's namespace; namespaceSelector alone =
   * every pod of matching namespaces; both = AND. DESIGN rule 9: ipBlock matches pod IPs
   * (standard profile) and externals, minus `except`.
   */
  peer(peer: NetworkPolicyPeer, policyNamespace: string): CompiledPeer {
    const key = JSON.stringify([
      peer.podSelector ? selectorKey(peer.podSelector) : null,
      peer.namespaceSelector ? selectorKey(peer.namespaceSelector) : null,
      peer.namespaceSelector ? null : policyNamespace,
      peer.ipBlock ? [peer.ipBlock.cidr, peer.ipBlock.except ?? []] : null,
    ]);
    let out = this.peers.get(key);
    if (out) return out;
    if (peer.ipBlock) {
      const block = parseIpBlock(peer.ipBlock);
      const pods = emptyBitset(this.pods.length);
      if (block && this.options.ipBlockMatchesPods) {
        for (const p of this.pods) if (p.ip && ipBlockContains(block, p.ip)) setBit(pods, p.index);
      }
      // An unparsable block (never valid: validatePolicy rejects it) matches nothing.
      out = block ? { pods, ipBlock: block } : { pods };
    } else if (peer.namespaceSelector) {
      const pods = Uint32Array.from(this.podsInNamespacesMatching(peer.namespaceSelector));
      if (peer.podSelector) andInto(pods, this.podsMatching(peer.podSelector));
      out = { pods };
    } else if (peer.podSelector) {
      const pods = Uint32Array.from(this.podsMatching(peer.podSelector));
      andInto(pods, this.namespaceMembers(policyNamespace));
      out = { pods };
    } else {
      // An empty peer is invalid (EMPTY_PEER); it matches nothing here.
      out = { pods: emptyBitset(this.pods.length) };
    }
    this.peers.set(key, out);
    return out;
  }
}

function buildPods(state: ClusterState, topology: Topology): { pods: CompiledPod[]; podIndex: Map<WorkloadRef, number>; dnsPods: number[]; nsLabels: Map<string, Labels> } {
  const nsLabels = new Map<string, Labels>();
  for (const ns of state.namespaces) nsLabels.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });
  const pods: CompiledPod[] = [];
  const podIndex = new Map<WorkloadRef, number>();
  const labelsOf = (ns: string): Labels => nsLabels.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  for (const w of state.workloads) {
    const ipText = topology.podIps.get(w.ref);
    if (ipText === undefined) throw new Error(`topology has no pod IP for ${w.ref}`);
    const index = pods.length;
    podIndex.set(w.ref, index);
    pods.push({ index, ref: w.ref, display: w.ref, namespace: w.namespace, labels: w.labels, namespaceLabels: labelsOf(w.namespace), ip: parseIp(ipText), ports: w.ports });
  }
  const dnsPods: number[] = [];
  topology.dnsPods.forEach((d, i) => {
    // A DNS pod belongs to its namespace; a namespace the scenario does not declare exists
    // with exactly the labels the topology reports: a real cluster's may lack
    // kubernetes.io/metadata.name (automatic only since Kubernetes 1.21).
    if (!nsLabels.has(d.namespace)) nsLabels.set(d.namespace, { ...d.namespaceLabels });
    const index = pods.length;
    dnsPods.push(index);
    const display = topology.dnsPods.length === 1 ? `${d.namespace}/dns` : `${d.namespace}/dns-${i}`;
    pods.push({ index, display, namespace: d.namespace, labels: d.labels, namespaceLabels: labelsOf(d.namespace), ip: parseIp(d.ip), ports: DNS_POD_PORTS });
  });
  return { pods, podIndex, dnsPods, nsLabels };
}

/**
 * The numbers `name` has on the pods of `namespace` for `protocol`, ascending, without repeats.
 */
function portNumbersInNamespace(pods: readonly CompiledPod[], namespace: string, name: string, protocol: DefaultedPort['protocol']): number[] {
  const numbers = new Set<number>();
  for (const p of pods) if (p.namespace === namespace) for (const c of p.ports) if (c.name === name && c.protocol === protocol) numbers.add(c.port);
  return [...numbers].sort((a, b) => a - b);
}

/**
 * CompileOptions `egressNamedPortsByPolicyNamespace`: the ports of an egress rule without `to`
 * with each named entry replaced by its numbers in the policy's namespace (none when no pod
 * there serves it), and the written entry each comes from.
 */
function namedPortsByNamespace(ports: readonly DefaultedPort[], pods: readonly CompiledPod[], namespace: string): { ports: DefaultedPort[]; portOrigins: number[] } {
  const out: DefaultedPort[] = [];
  const portOrigins: number[] = [];
  ports.forEach((p, i) => {
    const numbers = typeof p.port === 'string' ? portNumbersInNamespace(pods, namespace, p.port, p.protocol) : undefined;
    for (const entry of numbers?.map((port) => ({ protocol: p.protocol, port })) ?? [p]) {
      out.push(entry);
      portOrigins.push(i);
    }
  });
  return { ports: out, portOrigins };
}

/**
 * Compiles `state` (placeholders already resolved) over `topology`'s addresses. The pods are
 * the state's workloads, then `topology.dnsPods`. Policies must be valid (validatePolicy);
 * they are defaulted here (DESIGN rule 1) and sorted by key. Pure.
 */
export function compileState(state: ClusterState, topology: Topology, options: CompileOptions = {}): CompiledState {
  const opts: Required<CompileOptions> = {
    ipBlockMatchesPods: options.ipBlockMatchesPods ?? true,
    selfTrafficAllowed: options.selfTrafficAllowed ?? true,
    crossDirectionRules: options.crossDirectionRules ?? false,
    egressNamedPortsByPolicyNamespace: options.egressNamedPortsByPolicyNamespace ?? false,
  };
  const { pods, podIndex, dnsPods, nsLabels } = buildPods(state, topology);
  const namespaces = new Map<string, NamespaceInfo>();
  for (const [name, labels] of nsLabels) namespaces.set(name, { labels, members: emptyBitset(pods.length) });
  for (const p of pods) {
    let ns = namespaces.get(p.namespace);
    if (!ns) {
      ns = { labels: p.namespaceLabels, members: emptyBitset(pods.length) };
      namespaces.set(p.namespace, ns);
    }
    setBit(ns.members, p.index);
  }
  const cache = new SetCache(pods, namespaces, opts);
  const ruleUnion = (peers: readonly CompiledPeer[]): Bitset => {
    const u = emptyBitset(pods.length);
    for (const peer of peers) orInto(u, peer.pods);
    return u;
  };
  const compileRules = (rules: DefaultedPolicy['ingress'], ns: string, direction: 'ingress' | 'egress'): CompiledRule[] =>
    rules.map((r) => {
      const out: { peers?: readonly CompiledPeer[]; peerUnion?: Bitset; ports?: readonly DefaultedPort[]; portOrigins?: readonly number[] } = {};
      if (r.peers) {
        const peers = r.peers.map((p) => cache.peer(p, ns));
        out.peers = peers;
        out.peerUnion = peers.length === 1 ? peers[0]!.pods : ruleUnion(peers);
      }
      if (r.ports) {
        const rewrite = direction === 'egress' && !r.peers && opts.egressNamedPortsByPolicyNamespace && r.ports.some((p) => typeof p.port === 'string');
        if (rewrite) Object.assign(out, namedPortsByNamespace(r.ports, pods, ns));
        else out.ports = r.ports;
      }
      return out;
    });

  const defaulted = state.policies.map((m) => defaultPolicy(m.policy)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const ingressPolicies: number[][] = pods.map(() => []);
  const egressPolicies: number[][] = pods.map(() => []);
  const policies: CompiledPolicy[] = defaulted.map((policy, pi) => {
    // DESIGN rule 4: the podSelector picks pods of the policy's own namespace only.
    const selected = Uint32Array.from(cache.podsMatching(policy.podSelector));
    andInto(selected, cache.namespaceMembers(policy.namespace));
    const out: { key: PolicyKey; policy: DefaultedPolicy; selected: Bitset; ingress?: readonly CompiledRule[]; egress?: readonly CompiledRule[] } = { key: policy.key, policy, selected };
    // DESIGN rule 2: a pod is isolated in a direction by any selecting policy of that type.
    if (policy.policyTypes.includes('Ingress')) {
      out.ingress = compileRules(policy.ingress, policy.namespace, 'ingress');
      forEachBit(selected, (i) => ingressPolicies[i]!.push(pi));
    }
    if (policy.policyTypes.includes('Egress')) {
      out.egress = compileRules(policy.egress, policy.namespace, 'egress');
      forEachBit(selected, (i) => egressPolicies[i]!.push(pi));
    }
    return out;
  });
  return { pods, podIndex, dnsPods, policies, ingressPolicies, egressPolicies, options: opts };
}

/** Every pod index, as a set (for "all peers"). */
export function allPods(compiled: CompiledState): Bitset {
  return fullBitset(compiled.pods.length);
}

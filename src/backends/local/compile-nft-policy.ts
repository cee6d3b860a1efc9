/**
 * NetworkPolicies -> one nftables table (`inet nph`), the local dataplane's enforcement. Pure:
 * state and addresses in, `nft -f` text out. The table is loaded in the node namespace
 * (forward hook: every pod-to-pod, pod-to-Service and pod-to-external flow, judged after DNAT).
 * A pod reaching itself is accepted first: "a pod cannot block access to itself" (Kubernetes
 * docs; the simulator's `selfTrafficAllowed`); by its own IP such traffic never even leaves
 * its namespace (the output chain on `lo` would see it, if the table were loaded there).
 *
 * Layout: stateful for replies only (`ct direction reply accept`, and ICMP errors: `ct state
 * related accept`): every packet in a flow's original direction is judged by the policies in
 * force, so a new table decides at once, also for a probe that reuses the ports of a flow
 * allowed before (an accepted UDP flow stays in conntrack for minutes); then a dispatch chain: the source
 * IP of an egress-isolated pod jumps to its egress chain, whose allowing rules `return` and
 * whose end drops; then the destination IP of an ingress-isolated pod jumps to its ingress
 * chain, whose allowing rules accept and whose end drops. Pods not isolated in a direction
 * have no chain for it (DESIGN rule 2). Each rule becomes one nft rule per (peer, port) pair:
 * peers OR, ports OR, a peer's selectors AND (rules 5-6).
 */
import { formatIp, parseIpBlock, type Cidr } from '../../policy/cidr.js';
import { defaultPolicy } from '../../policy/default-policy.js';
import type { ContainerPort } from '../../policy/match-port.js';
import { matchesSelector } from '../../policy/selector.js';
import type { DefaultedPolicy, DefaultedPort, Labels, NetworkPolicy, NetworkPolicyPeer, Protocol } from '../../policy/types.js';
import { NAMESPACE_NAME_LABEL, type ClusterState, type WorkloadRef } from '../../scenario/types.js';
import { isIPv4 } from 'node:net';

/** A pod as the policy table sees it: current labels, its IP and the ports it declares. */
export interface NftPod {
  /** For comments only, e.g. `demo/frontend`. */
  readonly display: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ip: string;
  readonly ports: readonly ContainerPort[];
}

/** Name of the policy table (family inet). */
export const POLICY_TABLE = 'nph';

type Direction = 'ingress' | 'egress';

const L4: Record<Protocol, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

function set(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
}

/** `network/prefix` with the host bits cleared (nft rejects them; the API server accepts them). */
function canonicalCidr(cidr: Cidr): string {
  return `${formatIp({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`;
}

/**
 * The match of one peer on the remote address (`saddr` for ingress, `daddr` for egress), or
 * undefined when it matches nothing. DESIGN rule 5: podSelector alone = the policy's
 * namespace; namespaceSelector alone = every pod of matching namespaces; both = AND.
 * Rule 9: ipBlock is CIDR minus except and also matches pod IPs.
 */
function peerMatch(peer: NetworkPolicyPeer, policy: DefaultedPolicy, pods: readonly NftPod[], namespaceLabels: (ns: string) => Labels, field: 'saddr' | 'daddr'): string | undefined {
  if (peer.ipBlock !== undefined) {
    // One `!=` per except: they may overlap, which an nft interval set would reject.
    const block = parseIpBlock(peer.ipBlock);
    if (block === undefined) throw new Error(`${policy.key}: invalid ipBlock ${JSON.stringify(peer.ipBlock)} (validation should have caught it)`);
    return [block.cidr, ...block.except]
      .map((cidr, i) => `${cidr.family === 4 ? 'ip' : 'ip6'} ${field} ${i === 0 ? '' : '!= '}${canonicalCidr(cidr)}`)
      .join(' ');
  }
  const ips = pods
    .filter((pod) => {
      const inNamespace = peer.namespaceSelector === undefined ? pod.namespace === policy.namespace : matchesSelector(peer.namespaceSelector, namespaceLabels(pod.namespace));
      return inNamespace && (peer.podSelector === undefined || matchesSelector(peer.podSelector, pod.labels));
    })
    .map((pod) => pod.ip);
  return ips.length === 0 ? undefined : `ip ${field} ${set(ips)}`;
}

/**
 * The match of one rule port, or undefined when it matches nothing. DESIGN rule 7: a protocol
 * without a port = every port of it; endPort = inclusive range; a named port resolves on the
 * DESTINATION pod by name and protocol: for ingress that is the selected pod itself, for
 * egress every pod declaring it (address . port pairs).
 */
function portMatch(port: DefaultedPort, direction: Direction, self: NftPod, pods: readonly NftPod[]): string | undefined {
  const l4 = L4[port.protocol];
  if (port.port === undefined) return `meta l4proto ${l4}`;
  if (typeof port.port === 'number') return `${l4} dport ${port.endPort !== undefined && port.endPort !== port.port ? `${port.port}-${port.endPort}` : port.port}`;
  const name = port.port;
  const declares = (pod: NftPod): number[] => pod.ports.filter((p) => p.name === name && p.protocol === port.protocol).map((p) => p.port);
  if (direction === 'ingress') {
    const numbers = declares(self);
    return numbers.length === 0 ? undefined : `${l4} dport ${set(numbers.map(String))}`;
  }
  const pairs = pods.flatMap((pod) => declares(pod).map((n) => `${pod.ip} . ${n}`));
  // Always braces: nft rejects a concatenation compared with a single value.
  return pairs.length === 0 ? undefined : `ip daddr . ${l4} dport { ${pairs.join(', ')} }`;
}

function ruleLines(policy: DefaultedPolicy, direction: Direction, self: NftPod, pods: readonly NftPod[], namespaceLabels: (ns: string) => Labels, verdict: string): string[] {
  const rules = direction === 'ingress' ? policy.ingress : policy.egress;
  const field = direction === 'ingress' ? 'saddr' : 'daddr';
  const lines: string[] = [];
  rules.forEach((rule, ruleIndex) => {
    lines.push(`    # ${policy.key} ${direction}[${ruleIndex}]`);
    // DESIGN rule 6: no peers = every peer; no ports = every port.
    const peers = rule.peers === undefined ? [''] : rule.peers.map((peer) => peerMatch(peer, policy, pods, namespaceLabels, field));
    const ports = rule.ports === undefined ? [''] : rule.ports.map((port) => portMatch(port, direction, self, pods));
    for (const peer of peers) {
      if (peer === undefined) continue;
      for (const port of ports) {
        if (port === undefined) continue;
        lines.push(`    ${[peer, port, verdict].filter((part) => part !== '').join(' ')}`);
      }
    }
  });
  return lines;
}

/**
 * The policy table for `policies` (as written; defaulted here, DESIGN rule 1) over `pods`
 * (workloads and DNS pods). `namespaceLabels` gives a namespace's current labels. The text
 * atomically replaces a previous table when loaded with `nft -f`. IPv4 pods only.
 */
export function compileNftPolicy(policies: readonly NetworkPolicy[], pods: readonly NftPod[], namespaceLabels: (ns: string) => Labels): string {
  for (const pod of pods) if (!isIPv4(pod.ip)) throw new Error(`pod ${pod.display}: not an IPv4 address: ${pod.ip}`);
  const defaulted = policies.map(defaultPolicy).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const chains: string[] = [];
  const egressMap: string[] = [];
  const ingressMap: string[] = [];
  pods.forEach((pod, index) => {
    const selecting = defaulted.filter((p) => p.namespace === pod.namespace && matchesSelector(p.podSelector, pod.labels));
    for (const direction of ['egress', 'ingress'] as const) {
      const type = direction === 'ingress' ? 'Ingress' : 'Egress';
      const isolating = selecting.filter((p) => p.policyTypes.includes(type));
      if (isolating.length === 0) continue;
      const chain = `${direction}_${index}`;
      (direction === 'egress' ? egressMap : ingressMap).push(`${pod.ip} : jump ${chain}`);
      chains.push(
        `  chain ${chain} {`,
        `    # ${pod.display} (${pod.ip}) is isolated for ${direction} by ${isolating.map((p) => p.key).join(', ')}`,
        ...isolating.flatMap((p) => ruleLines(p, direction, pod, pods, namespaceLabels, direction === 'egress' ? 'return' : 'accept')),
        '    drop',
        '  }',
      );
    }
  });
  return [
    `table inet ${POLICY_TABLE} {}`,
    `delete table inet ${POLICY_TABLE}`,
    `table inet ${POLICY_TABLE} {`,
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    '    ct state related accept',
    '    ct direction reply accept',
    '    jump dispatch',
    '  }',
    '  chain output {',
    '    type filter hook output priority filter; policy accept;',
    '    oif "lo" ct state related accept',
    '    oif "lo" ct direction reply accept',
    '    oif "lo" jump dispatch',
    '  }',
    ...chains,
    '  chain dispatch {',
    // A pod to itself, by its own IP or hairpinned through its Service (after DNAT).
    ...(pods.length > 0 ? [`    ip saddr . ip daddr { ${pods.map((p) => `${p.ip} . ${p.ip}`).join(', ')} } accept`] : []),
    ...(egressMap.length > 0 ? [`    ip saddr vmap { ${egressMap.join(', ')} }`] : []),
    ...(ingressMap.length > 0 ? [`    ip daddr vmap { ${ingressMap.join(', ')} }`] : []),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Addresses the local backend assigned: pod IPs, and its DNS pods with their ports. */
export interface LocalAddresses {
  readonly podIps: ReadonlyMap<WorkloadRef, string>;
  readonly dnsPods: readonly { readonly namespace: string; readonly labels: Labels; readonly ip: string; readonly ports: readonly ContainerPort[] }[];
}

/**
 * The policy table of a cluster state (policies with placeholders already resolved) over the
 * local backend's addresses. A namespace not in the state (the DNS namespace, usually) carries
 * only `kubernetes.io/metadata.name` (DESIGN rule 5).
 */
export function compileStatePolicy(state: ClusterState, addresses: LocalAddresses): string {
  const labelsOf = new Map(state.namespaces.map((ns) => [ns.name, ns.labels] as const));
  const namespaceLabels = (ns: string): Labels => labelsOf.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  const pods: NftPod[] = [
    ...state.workloads.map((w) => {
      const ip = addresses.podIps.get(w.ref);
      if (ip === undefined) throw new Error(`no pod IP for ${w.ref}`);
      return { display: w.ref, namespace: w.namespace, labels: w.labels, ip, ports: w.ports };
    }),
    ...addresses.dnsPods.map((d, i) => ({ display: `${d.namespace}/dns-${i}`, namespace: d.namespace, labels: d.labels, ip: d.ip, ports: d.ports })),
  ];
  return compileNftPolicy(
    state.policies.map((m) => m.policy),
    pods,
    namespaceLabels,
  );
}

/**
 * The straightforward evaluator the simulator is measured against: for ONE pair of pods, walk
 * every policy, check whether it selects the source (egress) or the destination (ingress), then
 * every rule, peer and port. That is what tools without a compile step do: pods^2 x policies x
 * rules. CIDRs are parsed once (memoised) so the comparison is not about string parsing.
 */
import { ipBlockContains, parseIp, parseIpBlock, type IpAddress, type ParsedIpBlock } from '../src/policy/cidr.js';
import { matchesSelector } from '../src/policy/selector.js';
import type { Labels, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Protocol } from '../src/policy/types.js';

export interface NaivePod {
  readonly namespace: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  readonly ip: IpAddress | undefined;
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol; readonly name?: string }[];
}

export class NaiveReference {
  private readonly blocks = new Map<string, ParsedIpBlock | undefined>();

  constructor(
    private readonly pods: readonly NaivePod[],
    private readonly policies: readonly NetworkPolicy[],
  ) {}

  static ip(text: string): IpAddress | undefined {
    return parseIp(text);
  }

  /** True when pod `s` may connect to pod `t` on port/protocol (egress at s AND ingress at t). */
  allowed(s: number, t: number, port: number, protocol: Protocol): boolean {
    const src = this.pods[s]!;
    const dst = this.pods[t]!;
    // "A pod cannot block access to itself" (Kubernetes docs).
    if (s === t) return true;
    return this.side('Egress', src, dst, dst, port, protocol) && this.side('Ingress', dst, src, dst, port, protocol);
  }

  private side(dir: 'Ingress' | 'Egress', self: NaivePod, other: NaivePod, dest: NaivePod, port: number, protocol: Protocol): boolean {
    let isolated = false;
    for (const policy of this.policies) {
      const { spec, metadata } = policy;
      const types = spec.policyTypes && spec.policyTypes.length > 0 ? spec.policyTypes : (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      if (!types.includes(dir)) continue;
      if (metadata.namespace !== self.namespace || !matchesSelector(spec.podSelector, self.labels)) continue;
      isolated = true;
      const rules = dir === 'Ingress' ? (spec.ingress ?? []).map((r) => [r.from, r.ports] as const) : (spec.egress ?? []).map((r) => [r.to, r.ports] as const);
      for (const [peers, ports] of rules) {
        if (this.peersMatch(peers, other, metadata.namespace) && this.portsMatch(ports, dest, port, protocol)) return true;
      }
    }
    return !isolated;
  }

  private peersMatch(peers: readonly NetworkPolicyPeer[] | undefined, other: NaivePod, policyNs: string): boolean {
    if (!peers || peers.length === 0) return true;
    for (const p of peers) {
      if (p.ipBlock) {
        const key = JSON.stringify(p.ipBlock);
        if (!this.blocks.has(key)) this.blocks.set(key, parseIpBlock(p.ipBlock));
        const block = this.blocks.get(key);
        if (block && other.ip && ipBlockContains(block, other.ip)) return true;
        continue;
      }
      const nsOk = p.namespaceSelector ? matchesSelector(p.namespaceSelector, other.namespaceLabels) : other.namespace === policyNs;
      if (nsOk && (!p.podSelector || matchesSelector(p.podSelector, other.labels))) return true;
    }
    return false;
  }

  private portsMatch(ports: readonly NetworkPolicyPort[] | undefined, dest: NaivePod, port: number, protocol: Protocol): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((rp) => {
      if ((rp.protocol ?? 'TCP') !== protocol) return false;
      if (rp.port === undefined) return true;
      if (typeof rp.port === 'number') return port >= rp.port && port <= (rp.endPort ?? rp.port);
      return dest.ports.some((c) => c.name === rp.port && c.protocol === protocol && c.port === port);
    });
  }
}

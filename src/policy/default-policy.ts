/**
 * API-server defaulting of a NetworkPolicy (DESIGN rule 1), plus the normalisations of
 * rule 6 that the simulator relies on.
 */
import {
  toPolicyKey,
  type DefaultedPolicy,
  type DefaultedPort,
  type DefaultedRule,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PolicyType,
} from './types.js';

/**
 * The policy types in force. DESIGN rule 1: when `policyTypes` is absent or empty the API
 * server sets `[Ingress]`, plus `Egress` when `egress` has at least one rule (so
 * `egress: []` does not make a policy an egress policy; `egress: [{}]` does). Duplicates
 * are dropped; the order is Ingress, Egress.
 */
export function effectivePolicyTypes(policy: NetworkPolicy): readonly PolicyType[] {
  const written = policy.spec.policyTypes ?? [];
  if (written.length === 0) return (policy.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const out: PolicyType[] = [];
  if (written.includes('Ingress')) out.push('Ingress');
  if (written.includes('Egress')) out.push('Egress');
  return out;
}

function defaultPort(port: NetworkPolicyPort): DefaultedPort {
  // DESIGN rule 1: a port's protocol defaults to TCP.
  const out: { protocol: DefaultedPort['protocol']; port?: number | string; endPort?: number } = { protocol: port.protocol ?? 'TCP' };
  if (port.port !== undefined) out.port = port.port;
  if (port.endPort !== undefined) out.endPort = port.endPort;
  return out;
}

function defaultRule(peers: readonly NetworkPolicyPeer[] | undefined, ports: readonly NetworkPolicyPort[] | undefined): DefaultedRule {
  // DESIGN rule 6: an absent or empty from/to means every peer; absent or empty ports every port.
  const out: { peers?: readonly NetworkPolicyPeer[]; ports?: readonly DefaultedPort[] } = {};
  if (peers && peers.length > 0) out.peers = peers;
  if (ports && ports.length > 0) out.ports = ports.map(defaultPort);
  return out;
}

/**
 * Defaults a policy as the API server would (DESIGN rule 1): infers `policyTypes`, defaults
 * port protocols to TCP, and keeps only the rules of the directions in `policyTypes` (the
 * others are ignored: `[]`). Rule, peer and port indexes are those of the policy as written.
 * The policy must be valid (validatePolicy).
 */
export function defaultPolicy(policy: NetworkPolicy): DefaultedPolicy {
  const policyTypes = effectivePolicyTypes(policy);
  const { name, namespace } = policy.metadata;
  return {
    key: toPolicyKey(namespace, name),
    namespace,
    name,
    podSelector: policy.spec.podSelector,
    policyTypes,
    ingress: policyTypes.includes('Ingress') ? (policy.spec.ingress ?? []).map((r) => defaultRule(r.from, r.ports)) : [],
    egress: policyTypes.includes('Egress') ? (policy.spec.egress ?? []).map((r) => defaultRule(r.to, r.ports)) : [],
  };
}

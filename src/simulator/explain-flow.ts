/**
 * Why a flow is allowed or denied, in parts a reader can act on: for an allowed side the
 * rule that admits it (its matching peer, its port with a named port resolved); for a denied
 * side, per isolating policy, the rule that comes closest and every part of it that fails
 * (namespace labels, pod labels, the policy's own namespace, ipBlock cidr or except, port,
 * protocol), with the labels wanted and the labels present.
 *
 * Pure, and apart from `predict`: it runs only when a reason is rendered, so predicting and
 * the matrix evaluation stay as fast as they were. The verdicts it explains are `predict`'s;
 * it never decides a verdict itself.
 */
import { assertNever } from '../assert-never.js';
import { cidrContains, formatIp, parseIp, type IpAddress } from '../policy/cidr.js';
import type { ContainerPort } from '../policy/match-port.js';
import { unmetRequirements, type UnmetRequirement } from '../policy/selector.js';
import type { DefaultedPort, LabelSelector, Labels, NetworkPolicyPeer, PolicyKey, Protocol } from '../policy/types.js';
import type { Probe } from '../probe/types.js';
import { sourceWorkload } from '../probe/types.js';
import type { WorkloadRef } from '../scenario/types.js';
import type { CompiledPeer, CompiledPod, CompiledState } from './compile-state.js';
import { chooseDnsPod, DNS_PORT, DNS_PROTOCOL } from './predict.js';
import type { DirectionVerdict, FlowVerdict, Prediction } from './types.js';

/** Why one peer (`from`/`to` entry) does not match the other end of the flow. */
export type PeerMiss =
  /** A podSelector without namespaceSelector selects in the policy's namespace only. */
  | { readonly kind: 'policy-namespace'; readonly pod: string; readonly wanted: string; readonly actual: string }
  | { readonly kind: 'namespace-labels'; readonly namespace: string; readonly selector: LabelSelector; readonly unmet: readonly UnmetRequirement[]; readonly labels: Labels }
  | { readonly kind: 'pod-labels'; readonly pod: string; readonly selector: LabelSelector; readonly unmet: readonly UnmetRequirement[]; readonly labels: Labels }
  /** Selectors match pods only; the other end is an address outside the cluster. */
  | { readonly kind: 'not-a-pod'; readonly ip: string }
  | { readonly kind: 'outside-cidr'; readonly cidr: string; readonly ip: string }
  | { readonly kind: 'in-except'; readonly cidr: string; readonly except: string; readonly ip: string }
  /** The CNI profile in use does not match pod IPs with ipBlocks. */
  | { readonly kind: 'ip-block-ignores-pods'; readonly cidr: string; readonly pod: string }
  | { readonly kind: 'no-address'; readonly cidr: string };

/** Why one entry of a rule's `ports` does not admit the flow's port. */
export type PortMiss =
  | { readonly kind: 'protocol'; readonly wanted: Protocol; readonly actual: Protocol }
  | { readonly kind: 'number'; readonly actual: number }
  /** A named port the destination does not serve (by that name and protocol). */
  | { readonly kind: 'name-not-served'; readonly name: string; readonly destination: string }
  /** A named port the destination serves on another number. */
  | { readonly kind: 'name-elsewhere'; readonly name: string; readonly resolved: number; readonly actual: number }
  /** A named port never matches an address outside the cluster. */
  | { readonly kind: 'name-not-a-pod'; readonly name: string }
  /** A named port resolved in the policy's namespace (`PortCheck.inNamespace`), where no pod serves it. */
  | { readonly kind: 'name-not-in-namespace'; readonly name: string; readonly namespace: string };

/** One peer of a rule checked against the other end; `misses` is empty when it matches. */
export interface PeerCheck {
  /** 0-based index in the rule's from/to list. */
  readonly index: number;
  readonly peer: NetworkPolicyPeer;
  readonly misses: readonly PeerMiss[];
}

/** One port entry of a rule checked against the flow; `miss` is absent when it admits the port. */
export interface PortCheck {
  /** 0-based index in the rule's ports list. */
  readonly index: number;
  readonly port: DefaultedPort;
  /** A named port's number on the destination pod, when it serves that name. */
  readonly resolved?: number;
  /**
   * Set when the CNI profile resolves this named port on the pods of the policy's namespace
   * and opens the numbers found there towards every destination (an egress rule without `to`,
   * CompileOptions `egressNamedPortsByPolicyNamespace`): that namespace and those numbers.
   */
  readonly inNamespace?: { readonly namespace: string; readonly numbers: readonly number[] };
  readonly miss?: PortMiss;
}

/** One rule checked against the flow: its closest peer and every port entry. */
export interface RuleCheck {
  readonly policy: PolicyKey;
  readonly direction: 'egress' | 'ingress';
  /** 0-based index in the policy's ingress or egress list. */
  readonly rule: number;
  /**
   * The rule is of the other direction than the side it decides (CompileOptions
   * `crossDirectionRules`): its peer was checked against the deciding pod itself, and its
   * policy selects both ends of the flow.
   */
  readonly crossDirection?: true;
  /** How many peers the rule lists (0: no from/to, every peer). */
  readonly peerCount: number;
  /** The peer with the fewest misses (the first on a tie); undefined when the rule has no peers. */
  readonly peer?: PeerCheck;
  /** Every port entry, in order; undefined when the rule has no ports (every port). */
  readonly ports?: readonly PortCheck[];
  /** True when no port entry admits the flow's port. */
  readonly portMissed: boolean;
  /** Failing parts: the closest peer's misses, plus one when no port entry admits the port. */
  readonly misses: number;
}

/** An isolating policy of a denied side and its rules that come closest. */
export interface PolicyMiss {
  readonly policy: PolicyKey;
  /**
   * The rules failing on the fewest parts, in rule order (several on a tie); empty when the
   * policy has no rules in this direction: it admits nothing.
   */
  readonly closest: readonly RuleCheck[];
}

/** One direction of a flow, explained. */
export interface SideExplanation {
  readonly verdict: DirectionVerdict;
  /** The pod whose policies decide this side (the source for egress, the destination for ingress). */
  readonly pod: string;
  /** The other end: a pod's `<ns>/<name>`, or an address. */
  readonly other: string;
  /** The admitting rule, checked part by part; set when an isolated side is allowed. */
  readonly allowedBy?: RuleCheck;
  /** Per isolating policy (in `verdict.isolatedBy` order), its closest rule; set when denied. */
  readonly misses?: readonly PolicyMiss[];
}

/** Both directions of one flow, explained. */
export interface FlowExplanation {
  readonly allowed: boolean;
  readonly egress: SideExplanation;
  /** undefined for a destination outside the cluster. */
  readonly ingress?: SideExplanation;
  /** For a flow to the cluster DNS: the DNS pod it was judged against; undefined when there is none. */
  readonly dnsPod?: string;
}

/** A probe's prediction, explained: the flow itself and, for probes by Service name, the lookup. */
export interface ProbeExplanation {
  readonly flow: FlowExplanation;
  readonly dns?: FlowExplanation;
}

/** The other end of a flow as one side's rules see it. */
type Counterpart = { readonly kind: 'pod'; readonly pod: CompiledPod } | { readonly kind: 'address'; readonly ip: IpAddress | undefined; readonly text: string };

function counterpartName(c: Counterpart): string {
  return c.kind === 'pod' ? c.pod.display : c.text;
}

function ipBlockMisses(peer: NetworkPolicyPeer, compiledPeer: CompiledPeer | undefined, other: Counterpart, compiled: CompiledState): PeerMiss[] {
  const block = peer.ipBlock!;
  if (other.kind === 'pod' && !compiled.options.ipBlockMatchesPods) return [{ kind: 'ip-block-ignores-pods', cidr: block.cidr, pod: other.pod.display }];
  const ip = other.kind === 'pod' ? other.pod.ip : other.ip;
  const parsed = compiledPeer?.ipBlock;
  if (!ip || !parsed) return [{ kind: 'no-address', cidr: block.cidr }];
  const text = formatIp(ip);
  if (!cidrContains(parsed.cidr, ip)) return [{ kind: 'outside-cidr', cidr: block.cidr, ip: text }];
  const hit = parsed.except.findIndex((e) => cidrContains(e, ip));
  return hit < 0 ? [] : [{ kind: 'in-except', cidr: block.cidr, except: block.except?.[hit] ?? parsed.except[hit]!.text, ip: text }];
}

/** Every part of `peer` that fails for `other`; empty when the peer matches (DESIGN rules 5, 9). */
function peerMisses(peer: NetworkPolicyPeer, compiledPeer: CompiledPeer | undefined, policyNamespace: string, other: Counterpart, compiled: CompiledState): PeerMiss[] {
  if (peer.ipBlock) return ipBlockMisses(peer, compiledPeer, other, compiled);
  if (other.kind === 'address') return [{ kind: 'not-a-pod', ip: other.text }];
  const pod = other.pod;
  const out: PeerMiss[] = [];
  if (peer.namespaceSelector) {
    const unmet = unmetRequirements(peer.namespaceSelector, pod.namespaceLabels);
    if (unmet.length > 0) out.push({ kind: 'namespace-labels', namespace: pod.namespace, selector: peer.namespaceSelector, unmet, labels: pod.namespaceLabels });
  } else if (pod.namespace !== policyNamespace) {
    out.push({ kind: 'policy-namespace', pod: pod.display, wanted: policyNamespace, actual: pod.namespace });
  }
  if (peer.podSelector) {
    const unmet = unmetRequirements(peer.podSelector, pod.labels);
    if (unmet.length > 0) out.push({ kind: 'pod-labels', pod: pod.display, selector: peer.podSelector, unmet, labels: pod.labels });
  }
  return out;
}

/** One port entry against the flow's port (DESIGN rule 7: named ports resolve on the destination). */
function checkPort(index: number, rulePort: DefaultedPort, port: number, protocol: Protocol, destination: CompiledPod | undefined): PortCheck {
  const base = { index, port: rulePort };
  if (typeof rulePort.port === 'string') {
    const name = rulePort.port;
    if (!destination) return { ...base, miss: { kind: 'name-not-a-pod', name } };
    const served = destination.ports.find((c: ContainerPort) => c.name === name && c.protocol === rulePort.protocol);
    if (!served) return { ...base, miss: { kind: 'name-not-served', name, destination: destination.display } };
    const resolved = { ...base, resolved: served.port };
    if (rulePort.protocol !== protocol) return { ...resolved, miss: { kind: 'protocol', wanted: rulePort.protocol, actual: protocol } };
    return served.port === port ? resolved : { ...resolved, miss: { kind: 'name-elsewhere', name, resolved: served.port, actual: port } };
  }
  if (rulePort.protocol !== protocol) return { ...base, miss: { kind: 'protocol', wanted: rulePort.protocol, actual: protocol } };
  if (rulePort.port === undefined) return base;
  const end = rulePort.endPort ?? rulePort.port;
  return port >= rulePort.port && port <= end ? base : { ...base, miss: { kind: 'number', actual: port } };
}

/**
 * A named port of an egress rule without `to` under CompileOptions
 * `egressNamedPortsByPolicyNamespace`: `numbers` are what it became in `namespace`.
 */
function checkPortInNamespace(index: number, rulePort: DefaultedPort & { readonly port: string }, numbers: readonly number[], namespace: string, port: number, protocol: Protocol): PortCheck {
  const base = { index, port: rulePort, inNamespace: { namespace, numbers } };
  if (numbers.length === 0) return { ...base, miss: { kind: 'name-not-in-namespace', name: rulePort.port, namespace } };
  if (rulePort.protocol !== protocol) return { ...base, miss: { kind: 'protocol', wanted: rulePort.protocol, actual: protocol } };
  return numbers.includes(port) ? base : { ...base, miss: { kind: 'number', actual: port } };
}

interface FlowSide {
  readonly direction: 'egress' | 'ingress';
  readonly other: Counterpart;
  readonly port: number;
  readonly protocol: Protocol;
  /** The destination pod (ports resolve there); undefined for an address outside the cluster. */
  readonly destination: CompiledPod | undefined;
  /** Checking a rule of the other direction than the side it decides (CompileOptions `crossDirectionRules`). */
  readonly crossDirection?: true;
}

/** Rule `r` of policy `pi` in `side.direction`, checked part by part. */
function checkRule(compiled: CompiledState, pi: number, r: number, side: FlowSide): RuleCheck {
  const compiledPolicy = compiled.policies[pi]!;
  const policy = compiledPolicy.policy;
  const rule = (side.direction === 'egress' ? policy.egress : policy.ingress)[r]!;
  const compiledRule = (side.direction === 'egress' ? compiledPolicy.egress : compiledPolicy.ingress)?.[r];
  let peer: PeerCheck | undefined;
  if (rule.peers) {
    const checks = rule.peers.map((p, i) => ({ index: i, peer: p, misses: peerMisses(p, compiledRule?.peers?.[i], policy.namespace, side.other, compiled) }));
    peer = checks.reduce((best, c) => (c.misses.length < best.misses.length ? c : best));
  }
  const rewritten = compiledRule?.portOrigins;
  const ports = rule.ports?.map((p, i) => {
    if (!rewritten || typeof p.port !== 'string') return checkPort(i, p, side.port, side.protocol, side.destination);
    const numbers = compiledRule.ports!.filter((_, j) => rewritten[j] === i).map((c) => c.port as number);
    return checkPortInNamespace(i, { ...p, port: p.port }, numbers, policy.namespace, side.port, side.protocol);
  });
  const portMissed = ports !== undefined && ports.every((c) => c.miss !== undefined);
  const misses = (peer?.misses.length ?? 0) + (portMissed ? 1 : 0);
  return { policy: policy.key, direction: side.direction, rule: r, ...(side.crossDirection ? { crossDirection: true as const } : {}), peerCount: rule.peers?.length ?? 0, ...(peer ? { peer } : {}), ...(ports ? { ports } : {}), portMissed, misses };
}

/** Policy index by key, per compiled state (built on first use: explanations only). */
const POLICY_INDEXES = new WeakMap<CompiledState, ReadonlyMap<PolicyKey, number>>();

function policyIndex(compiled: CompiledState, key: PolicyKey): number {
  let indexes = POLICY_INDEXES.get(compiled);
  if (!indexes) {
    indexes = new Map(compiled.policies.map((p, i) => [p.key, i]));
    POLICY_INDEXES.set(compiled, indexes);
  }
  const i = indexes.get(key);
  if (i === undefined) throw new Error(`unknown policy in a verdict: ${key}`);
  return i;
}

function explainSide(compiled: CompiledState, verdict: DirectionVerdict, pod: CompiledPod | undefined, side: FlowSide): SideExplanation {
  const base = { verdict, pod: pod?.display ?? '', other: counterpartName(side.other) };
  if (verdict.allowedBy) {
    const by = verdict.allowedBy;
    // A rule of the other direction admits the deciding pod itself as its peer.
    const checked: FlowSide =
      by.crossDirection && pod ? { ...side, direction: side.direction === 'egress' ? 'ingress' : 'egress', other: { kind: 'pod', pod }, crossDirection: true } : side;
    return { ...base, allowedBy: checkRule(compiled, policyIndex(compiled, by.policy), by.rule, checked) };
  }
  if (verdict.allowed) return base;
  const misses = verdict.isolatedBy.map((key): PolicyMiss => {
    const pi = policyIndex(compiled, key);
    const rules = (side.direction === 'egress' ? compiled.policies[pi]!.policy.egress : compiled.policies[pi]!.policy.ingress) ?? [];
    const checks = rules.map((_, r) => checkRule(compiled, pi, r, side));
    const fewest = Math.min(...checks.map((c) => c.misses));
    return { policy: key, closest: checks.filter((c) => c.misses === fewest) };
  });
  return { ...base, misses };
}

/** Explains a verdict of `podFlow`/`externalFlow` between `source` and `destination`. */
function explainFlow(compiled: CompiledState, flow: FlowVerdict, source: CompiledPod, destination: Counterpart, port: number, protocol: Protocol): FlowExplanation {
  const destPod = destination.kind === 'pod' ? destination.pod : undefined;
  const egress = explainSide(compiled, flow.egress, source, { direction: 'egress', other: destination, port, protocol, destination: destPod });
  if (!flow.ingress || !destPod) return { allowed: flow.allowed, egress };
  const ingress = explainSide(compiled, flow.ingress, destPod, { direction: 'ingress', other: { kind: 'pod', pod: source }, port, protocol, destination: destPod });
  return { allowed: flow.allowed, egress, ingress };
}

function explainDns(compiled: CompiledState, flow: FlowVerdict, source: CompiledPod, protocol: Protocol = DNS_PROTOCOL): FlowExplanation {
  const chosen = chooseDnsPod(compiled, source.index, protocol);
  if (!chosen) {
    // No DNS pod: nothing can answer the lookup.
    const egress: SideExplanation = { verdict: flow.egress, pod: source.display, other: 'a DNS pod' };
    return { allowed: false, egress };
  }
  const dnsPod = compiled.pods[chosen.pod]!;
  return { ...explainFlow(compiled, flow, source, { kind: 'pod', pod: dnsPod }, DNS_PORT, protocol), dnsPod: dnsPod.display };
}

/** A flow from an external client: no egress side (outside the cluster), the target's ingress against the address. */
function explainFromExternal(compiled: CompiledState, flow: FlowVerdict, client: { readonly name: string; readonly ip: string }, destination: CompiledPod, port: number, protocol: Protocol): FlowExplanation {
  const text = `${client.name} (${client.ip})`;
  const egress: SideExplanation = { verdict: flow.egress, pod: text, other: destination.display };
  const other: Counterpart = { kind: 'address', ip: parseIp(client.ip), text };
  const ingress = explainSide(compiled, flow.ingress!, destination, { direction: 'ingress', other, port, protocol, destination });
  return { allowed: flow.allowed, egress, ingress };
}

function podAt(compiled: CompiledState, ref: WorkloadRef): CompiledPod {
  const i = compiled.podIndex.get(ref);
  if (i === undefined) throw new Error(`unknown workload in probe: ${ref}`);
  return compiled.pods[i]!;
}

/**
 * Explains `prediction` (the result of `predict(compiled, probe)`): each side of the flow and,
 * for a probe by Service name, each side of the DNS lookup it needs. Pure; throws only on a
 * prediction that does not belong to `compiled` (a bug).
 */
export function explainProbe(compiled: CompiledState, probe: Probe, prediction: Prediction): ProbeExplanation {
  if (probe.fromExternal !== undefined) {
    if (probe.to.kind !== 'workload') throw new Error(`probe ${probe.key}: an external client probes workloads only`);
    return { flow: explainFromExternal(compiled, prediction.flow, probe.fromExternal, podAt(compiled, probe.to.ref), probe.port, probe.protocol) };
  }
  const source = podAt(compiled, sourceWorkload(probe));
  let flow: FlowExplanation;
  switch (probe.to.kind) {
    case 'workload':
      flow = explainFlow(compiled, prediction.flow, source, { kind: 'pod', pod: podAt(compiled, probe.to.ref) }, probe.port, probe.protocol);
      break;
    case 'external':
      flow = explainFlow(compiled, prediction.flow, source, { kind: 'address', ip: parseIp(probe.to.ip), text: probe.to.ip }, probe.port, probe.protocol);
      break;
    case 'dns':
      flow = explainDns(compiled, prediction.flow, source, probe.protocol);
      break;
    default:
      return assertNever(probe.to, 'probe target');
  }
  return prediction.dns ? { flow, dns: explainDns(compiled, prediction.dns, source) } : { flow };
}

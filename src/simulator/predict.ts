/**
 * Predicts one probe on a compiled state, with the structured reason (DESIGN rules 2, 3, 7,
 * 9-12). Reports and `explain` render the reason; they never recompute it.
 */
import { assertNever } from '../assert-never.js';
import { ipBlockContains, parseIp, type IpAddress } from '../policy/cidr.js';
import { portMatches, type ContainerPort } from '../policy/match-port.js';
import type { PolicyKey, Protocol } from '../policy/types.js';
import type { Probe } from '../probe/types.js';
import { sourceWorkload } from '../probe/types.js';
import type { WorkloadRef } from '../scenario/types.js';
import { hasBit } from './bitset.js';
import type { CompiledPeer, CompiledRule, CompiledState } from './compile-state.js';
import { flowMemo, type FlowMemo } from './flow-memo.js';
import type { AllowingRule, DirectionVerdict, FlowVerdict, Prediction } from './types.js';

/** The cluster DNS port and protocol a Service-name lookup needs (DESIGN rule 11). */
export const DNS_PORT = 53;
export const DNS_PROTOCOL: Protocol = 'UDP';

/** The other end of a flow, as one direction's rules see it. */
interface Counterpart {
  /** Pod index, or undefined for an external address. */
  readonly pod?: number;
  /** Set for externals: only ipBlock peers can match it. */
  readonly ip?: IpAddress;
}

function peerMatches(peer: CompiledPeer, other: Counterpart): boolean {
  if (other.pod !== undefined) return hasBit(peer.pods, other.pod);
  // Externals are not pods: selectors never match them, ipBlocks match by address.
  return peer.ipBlock !== undefined && other.ip !== undefined && ipBlockContains(peer.ipBlock, other.ip);
}

/** The first of `policy`'s `rules` admitting `other` on port/protocol (named ports resolve on `destinationPorts`), with its first matching peer and port. */
function firstAdmitting(policy: PolicyKey, rules: readonly CompiledRule[], other: Counterpart, port: number, protocol: Protocol, destinationPorts: readonly ContainerPort[] | undefined): AllowingRule | undefined {
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    let peer: number | undefined;
    if (rule.peers) {
      peer = rule.peers.findIndex((p) => peerMatches(p, other));
      if (peer < 0) continue;
    }
    let portIndex: number | undefined;
    if (rule.ports) {
      portIndex = rule.ports.findIndex((p) => portMatches(p, port, protocol, destinationPorts));
      if (portIndex < 0) continue;
    }
    const out: { policy: PolicyKey; rule: number; peer?: number; port?: number } = { policy, rule: r };
    if (peer !== undefined) out.peer = peer;
    // A rewritten port list (CompileOptions egressNamedPortsByPolicyNamespace) points back at the written entry.
    if (portIndex !== undefined) out.port = rule.portOrigins?.[portIndex] ?? portIndex;
    return out;
  }
  return undefined;
}

/**
 * Judges one side of a flow: `policyIndexes` isolate it (DESIGN rule 2); the first allowing
 * rule, in policy-key then rule order, with its first matching peer and port, is recorded.
 */
function judge(
  compiled: CompiledState,
  direction: 'egress' | 'ingress',
  policyIndexes: readonly number[],
  other: Counterpart,
  port: number,
  protocol: Protocol,
  destinationPorts: readonly ContainerPort[] | undefined,
): DirectionVerdict {
  const isolatedBy = policyIndexes.map((i) => compiled.policies[i]!.key);
  if (policyIndexes.length === 0) return { direction, isolatedBy, allowed: true };
  for (const pi of policyIndexes) {
    const policy = compiled.policies[pi]!;
    const allowedBy = firstAdmitting(policy.key, (direction === 'egress' ? policy.egress : policy.ingress) ?? [], other, port, protocol, destinationPorts);
    if (allowedBy) return { direction, isolatedBy, allowed: true, allowedBy };
  }
  return { direction, isolatedBy, allowed: false };
}

/**
 * CompileOptions `crossDirectionRules`: a side its own rules deny, opened by a rule of the
 * other direction. For the egress side of the source: an ingress rule of a policy selecting
 * the source (with Ingress among its types) that admits the source as a peer, when that
 * policy also selects the destination. For the ingress side of the destination: an egress
 * rule of a policy selecting the destination that admits it as a peer, when that policy also
 * selects the source. Ports are judged on the destination as always. Undefined when no such
 * rule admits the flow.
 */
function judgeAcross(compiled: CompiledState, denied: DirectionVerdict, source: number, destination: number, port: number, protocol: Protocol): DirectionVerdict | undefined {
  const egress = denied.direction === 'egress';
  const [self, other] = egress ? [source, destination] : [destination, source];
  const policyIndexes = egress ? compiled.ingressPolicies[source]! : compiled.egressPolicies[destination]!;
  for (const pi of policyIndexes) {
    const policy = compiled.policies[pi]!;
    if (!hasBit(policy.selected, other)) continue;
    const found = firstAdmitting(policy.key, (egress ? policy.ingress : policy.egress) ?? [], { pod: self }, port, protocol, compiled.pods[destination]!.ports);
    if (found) return { ...denied, allowed: true, allowedBy: { ...found, crossDirection: true } };
  }
  return undefined;
}

/**
 * A flow between two pods (by index): egress at the source AND ingress at the destination
 * (DESIGN rule 3), ports judged on the destination pod (rule 7). A pod to itself is allowed:
 * "a pod cannot block access to itself" (Kubernetes docs; rule 12), unless the CNI profile
 * judges it like any flow (`selfTrafficAllowed: false`). Under `crossDirectionRules` a side its
 * own rules deny may be opened by a rule of the other direction (`judgeAcross`).
 */
export function podFlow(compiled: CompiledState, source: number, destination: number, port: number, protocol: Protocol): FlowVerdict {
  // Pods alike to the policies share verdicts (flow-memo.ts): judged once per class, not per pair.
  const memo = memoOf(compiled);
  const egress = memo.egress(source, destination, port, protocol);
  const ingress = memo.ingress(source, destination, port, protocol);
  if (source === destination && compiled.options.selfTrafficAllowed) {
    return { egress: { ...egress, allowed: true, self: true }, ingress: { ...ingress, allowed: true, self: true }, allowed: true };
  }
  return { egress, ingress, allowed: egress.allowed && ingress.allowed };
}

/**
 * The memoised verdicts of `compiled` and its pod classes: pods of equal classes get the
 * same verdict objects from `podFlow` (and the same `dnsFlow`), so callers may group by them.
 */
export function memoOf(compiled: CompiledState): FlowMemo {
  return flowMemo(compiled, (direction, s, d, p, proto) => judgePods(compiled, direction, s, d, p, proto));
}

/** One side of a flow between two pods, judged from scratch. */
function judgePods(compiled: CompiledState, direction: 'egress' | 'ingress', source: number, destination: number, port: number, protocol: Protocol): DirectionVerdict {
  const destPorts = compiled.pods[destination]!.ports;
  const verdict =
    direction === 'egress'
      ? judge(compiled, 'egress', compiled.egressPolicies[source]!, { pod: destination }, port, protocol, destPorts)
      : judge(compiled, 'ingress', compiled.ingressPolicies[destination]!, { pod: source }, port, protocol, destPorts);
  if (verdict.allowed || !compiled.options.crossDirectionRules) return verdict;
  return judgeAcross(compiled, verdict, source, destination, port, protocol) ?? verdict;
}

/** The egress side of a flow that starts outside the cluster: no policy of the cluster applies there. */
const OUTSIDE_EGRESS: DirectionVerdict = { direction: 'egress', isolatedBy: [], allowed: true, outside: true };

/**
 * A flow from an address outside the cluster (an external client) to a pod: only the
 * destination's ingress applies, where only ipBlock peers can match the address.
 */
export function fromExternalFlow(compiled: CompiledState, ip: string, destination: number, port: number, protocol: Protocol): FlowVerdict {
  const addr = parseIp(ip);
  const ingress = judge(compiled, 'ingress', compiled.ingressPolicies[destination]!, addr ? { ip: addr } : {}, port, protocol, compiled.pods[destination]!.ports);
  return { egress: OUTSIDE_EGRESS, ingress, allowed: ingress.allowed };
}

/** A flow to an address outside the cluster: only the source's egress applies. */
export function externalFlow(compiled: CompiledState, source: number, ip: string, port: number, protocol: Protocol): FlowVerdict {
  const addr = parseIp(ip);
  const egress = judge(compiled, 'egress', compiled.egressPolicies[source]!, addr ? { ip: addr } : {}, port, protocol, undefined);
  return { egress, allowed: egress.allowed };
}

/**
 * The DNS pod whose verdict stands for the lookup (see `dnsFlow`), with that verdict;
 * undefined when the cluster has no DNS pod.
 */
export function chooseDnsPod(compiled: CompiledState, source: number, protocol: Protocol = DNS_PROTOCOL): { readonly pod: number; readonly flow: FlowVerdict } | undefined {
  const flows = compiled.dnsPods.map((pod) => ({ pod, flow: podFlow(compiled, source, pod, DNS_PORT, protocol) }));
  return flows.find((f) => f.flow.allowed) ?? flows.find((f) => f.flow.egress.allowed) ?? flows[0];
}

/**
 * The DNS lookup a Service-name probe needs (DESIGN rule 11): the source's egress to some
 * DNS pod on 53/UDP and that pod's ingress. The verdict of the first DNS pod that allows it;
 * when none does, of the first whose egress side is open (the block is at DNS ingress), else
 * of the first. Without DNS pods nothing resolves: egress is reported as not allowed.
 * `protocol` TCP judges a lookup over TCP (a `dns:53/TCP` probe) the same way on 53/TCP.
 */
export function dnsFlow(compiled: CompiledState, source: number, protocol: Protocol = DNS_PROTOCOL): FlowVerdict {
  // The lookup depends on the source and protocol alone: judged once per source and protocol.
  let perSource = dnsFlows.get(compiled);
  if (!perSource) {
    perSource = new Map();
    dnsFlows.set(compiled, perSource);
  }
  let flows = perSource.get(protocol);
  if (!flows) perSource.set(protocol, (flows = []));
  return (flows[source] ??= judgeDnsFlow(compiled, source, protocol));
}

const dnsFlows = new WeakMap<CompiledState, Map<Protocol, FlowVerdict[]>>();

function judgeDnsFlow(compiled: CompiledState, source: number, protocol: Protocol): FlowVerdict {
  const chosen = chooseDnsPod(compiled, source, protocol);
  if (chosen) return chosen.flow;
  const isolatedBy = compiled.egressPolicies[source]!.map((i) => compiled.policies[i]!.key);
  return { egress: { direction: 'egress', isolatedBy, allowed: false }, allowed: false };
}

function podOf(compiled: CompiledState, ref: WorkloadRef): number {
  const i = compiled.podIndex.get(ref);
  if (i === undefined) throw new Error(`unknown workload in probe: ${ref}`);
  return i;
}

function blockerOf(flow: FlowVerdict, dns: FlowVerdict | undefined): NonNullable<Prediction['blocker']> | undefined {
  if (!flow.egress.allowed) return 'egress';
  if (flow.ingress && !flow.ingress.allowed) return 'ingress';
  if (dns && !dns.allowed) return 'dns';
  return undefined;
}

/**
 * Predicts one probe. Workload targets are judged on the target pod and container port
 * whatever the addressing (DESIGN rule 10); `service-name` also needs the DNS lookup
 * (rule 11; blocker 'dns' when only that fails). External targets: source egress only,
 * ipBlock peers only. `dns` targets: exactly the lookup flow to the DNS pods on 53 over the
 * probe's protocol. From an external client: the target's ingress alone (`fromExternalFlow`).
 */
export function predict(compiled: CompiledState, probe: Probe): Prediction {
  if (probe.fromExternal !== undefined) {
    if (probe.to.kind !== 'workload') throw new Error(`probe ${probe.key}: an external client probes workloads only`);
    const flow = fromExternalFlow(compiled, probe.fromExternal.ip, podOf(compiled, probe.to.ref), probe.port, probe.protocol);
    return flow.allowed ? { allowed: true, flow } : { allowed: false, flow, blocker: 'ingress' };
  }
  const source = podOf(compiled, sourceWorkload(probe));
  let flow: FlowVerdict;
  let dns: FlowVerdict | undefined;
  switch (probe.to.kind) {
    case 'workload':
      flow = podFlow(compiled, source, podOf(compiled, probe.to.ref), probe.port, probe.protocol);
      if (probe.addressing === 'service-name') dns = dnsFlow(compiled, source);
      break;
    case 'external':
      flow = externalFlow(compiled, source, probe.to.ip, probe.port, probe.protocol);
      break;
    case 'dns':
      flow = dnsFlow(compiled, source, probe.protocol);
      break;
    default:
      return assertNever(probe.to, 'probe target');
  }
  const allowed = flow.allowed && (dns?.allowed ?? true);
  const out: { allowed: boolean; flow: FlowVerdict; dns?: FlowVerdict; blocker?: NonNullable<Prediction['blocker']> } = { allowed, flow };
  if (dns) out.dns = dns;
  const blocker = blockerOf(flow, dns);
  if (blocker) out.blocker = blocker;
  return out;
}

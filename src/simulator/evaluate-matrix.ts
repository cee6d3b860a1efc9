/**
 * The whole pod x pod reachability matrix for one port, as set operations (for the bench, and
 * for callers that want every pair at once). Same semantics as `predict` with pod-IP
 * addressing; DNS pods are included as ordinary pods.
 *
 * How: pods with the same isolating egress policies share one "allowed destinations" set
 * (computed once per group from per-policy sets); destinations with the same isolating ingress
 * policies (and the same rules admitting the port there, as named ports resolve per pod) share
 * one "allowed sources" set. Row s of the matrix is then egress(group of s) AND the transposed
 * ingress column sets; the count is a popcount over the rows. Under CompileOptions
 * `crossDirectionRules` the groups also carry the rules of the other direction that admit the
 * pod itself.
 */
import { portMatches } from '../policy/match-port.js';
import type { Protocol } from '../policy/types.js';
import { andInto, emptyBitset, forEachBit, fullBitset, hasBit, orInto, popcount, setBit, wordsFor, type Bitset } from './bitset.js';
import type { CompiledRule, CompiledState } from './compile-state.js';

export interface ReachabilityMatrix {
  /** Number of pods (rows and columns), in `CompiledState.pods` order. */
  readonly size: number;
  readonly port: number;
  readonly protocol: Protocol;
  /** rows[s] has bit t set when pod s may connect to pod t on port/protocol (self included). */
  readonly rows: readonly Bitset[];
  /** Allowed (s, t) pairs, self-pairs included. */
  readonly allowedCount: number;
  /** Distinct egress / ingress policy groups the evaluation used (for the bench's report). */
  readonly egressGroups: number;
  readonly ingressGroups: number;
}

/** Evaluates every ordered pod pair (s, t), s = t included, on `port`/`protocol`. Pure. */
export function evaluateMatrix(compiled: CompiledState, port: number, protocol: Protocol): ReachabilityMatrix {
  const pods = compiled.pods;
  const n = pods.length;
  const words = wordsFor(n);
  const all = fullBitset(n);

  /** Destinations at which one of the rule's ports admits the port ('all' / 'none' shortcuts). */
  const portTargetCache = new Map<CompiledRule, Bitset | 'all' | 'none'>();
  const portTargets = (rule: CompiledRule): Bitset | 'all' | 'none' => {
    if (!rule.ports) return 'all';
    let cached = portTargetCache.get(rule);
    if (cached) return cached;
    const named = rule.ports.some((p) => typeof p.port === 'string');
    const numeric = rule.ports.some((p) => typeof p.port !== 'string' && portMatches(p, port, protocol, undefined));
    if (numeric) cached = 'all';
    else if (!named) cached = 'none';
    else {
      const set = emptyBitset(n);
      for (const t of pods) if (rule.ports.some((p) => portMatches(p, port, protocol, t.ports))) setBit(set, t.index);
      cached = set;
    }
    portTargetCache.set(rule, cached);
    return cached;
  };

  // Egress: per policy, the destinations some rule allows; per source group, their OR.
  const policyEgress = new Map<number, Bitset>();
  const egressOfPolicy = (pi: number): Bitset => {
    let set = policyEgress.get(pi);
    if (set) return set;
    set = emptyBitset(n);
    for (const rule of compiled.policies[pi]!.egress ?? []) {
      const targets = portTargets(rule);
      if (targets === 'none') continue;
      if (targets === 'all') orInto(set, rule.peerUnion ?? all);
      else {
        const part = Uint32Array.from(rule.peerUnion ?? all);
        andInto(part, targets);
        orInto(set, part);
      }
    }
    policyEgress.set(pi, set);
    return set;
  };
  // CompileOptions crossDirectionRules: the ingress rules of a source's own policies that admit
  // the source open its egress to the pods those policies select (where the port is admitted).
  const across = compiled.options.crossDirectionRules;
  const crossTargets = new Map<string, Bitset>();
  const egressAcross = (s: number): string[] => {
    const parts: string[] = [];
    for (const pi of compiled.ingressPolicies[s]!) {
      (compiled.policies[pi]!.ingress ?? []).forEach((rule, r) => {
        if ((!rule.peerUnion || hasBit(rule.peerUnion, s)) && portTargets(rule) !== 'none') parts.push(`${pi}:${r}`);
      });
    }
    return parts;
  };
  const crossTargetsOf = (part: string): Bitset => {
    let set = crossTargets.get(part);
    if (!set) {
      const [pi, r] = part.split(':').map(Number) as [number, number];
      const policy = compiled.policies[pi]!;
      const targets = portTargets(policy.ingress![r]!);
      set = Uint32Array.from(policy.selected);
      if (targets !== 'all' && targets !== 'none') andInto(set, targets);
      crossTargets.set(part, set);
    }
    return set;
  };
  const egressGroups = new Map<string, Bitset>();
  const egressOf: Bitset[] = new Array<Bitset>(n);
  for (let s = 0; s < n; s++) {
    const list = compiled.egressPolicies[s]!;
    const crossParts = across && list.length > 0 ? egressAcross(s) : [];
    const key = crossParts.length === 0 ? list.join(',') : `${list.join(',')}|${crossParts.join(',')}`;
    let set = egressGroups.get(key);
    if (!set) {
      if (list.length === 0) set = all;
      else {
        set = emptyBitset(n);
        for (const pi of list) orInto(set, egressOfPolicy(pi));
        for (const part of crossParts) orInto(set, crossTargetsOf(part));
      }
      egressGroups.set(key, set);
    }
    egressOf[s] = set;
  }

  // Ingress: per destination, the isolating policies and which of their rules admit the port there.
  const policyIngress = new Map<string, Bitset>();
  const ingressGroups = new Map<string, { sources: Bitset; members: number[] }>();
  for (let t = 0; t < n; t++) {
    const parts: string[] = [];
    for (const pi of compiled.ingressPolicies[t]!) {
      const rules = compiled.policies[pi]!.ingress ?? [];
      let mask = '';
      for (const rule of rules) mask += !rule.ports || rule.ports.some((p) => portMatches(p, port, protocol, pods[t]!.ports)) ? '1' : '0';
      parts.push(`${pi}:${mask}`);
    }
    // CompileOptions crossDirectionRules: the egress rules of the destination's own policies
    // that admit it (peer and port) open its ingress to the pods those policies select.
    const acrossFrom: number[] = [];
    if (across && parts.length > 0) {
      for (const pi of compiled.egressPolicies[t]!) {
        const rules = compiled.policies[pi]!.egress ?? [];
        if (rules.some((rule) => (!rule.peerUnion || hasBit(rule.peerUnion, t)) && (!rule.ports || rule.ports.some((p) => portMatches(p, port, protocol, pods[t]!.ports))))) acrossFrom.push(pi);
      }
    }
    const key = acrossFrom.length === 0 ? parts.join('|') : `${parts.join('|')}|${acrossFrom.join(',')}`;
    let group = ingressGroups.get(key);
    if (!group) {
      let sources: Bitset;
      if (parts.length === 0) sources = all;
      else {
        sources = emptyBitset(n);
        for (const part of parts) {
          let set = policyIngress.get(part);
          if (!set) {
            const [piText, mask] = part.split(':') as [string, string];
            const rules = compiled.policies[Number(piText)]!.ingress ?? [];
            set = emptyBitset(n);
            rules.forEach((rule, r) => {
              if (mask[r] === '1') orInto(set!, rule.peerUnion ?? all);
            });
            policyIngress.set(part, set);
          }
          orInto(sources, set);
        }
        for (const pi of acrossFrom) orInto(sources, compiled.policies[pi]!.selected);
      }
      group = { sources, members: [] };
      ingressGroups.set(key, group);
    }
    group.members.push(t);
  }

  // Transpose the ingress side into rows: row s gets every destination whose group admits s.
  const buffer = new Uint32Array(n * words);
  const rows: Bitset[] = [];
  for (let s = 0; s < n; s++) rows.push(buffer.subarray(s * words, (s + 1) * words));
  for (const { sources, members } of ingressGroups.values()) {
    if (members.length > words / 2) {
      const memberSet = emptyBitset(n);
      for (const t of members) setBit(memberSet, t);
      forEachBit(sources, (s) => orInto(rows[s]!, memberSet));
    } else {
      forEachBit(sources, (s) => {
        const row = rows[s]!;
        for (const t of members) row[t >>> 5]! |= 1 << (t & 31);
      });
    }
  }
  let allowedCount = 0;
  for (let s = 0; s < n; s++) {
    const row = rows[s]!;
    if (egressOf[s] !== all) andInto(row, egressOf[s]!);
    // A pod cannot block access to itself (unless the CNI profile says it does).
    if (compiled.options.selfTrafficAllowed) setBit(row, s);
    allowedCount += popcount(row);
  }
  return { size: n, port, protocol, rows, allowedCount, egressGroups: egressGroups.size, ingressGroups: ingressGroups.size };
}

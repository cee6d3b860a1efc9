/**
 * Memoised direction verdicts of one compiled state. A pod's egress verdict towards a
 * destination depends only on the policies isolating its egress and on what the destination
 * is to those rules (which peers contain it, which ports it declares); an ingress verdict only
 * on the destination's isolating policies and ports and on which peers contain the source.
 * Pods alike in those respects share one verdict object, so a full matrix of a cluster of
 * thousands of pods judges each rule set a few thousand times, not pods^2 times. Pure.
 */
import { PROTOCOLS, type Protocol } from '../policy/types.js';
import { hasBit } from './bitset.js';
import type { CompiledPeer, CompiledState } from './compile-state.js';
import type { DirectionVerdict } from './types.js';

/** Judges one side of a flow from scratch (predict.ts). */
export type JudgeSide = (direction: 'egress' | 'ingress', source: number, destination: number, port: number, protocol: Protocol) => DirectionVerdict;

/** The classes of every pod, as dense ids. */
export interface PodClasses {
  /** Per pod: id of the list of policies isolating its egress. */
  readonly egressGroup: Int32Array;
  /** Per pod: id of its ingress-isolating policies together with its declared ports. */
  readonly ingressGroup: Int32Array;
  /** Per pod: id of what it is as a destination of egress rules (peers containing it, its ports). */
  readonly asDestination: Int32Array;
  /** Per pod: id of what it is as a source to ingress rules (peers containing it). */
  readonly asSource: Int32Array;
  readonly counts: { readonly egressGroups: number; readonly ingressGroups: number; readonly destinations: number; readonly sources: number };
}

export interface FlowMemo {
  readonly classes: PodClasses;
  /** The egress verdict of `source` towards `destination` (shared between pods of the same classes). */
  egress(source: number, destination: number, port: number, protocol: Protocol): DirectionVerdict;
  /** The ingress verdict of `destination` for `source`. */
  ingress(source: number, destination: number, port: number, protocol: Protocol): DirectionVerdict;
}

const memos = new WeakMap<CompiledState, FlowMemo>();

/** The memo of `compiled`, built on first use and kept as long as `compiled` lives. */
export function flowMemo(compiled: CompiledState, judge: JudgeSide): FlowMemo {
  let memo = memos.get(compiled);
  if (!memo) {
    memo = buildMemo(compiled, judge);
    memos.set(compiled, memo);
  }
  return memo;
}

/** Dense ids for equal keys. */
class Ids {
  private readonly ids = new Map<string, number>();
  of(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
}

/** Every distinct peer object of one direction's rules. */
function peersOf(compiled: CompiledState, direction: 'egress' | 'ingress'): CompiledPeer[] {
  const seen = new Set<CompiledPeer>();
  for (const policy of compiled.policies) for (const rule of policy[direction] ?? []) for (const peer of rule.peers ?? []) seen.add(peer);
  return [...seen];
}

/** Indexes of the peers containing `pod`, as a key. */
function membership(peers: readonly CompiledPeer[], pod: number): string {
  let key = '';
  for (let i = 0; i < peers.length; i++) if (hasBit(peers[i]!.pods, pod)) key += `${i},`;
  return key;
}

/**
 * The classes of every pod. With CompileOptions `crossDirectionRules` a side also depends on
 * the pod's policies of the other direction, on whether their rules admit the pod itself, and
 * on whether they select the other end: each key then carries those too (and only then, so
 * the standard keys stay as short as they are).
 */
export function classifyPods(compiled: CompiledState): PodClasses {
  const n = compiled.pods.length;
  const egressPeers = peersOf(compiled, 'egress');
  const ingressPeers = peersOf(compiled, 'ingress');
  const across = compiled.options.crossDirectionRules;
  const ids = { egress: new Ids(), ingress: new Ids(), destination: new Ids(), source: new Ids() };
  const classes = { egressGroup: new Int32Array(n), ingressGroup: new Int32Array(n), asDestination: new Int32Array(n), asSource: new Int32Array(n) };
  for (let p = 0; p < n; p++) {
    const ports = JSON.stringify(compiled.pods[p]!.ports);
    const egressList = compiled.egressPolicies[p]!.join(',');
    const ingressList = compiled.ingressPolicies[p]!.join(',');
    const asIngressPeer = membership(ingressPeers, p);
    const asEgressPeer = membership(egressPeers, p);
    if (across) {
      // Egress: its ingress policies' rules admitting it; those policies selecting the destination (its ingress list).
      classes.egressGroup[p] = ids.egress.of(`${egressList}|${ingressList}|${asIngressPeer}`);
      classes.asDestination[p] = ids.destination.of(`${asEgressPeer}|${ports}|${ingressList}`);
      // Ingress: its egress policies' rules admitting it; those policies selecting the source (its egress list).
      classes.ingressGroup[p] = ids.ingress.of(`${ingressList}|${ports}|${egressList}|${asEgressPeer}`);
      classes.asSource[p] = ids.source.of(`${asIngressPeer}|${egressList}`);
    } else {
      classes.egressGroup[p] = ids.egress.of(egressList);
      classes.ingressGroup[p] = ids.ingress.of(`${ingressList}|${ports}`);
      classes.asDestination[p] = ids.destination.of(`${asEgressPeer}|${ports}`);
      classes.asSource[p] = ids.source.of(asIngressPeer);
    }
  }
  return {
    ...classes,
    counts: { egressGroups: ids.egress.size, ingressGroups: ids.ingress.size, destinations: ids.destination.size, sources: ids.source.size },
  };
}

function buildMemo(compiled: CompiledState, judge: JudgeSide): FlowMemo {
  const classes = classifyPods(compiled);
  const { egressGroup, ingressGroup, asDestination, asSource } = classes;
  const destinations = classes.counts.destinations;
  const sources = classes.counts.sources;
  // One table per port and protocol: verdicts by (group, counterpart class).
  const egressTables = new Map<number, Map<number, DirectionVerdict>>();
  const ingressTables = new Map<number, Map<number, DirectionVerdict>>();
  const table = (tables: Map<number, Map<number, DirectionVerdict>>, port: number, protocol: Protocol): Map<number, DirectionVerdict> => {
    const key = port * 4 + PROTOCOLS.indexOf(protocol);
    let t = tables.get(key);
    if (!t) {
      t = new Map();
      tables.set(key, t);
    }
    return t;
  };
  // Equal verdicts (same policies, same allowing rule) become one object, so that callers
  // grouping by verdict identity see as few as there are different reasons.
  const interned = new Map<string, DirectionVerdict>();
  const intern = (v: DirectionVerdict): DirectionVerdict => {
    const a = v.allowedBy;
    const key = `${v.direction}|${v.allowed}|${v.isolatedBy.join(',')}|${a ? `${a.policy}|${a.rule}|${a.peer ?? ''}|${a.port ?? ''}|${a.crossDirection ?? ''}` : ''}`;
    const found = interned.get(key);
    if (found) return found;
    interned.set(key, v);
    return v;
  };
  const memoised = (direction: 'egress' | 'ingress', tables: Map<number, Map<number, DirectionVerdict>>, key: number, source: number, destination: number, port: number, protocol: Protocol): DirectionVerdict => {
    const t = table(tables, port, protocol);
    let v = t.get(key);
    if (!v) {
      v = intern(judge(direction, source, destination, port, protocol));
      t.set(key, v);
    }
    return v;
  };
  return {
    classes,
    egress: (source, destination, port, protocol) =>
      memoised('egress', egressTables, egressGroup[source]! * destinations + asDestination[destination]!, source, destination, port, protocol),
    ingress: (source, destination, port, protocol) =>
      memoised('ingress', ingressTables, ingressGroup[destination]! * sources + asSource[source]!, source, destination, port, protocol),
  };
}

/**
 * A tiny in-memory world for simulator specs: namespaces, pods, externals and policies built
 * without the YAML loader, plus a compact probe notation:
 * `allow x/a -> x/b:80`, `deny x/a -> y/b:53/UDP`, `allow x/a -> partner:443`,
 * `deny x/a -> dns`, `deny x/a -> dns:53/TCP` (a lookup over TCP), `deny x/a -> x/b:80 by name`
 * (service-name addressing), `allow x/a -> x/b:80 by ip` (service-ip addressing),
 * `allow partner -> x/a:80` (from an external, as a client: by pod IP).
 */
import type { Topology } from '../../src/backends/backend.js';
import { toPolicyKey, type Labels, type NetworkPolicy, type Protocol } from '../../src/policy/types.js';
import { toProbeKeyForSpec } from './probe-key.js';
import { externalSourceName, type Probe, type ProbeAddressing } from '../../src/probe/types.js';
import {
  NAMESPACE_NAME_LABEL,
  toMillis,
  toWorkloadRef,
  type ClusterState,
  type DnsSpec,
  type ExternalSpec,
  type Scenario,
  type ServedPort,
  type WorkloadSpec,
} from '../../src/scenario/types.js';
import { compileState, type CompileOptions, type CompiledState } from '../../src/simulator/compile-state.js';
import { planTopology } from '../../src/simulator/plan-topology.js';

export interface PodDef {
  /** `<ns>/<name>` */
  readonly id: string;
  readonly labels?: Labels;
  /** Default: 80/TCP `http`, 81/TCP `metrics`, 53/UDP `dns`. */
  readonly ports?: readonly ServedPort[];
}

export interface PolicyDef {
  /** `<ns>/<name>` */
  readonly id: string;
  readonly spec: NetworkPolicy['spec'];
}

export interface WorldDef {
  /** Extra labels per namespace (every namespace of a pod exists; `kubernetes.io/metadata.name` is added). */
  readonly namespaces?: Readonly<Record<string, Labels>>;
  readonly pods?: readonly PodDef[];
  readonly externals?: readonly { readonly name: string; readonly ip: string }[];
  readonly policies?: readonly PolicyDef[];
  readonly dns?: DnsSpec;
}

export const DEFAULT_PORTS: readonly ServedPort[] = [
  { port: 80, protocol: 'TCP', name: 'http' },
  { port: 81, protocol: 'TCP', name: 'metrics' },
  { port: 53, protocol: 'UDP', name: 'dns' },
];

/** x, y, z namespaces (label ns=<name>) with pods a, b, c (label pod=<name>), as cyclonus does. */
export const DEFAULT_PODS: readonly PodDef[] = ['x', 'y', 'z'].flatMap((ns) => ['a', 'b', 'c'].map((p) => ({ id: `${ns}/${p}`, labels: { pod: p } })));

const split = (id: string): [string, string] => {
  const [a, b] = id.split('/');
  if (!a || !b) throw new Error(`bad id ${id}`);
  return [a, b];
};

export function networkPolicy(id: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  const [namespace, name] = split(id);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

export interface World {
  readonly scenario: Scenario;
  readonly state: ClusterState;
  readonly topology: Topology;
  readonly compiled: CompiledState;
  /** Parses the probe notation (without the leading verdict). */
  probe(text: string): Probe;
}

export function buildWorld(def: WorldDef, options: CompileOptions = {}): World {
  const pods = def.pods ?? DEFAULT_PODS;
  const nsNames = new Set<string>(Object.keys(def.namespaces ?? {}));
  for (const p of pods) nsNames.add(split(p.id)[0]);
  const namespaces = [...nsNames].sort().map((name) => ({ name, labels: { ns: name, ...(def.namespaces?.[name] ?? {}), [NAMESPACE_NAME_LABEL]: name } }));
  const workloads: WorkloadSpec[] = pods.map((p) => {
    const [namespace, name] = split(p.id);
    return { ref: toWorkloadRef(namespace, name), namespace, name, labels: p.labels ?? {}, ports: p.ports ?? DEFAULT_PORTS };
  });
  const externals: ExternalSpec[] = (def.externals ?? []).map((e) => ({ ...e, ports: [{ port: 443, protocol: 'TCP' }] }));
  const origin = { file: 'world.yaml', range: [0, 0] as const };
  const policies = (def.policies ?? []).map((p) => {
    const policy = networkPolicy(p.id, p.spec);
    return { key: toPolicyKey(policy.metadata.namespace, policy.metadata.name), policy, origin };
  });
  const scenario: Scenario = {
    name: 'world',
    file: 'world.yaml',
    namespaces,
    workloads,
    externals,
    dns: def.dns ?? { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    steps: [],
  };
  const state: ClusterState = { namespaces, workloads, policies };
  const topology = planTopology(scenario);
  const compiled = compileState(state, topology, options);
  const probe = (text: string): Probe => {
    const m = /^(\S+) -> (\S+?)(?::(\d+)(?:\/(TCP|UDP|SCTP))?)?(?: by (name|ip))?$/.exec(text.trim());
    if (!m) throw new Error(`bad probe ${text}`);
    const [, from, to, portText, protoText, by] = m;
    const protocol = (protoText ?? 'TCP') as Protocol;
    const port = portText ? Number(portText) : 80;
    const client = externals.find((e) => e.name === from);
    if (client) {
      const base = { from: externalSourceName(client.name), fromExternal: { name: client.name, ip: client.ip }, timeoutMs: toMillis(1000) };
      return { ...base, key: toProbeKeyForSpec(text), to: { kind: 'workload', ref: toWorkloadRef(...split(to!)) }, port, protocol, addressing: 'pod-ip' };
    }
    const base = { from: toWorkloadRef(...split(from!)), timeoutMs: toMillis(1000) };
    if (to === 'dns') return { ...base, key: toProbeKeyForSpec(text), to: { kind: 'dns' }, port: 53, protocol: (protoText ?? 'UDP') as Protocol, addressing: 'dns-lookup' };
    const ext = externals.find((e) => e.name === to);
    if (ext) return { ...base, key: toProbeKeyForSpec(text), to: { kind: 'external', name: ext.name, ip: ext.ip }, port, protocol, addressing: 'external-ip' };
    const addressing: ProbeAddressing = by === 'name' ? 'service-name' : by === 'ip' ? 'service-ip' : 'pod-ip';
    return { ...base, key: toProbeKeyForSpec(text), to: { kind: 'workload', ref: toWorkloadRef(...split(to!)) }, port, protocol, addressing };
  };
  return { scenario, state, topology, compiled, probe };
}

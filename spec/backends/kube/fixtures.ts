/** Small scenarios and contexts shared by the kube backend specs. */
import type { BackendContext } from '../../../src/backends/backend.js';
import { toPolicyKey, type NetworkPolicy } from '../../../src/policy/types.js';
import type { Probe, ProbeKey, ProbeTarget, ProbeAddressing } from '../../../src/probe/types.js';
import {
  NAMESPACE_NAME_LABEL,
  toMillis,
  toWorkloadRef,
  type ClusterState,
  type PolicyManifest,
  type Scenario,
  type WorkloadRef,
} from '../../../src/scenario/types.js';
import type { Protocol } from '../../../src/policy/types.js';

export const WEB = toWorkloadRef('demo', 'web');
export const CLIENT = toWorkloadRef('demo', 'client');
export const DB = toWorkloadRef('other', 'db');

const ns = (name: string, labels: Record<string, string> = {}) => ({ name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name } });

/**
 * Two namespaces, three workloads: web (80/TCP http, 53/UDP), client (nothing), db (5432/TCP);
 * one step that probes by ClusterIP (so the backend creates the Services).
 */
export const SCENARIO: Scenario = {
  name: 'fixture',
  file: 'fixture.yaml',
  namespaces: [ns('demo', { team: 'a' }), ns('other')],
  workloads: [
    { ref: WEB, namespace: 'demo', name: 'web', labels: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', name: 'http' }, { port: 53, protocol: 'UDP' }] },
    { ref: CLIENT, namespace: 'demo', name: 'client', labels: { app: 'client' }, ports: [] },
    { ref: DB, namespace: 'other', name: 'db', labels: { app: 'db' }, ports: [{ port: 5432, protocol: 'TCP', name: 'pg' }] },
  ],
  externals: [],
  dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  steps: [{ index: 0, name: 'by ClusterIP', delete: [], apply: [], label: [], probe: { target: 'service-ip', timeoutMs: toMillis(1000), self: false, dns: false }, expect: [] }],
};

/** SCENARIO with one step that probes by Service name (so it needs the cluster DNS). */
export const BY_NAME: Scenario = {
  ...SCENARIO,
  steps: [{ index: 0, name: 'by name', delete: [], apply: [], label: [], probe: { target: 'service-name', timeoutMs: toMillis(1000), self: false, dns: true }, expect: [] }],
};

export const BASE_STATE: ClusterState = { namespaces: SCENARIO.namespaces, workloads: SCENARIO.workloads, policies: [] };

export function policy(namespace: string, name: string, spec: NetworkPolicy['spec']): PolicyManifest {
  return {
    key: toPolicyKey(namespace, name),
    origin: { file: 'fixture.yaml', range: [0, 0] },
    policy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec },
  };
}

export function probe(from: WorkloadRef, to: ProbeTarget, port: number, protocol: Protocol, addressing: ProbeAddressing): Probe {
  const target = to.kind === 'workload' ? to.ref : to.kind === 'dns' ? 'dns' : to.name;
  return { key: `${from} -> ${target}:${port}/${protocol} (${addressing})` as ProbeKey, from, to, port, protocol, addressing, timeoutMs: toMillis(1000) };
}

export function quietContext(): BackendContext & { messages: string[] } {
  const messages: string[] = [];
  return { signal: new AbortController().signal, progress: (m) => messages.push(m), messages };
}

/** Helpers of the local-dataplane specs: policies, states, probes, and a leftover check. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import type { Backend, BackendContext, Topology } from '../../../src/backends/backend.js';
import type { NetworkPolicy, NetworkPolicySpec } from '../../../src/policy/types.js';
import { toPolicyKey } from '../../../src/policy/types.js';
import { planProbes } from '../../../src/probe/plan-probes.js';
import type { Outcome, Probe } from '../../../src/probe/types.js';
import type { ClusterState, PolicyManifest, ProbeSettings, Scenario } from '../../../src/scenario/types.js';
import { toMillis } from '../../../src/scenario/types.js';

export const CTX: BackendContext = { signal: new AbortController().signal, progress: () => undefined };

export function policy(namespace: string, name: string, spec: NetworkPolicySpec): PolicyManifest {
  const p: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
  return { key: toPolicyKey(namespace, name), policy: p, origin: { file: 'spec.yaml', range: [0, 0] } };
}

export function stateOf(scenario: Scenario, policies: readonly PolicyManifest[]): ClusterState {
  return { namespaces: scenario.namespaces, workloads: scenario.workloads, policies };
}

export function probeSettings(overrides: Partial<ProbeSettings> = {}): ProbeSettings {
  return { target: 'pod-ip', timeoutMs: toMillis(1000), self: false, dns: false, ...overrides };
}

/** Applies `policies`, probes the plan of `settings`, and returns `key -> outcome kind`. */
export async function applyAndProbe(backend: Backend, scenario: Scenario, topology: Topology, policies: readonly PolicyManifest[], settings: ProbeSettings): Promise<{ probes: Probe[]; outcomes: ReadonlyMap<string, Outcome> }> {
  const state = stateOf(scenario, policies);
  await backend.apply(state, CTX);
  const probes = planProbes(scenario, state, settings, topology);
  return { probes, outcomes: await backend.probe(probes, CTX) };
}

/** Kinds by key, for compact deep-equal assertions. */
export function kinds(outcomes: ReadonlyMap<string, Outcome>): Record<string, string> {
  return Object.fromEntries([...outcomes].map(([k, o]) => [k, o.kind]));
}

/** Everything of run `runId` still on the host: namespaces, /etc/netns entries, state dir, processes. */
export function leftoversOf(runId: string): string[] {
  const prefix = `nph-${runId}`;
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`${prefix}-`));
  const etc = existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((n) => n.startsWith(`${prefix}-`)) : [];
  const state = existsSync(`/run/netpol-harness/${prefix}`) ? [`/run/netpol-harness/${prefix}`] : [];
  const procs = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(prefix) && !l.includes('ps -eo'));
  return [...netns, ...etc.map((n) => `/etc/netns/${n}`), ...state, ...procs];
}

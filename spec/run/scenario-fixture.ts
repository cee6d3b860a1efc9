/** A small three-tier scenario built in memory (no YAML), for orchestration specs. */
import { toPolicyKey, type NetworkPolicy } from '../../src/policy/types.js';
import type { Expectation, PolicyManifest, Scenario, Step } from '../../src/scenario/types.js';
import { NAMESPACE_NAME_LABEL, toMillis, toWorkloadRef } from '../../src/scenario/types.js';

const NS = 'demo';
const origin = { file: 'fixture.yaml', range: [0, 0] as const };

export function policy(name: string, spec: NetworkPolicy['spec']): PolicyManifest {
  return { key: toPolicyKey(NS, name), policy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: NS }, spec }, origin };
}

function expect(verdict: 'allow' | 'deny', from: string, to: string): Expectation {
  return {
    verdict,
    from: from === '*' ? { kind: 'all' } : { kind: 'workload', ref: toWorkloadRef(NS, from) },
    to: { target: to === '*' ? { kind: 'all' } : { kind: 'workload', ref: toWorkloadRef(NS, to) } },
    text: `${verdict} ${from} -> ${to}`,
    origin,
  };
}

const probe = { target: 'pod-ip' as const, timeoutMs: toMillis(1000), self: false, dns: false };

function step(index: number, name: string, apply: PolicyManifest[], expectations: Expectation[]): Step {
  return { index, name, delete: [], apply, label: [], probe, expect: expectations };
}

const workload = (name: string) => ({
  ref: toWorkloadRef(NS, name),
  namespace: NS,
  name,
  labels: { app: name },
  ports: [{ port: 80, protocol: 'TCP' as const, name: 'http' }],
});

/** Step 0: all open. Step 1: backend accepts only frontend (ingress only). */
export const threeTier: Scenario = {
  name: 'three-tier-fixture',
  file: 'fixture.yaml',
  namespaces: [{ name: NS, labels: { [NAMESPACE_NAME_LABEL]: NS } }],
  workloads: [workload('backend'), workload('database'), workload('frontend')],
  externals: [],
  dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  steps: [
    step(0, 'open', [], [expect('allow', '*', '*')]),
    step(
      1,
      'backend from frontend only',
      [policy('backend-in', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] })],
      [expect('allow', '*', '*'), expect('deny', 'database', 'backend')],
    ),
    step(
      2,
      'frontend egress only to backend',
      [policy('frontend-out', { podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }] }] })],
      [expect('allow', '*', '*'), expect('deny', 'database', 'backend'), expect('deny', 'frontend', 'database')],
    ),
  ],
};

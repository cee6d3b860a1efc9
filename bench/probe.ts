/**
 * Probe bench (root, local dataplane): full matrices of 9, 25 and 49 workloads, one TCP port
 * each, half of the cells denied by policies (pods talk only to pods of the same parity).
 * Reports set-up time and step probe time apart, and probe time / probe timeout: the design
 * target is one exec per source with all its probes concurrent, so a step costs about one
 * timeout (49 workloads = 2,352 probes in < 1.5 x timeout + 1 s).
 */
import type { BackendContext } from '../src/backends/backend.js';
import { createLocalBackend } from '../src/backends/local/local-backend.js';
import { checkLocalPrerequisites } from '../src/backends/local/prerequisites.js';
import type { NetworkPolicy } from '../src/policy/types.js';
import { toPolicyKey } from '../src/policy/types.js';
import { planProbes } from '../src/probe/plan-probes.js';
import type { ClusterState, Scenario, WorkloadSpec } from '../src/scenario/types.js';
import { NAMESPACE_NAME_LABEL, toMillis, toWorkloadRef } from '../src/scenario/types.js';
import type { BenchModule, BenchResult } from './bench-module.js';

const TIMEOUT_MS = 2000;
const NAMESPACE = 'bench';

function benchScenario(n: number): Scenario {
  const workloads: WorkloadSpec[] = Array.from({ length: n }, (_, i) => ({
    ref: toWorkloadRef(NAMESPACE, `w${i}`),
    namespace: NAMESPACE,
    name: `w${i}`,
    labels: { parity: i % 2 === 0 ? 'even' : 'odd' },
    ports: [{ port: 80, protocol: 'TCP', name: 'http' }],
  }));
  return {
    name: `bench-${n}`,
    file: `bench-${n}.yaml`,
    namespaces: [{ name: NAMESPACE, labels: { [NAMESPACE_NAME_LABEL]: NAMESPACE } }],
    workloads,
    externals: [],
    dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    steps: [],
  };
}

/** Pods of one parity accept only pods of the same parity: about half the cells are denied. */
function parityPolicies(): ClusterState['policies'] {
  return (['even', 'odd'] as const).map((parity) => {
    const policy: NetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `same-${parity}`, namespace: NAMESPACE },
      spec: { podSelector: { matchLabels: { parity } }, ingress: [{ from: [{ podSelector: { matchLabels: { parity } } }] }] },
    };
    return { key: toPolicyKey(NAMESPACE, policy.metadata.name), policy, origin: { file: 'bench', range: [0, 0] as const } };
  });
}

async function measure(n: number, progress: (line: string) => void): Promise<Record<string, string | number>> {
  const scenario = benchScenario(n);
  const ctx: BackendContext = { signal: new AbortController().signal, progress: () => undefined };
  const backend = createLocalBackend({ enforce: true });
  try {
    let t = performance.now();
    const topology = await backend.setUp(scenario, ctx);
    const setUpMs = performance.now() - t;
    const state: ClusterState = { namespaces: scenario.namespaces, workloads: scenario.workloads, policies: parityPolicies() };
    t = performance.now();
    await backend.apply(state, ctx);
    const applyMs = performance.now() - t;
    const probes = planProbes(scenario, state, { target: 'pod-ip', timeoutMs: toMillis(TIMEOUT_MS), self: false, dns: false }, topology);
    t = performance.now();
    const outcomes = await backend.probe(probes, ctx);
    const probeMs = performance.now() - t;
    const count = (kind: string): number => [...outcomes.values()].filter((o) => o.kind === kind).length;
    const expectedOk = probes.filter((p) => p.to.kind === 'workload' && Number(p.from.slice(NAMESPACE.length + 2)) % 2 === Number(p.to.ref.slice(NAMESPACE.length + 2)) % 2).length;
    progress(`${n} workloads: set-up ${Math.round(setUpMs)} ms, probe ${Math.round(probeMs)} ms`);
    return {
      workloads: n,
      probes: probes.length,
      'set-up ms': Math.round(setUpMs),
      'apply ms': Math.round(applyMs),
      'probe ms': Math.round(probeMs),
      'probe / timeout': (probeMs / TIMEOUT_MS).toFixed(2),
      'target ms': 1.5 * TIMEOUT_MS + 1000,
      ok: count('ok'),
      'expected ok': expectedOk,
      timeout: count('timeout'),
      error: count('error'),
    };
  } finally {
    await backend.tearDown();
  }
}

/** The probe bench (needs root and the local dataplane's Debian packages). */
export const probeBench: BenchModule = {
  name: 'probe',
  description: `local dataplane: one step of a full matrix, ${TIMEOUT_MS} ms probe timeout, half the cells denied`,
  async run(options): Promise<BenchResult> {
    const columns = ['workloads', 'probes', 'set-up ms', 'apply ms', 'probe ms', 'probe / timeout', 'target ms', 'ok', 'expected ok', 'timeout', 'error'];
    const problems = await checkLocalPrerequisites();
    if (problems.length > 0) return { bench: 'probe', columns, rows: [], notes: [`skipped: ${problems.join('; ')}`] };
    const rows = [];
    for (const n of options.quick ? [9] : [9, 25, 49]) rows.push(await measure(n, options.progress));
    return {
      bench: 'probe',
      columns,
      rows,
      notes: [
        'set-up: namespaces, CNI ptp + host-local, dnsmasq, one Node server per workload; probe: one `ip netns exec sh` per source, all sources and probes concurrent',
        `target for a step: 1.5 x timeout + 1 s = ${1.5 * TIMEOUT_MS + 1000} ms; denied cells cost the full timeout by design`,
      ],
    };
  },
};

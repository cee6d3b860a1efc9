/**
 * Explanation bench: what `predict` costs per probe, and what the reason line and the full
 * explanation add on top, on the synthetic clusters of the simulator bench (seeded random probes
 * by pod IP on 80/TCP, allowed and denied alike). Explanations run only when a report renders a
 * reason, never inside `predict` or the matrix.
 */
import { performance } from 'node:perf_hooks';
import { toProbeKey } from '../src/probe/plan-probes.js';
import type { Probe } from '../src/probe/types.js';
import { toMillis } from '../src/scenario/types.js';
import { compileState } from '../src/simulator/compile-state.js';
import { explainers } from '../src/simulator/explain.js';
import { planTopology } from '../src/simulator/plan-topology.js';
import { predict } from '../src/simulator/predict.js';
import type { BenchModule, BenchOptions, BenchResult } from './bench-module.js';
import { seededRandom, syntheticCluster, type ClusterSize } from './synthetic-cluster.js';

const SIZES: readonly ClusterSize[] = [
  { pods: 1_000, policies: 200, namespaces: 20 },
  { pods: 10_000, policies: 2_000, namespaces: 50 },
];
const PROBES = 20_000;

const perProbe = (ms: number): string => `${((ms * 1000) / PROBES).toFixed(1)}`;

async function runSize(size: ClusterSize, options: BenchOptions): Promise<Record<string, string | number>> {
  const { scenario, state } = syntheticCluster(size);
  const topology = planTopology(scenario);
  const compiled = compileState(state, topology);
  const rnd = seededRandom(11);
  const workloads = state.workloads;
  const probes: Probe[] = Array.from({ length: PROBES }, () => {
    const from = workloads[Math.floor(rnd() * workloads.length)]!.ref;
    const to = { kind: 'workload' as const, ref: workloads[Math.floor(rnd() * workloads.length)]!.ref };
    return { key: toProbeKey(from, to, 80, 'TCP'), from, to, port: 80, protocol: 'TCP', addressing: 'pod-ip', timeoutMs: toMillis(1000) };
  });
  const t0 = performance.now();
  const predictions = probes.map((p) => predict(compiled, p));
  const t1 = performance.now();
  // As reports ask: the reason line, then the explanation of the same probe.
  const { describe, explain } = explainers(compiled, state);
  let chars = 0;
  let lines = 0;
  let reasonMs = 0;
  let explanationMs = 0;
  for (let i = 0; i < PROBES; i++) {
    const a = performance.now();
    chars += describe(predictions[i]!, probes[i]!).length;
    const b = performance.now();
    lines += explain(predictions[i]!, probes[i]!).length;
    reasonMs += b - a;
    explanationMs += performance.now() - b;
  }
  const denied = predictions.filter((p) => !p.allowed).length;
  options.progress(`${size.pods} pods: predict ${(t1 - t0).toFixed(0)} ms, reason ${reasonMs.toFixed(0)} ms, explanation ${explanationMs.toFixed(0)} ms for ${PROBES} probes`);
  return {
    pods: size.pods,
    policies: size.policies,
    probes: PROBES,
    'denied %': ((100 * denied) / PROBES).toFixed(1),
    'predict µs/probe': perProbe(t1 - t0),
    'reason µs/probe': perProbe(reasonMs),
    'explanation µs/probe': perProbe(explanationMs),
    'reason chars/probe': (chars / PROBES).toFixed(0),
    'explanation lines/probe': (lines / PROBES).toFixed(1),
  };
}

export const explainBench: BenchModule = {
  name: 'explain',
  description: 'predict per probe, and the cost of the one-line reason and of the full explanation on top',
  async run(options: BenchOptions): Promise<BenchResult> {
    const rows: Record<string, string | number>[] = [];
    for (const size of options.quick ? SIZES.slice(0, 1) : SIZES) rows.push(await runSize(size, options));
    return {
      bench: 'explain',
      columns: ['pods', 'policies', 'probes', 'denied %', 'predict µs/probe', 'reason µs/probe', 'explanation µs/probe', 'reason chars/probe', 'explanation lines/probe'],
      rows,
      notes: [
        `${PROBES} seeded random pod pairs on 80/TCP by pod IP; the synthetic clusters of the simulator bench.`,
        'reason = the JSON `reason` line, which finds the closest rules of denied sides; explanation = what `explain` prints, rendered from the same structure (rules quoted when their source is known; synthetic policies have none).',
      ],
    };
  },
};

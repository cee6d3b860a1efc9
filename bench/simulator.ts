/**
 * Simulator bench: compile + full pod x pod matrix on synthetic clusters of 1,000 / 5,000 /
 * 10,000 pods with 200 / 1,000 / 2,000 policies, against a naive per-pair evaluator.
 * Target (DESIGN): 10,000 pods x 2,000 policies in < 5 s on 2 cores, >= 20x the naive one.
 */
import { performance } from 'node:perf_hooks';
import { hasBit } from '../src/simulator/bitset.js';
import { compileState } from '../src/simulator/compile-state.js';
import { evaluateMatrix } from '../src/simulator/evaluate-matrix.js';
import { planTopology } from '../src/simulator/plan-topology.js';
import type { BenchModule, BenchOptions, BenchResult } from './bench-module.js';
import { NaiveReference, type NaivePod } from './naive-reference.js';
import { seededRandom, syntheticCluster, type ClusterSize } from './synthetic-cluster.js';

const SIZES: readonly ClusterSize[] = [
  { pods: 1_000, policies: 200, namespaces: 20 },
  { pods: 5_000, policies: 1_000, namespaces: 35 },
  { pods: 10_000, policies: 2_000, namespaces: 50 },
];
/** Up to this many pods the naive evaluator runs on every pair; above, on a sample. */
const NAIVE_FULL_MAX_PODS = 1_001;
const NAIVE_SAMPLE_PAIRS = 20_000;
const PORT = 80;

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const ms = (x: number): string => x.toFixed(0);

/** JS heap plus typed-array buffers, where the bitsets live. */
function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
}

async function runSize(size: ClusterSize, options: BenchOptions): Promise<Record<string, string | number>> {
  const { scenario, state } = syntheticCluster(size);
  const topology = planTopology(scenario);
  gc();
  const memBefore = usedMemory();
  const t0 = performance.now();
  const compiled = compileState(state, topology);
  const t1 = performance.now();
  const matrix = evaluateMatrix(compiled, PORT, 'TCP');
  const t2 = performance.now();
  const memAfter = usedMemory();
  const n = compiled.pods.length;
  options.progress(`${size.pods} pods: compile ${ms(t1 - t0)} ms, matrix ${ms(t2 - t1)} ms`);

  const pods: NaivePod[] = compiled.pods.map((p) => ({ namespace: p.namespace, labels: p.labels, namespaceLabels: p.namespaceLabels, ip: p.ip, ports: p.ports }));
  const naive = new NaiveReference(pods, state.policies.map((m) => m.policy));
  const full = n <= NAIVE_FULL_MAX_PODS;
  const rnd = seededRandom(7);
  const pairs = full ? n * n : NAIVE_SAMPLE_PAIRS;
  let mismatches = 0;
  const t3 = performance.now();
  for (let k = 0; k < pairs; k++) {
    const s = full ? Math.floor(k / n) : Math.floor(rnd() * n);
    const t = full ? k % n : Math.floor(rnd() * n);
    if (naive.allowed(s, t, PORT, 'TCP') !== hasBit(matrix.rows[s]!, t)) mismatches++;
  }
  const naiveMeasured = performance.now() - t3;
  const naiveFull = naiveMeasured * ((n * n) / pairs);
  options.progress(`${size.pods} pods: naive ${full ? 'full' : `sample of ${pairs} pairs`} ${ms(naiveMeasured)} ms, mismatches ${mismatches}`);
  if (mismatches > 0) throw new Error(`compiled matrix and naive evaluator disagree on ${mismatches} pairs`);
  const total = t2 - t0;
  return {
    pods: size.pods,
    policies: size.policies,
    namespaces: size.namespaces,
    'cells (N^2)': n * n,
    'allowed %': ((100 * matrix.allowedCount) / (n * n)).toFixed(1),
    'groups e/i': `${matrix.egressGroups}/${matrix.ingressGroups}`,
    'compile ms': ms(t1 - t0),
    'matrix ms': ms(t2 - t1),
    'total ms': ms(total),
    'mem +MB': mb(Math.max(0, memAfter - memBefore)),
    'maxRSS MB': mb(process.resourceUsage().maxRSS * 1024),
    'naive ms': `${full ? '' : '~'}${ms(naiveFull)}`,
    naive: full ? 'all pairs' : `${pairs} pairs, extrapolated`,
    speedup: `${(naiveFull / total).toFixed(0)}x`,
  };
}

export const simulatorBench: BenchModule = {
  name: 'simulator',
  description: 'compile + full pod x pod matrix (one TCP port) vs a naive per-pair evaluator',
  async run(options: BenchOptions): Promise<BenchResult> {
    const rows: Record<string, string | number>[] = [];
    for (const size of options.quick ? SIZES.slice(0, 1) : SIZES) rows.push(await runSize(size, options));
    return {
      bench: 'simulator',
      columns: ['pods', 'policies', 'namespaces', 'cells (N^2)', 'allowed %', 'groups e/i', 'compile ms', 'matrix ms', 'total ms', 'mem +MB', 'maxRSS MB', 'naive ms', 'naive', 'speedup'],
      rows,
      notes: [
        'N = pods + 1 DNS pod; every ordered pair incl. self, port 80/TCP, pod-IP addressing; the matrix is materialised as N bitset rows.',
        'total = compileState + evaluateMatrix; speedup = naive (all pairs) / total.',
        `naive runs on all pairs up to ${NAIVE_FULL_MAX_PODS} pods, else on ${NAIVE_SAMPLE_PAIRS} seeded random pairs, its time extrapolated to N^2 ("~"); every sampled pair is checked against the matrix (0 mismatches or the bench fails).`,
        'mem +MB = growth of heapUsed + arrayBuffers (the bitsets) over compile + matrix (tighter with node --expose-gc); maxRSS = process peak so far (sizes run in increasing order).',
      ],
    };
  },
};

/**
 * Scale bench: an application of 2,000 workloads in 40 namespaces under 500 policies (the
 * synthetic cluster as manifests), each measured in a child process for wall time and peak
 * memory (maxRSS):
 *
 * - `scan` (the grouped view): target under 10 s and 1.5 GB;
 * - `scan --output json`: every one of the ~4 million flows with its reason, streamed;
 * - `check` of a scenario of the same 2,000 workloads: refused with exit 2, at once;
 * - the per-pair baseline: the step's probes planned, predicted and reported all at once, as
 *   `check` did before (it ran out of heap after 148 s), under a 4 GB heap;
 * - the naive per-pair evaluator (verdicts only, no reasons; bench/naive-reference.ts) on a
 *   sample of pairs, extrapolated to the whole matrix.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../src/manifests/build-model.js';
import { modelScenario } from '../src/manifests/model-scenario.js';
import { readInputs } from '../src/manifests/read-inputs.js';
import { renderAppScenario } from '../src/manifests/render-scenario.js';
import { predictStep } from '../src/reachability/predict-step.js';
import type { BenchModule, BenchOptions, BenchResult } from './bench-module.js';
import { NaiveReference } from './naive-reference.js';
import { seededRandom, type ClusterSize } from './synthetic-cluster.js';
import { writeSyntheticManifests } from './synthetic-manifests.js';

const FULL: ClusterSize = { pods: 2_000, policies: 500, namespaces: 40 };
const QUICK: ClusterSize = { pods: 200, policies: 50, namespaces: 10 };
const NAIVE_SAMPLE = 20_000;

interface ChildRun {
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly code: number;
  readonly bytes: number;
  readonly probes?: number;
}

/** Runs one mode in a child (`heapMb` caps its JS heap); the child's own report, or how it died. */
function child(mode: string, dir: string, scenarioFile: string, heapMb: number): ChildRun | { readonly died: string; readonly ms: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', 'bench/scale-child.ts', mode, dir, scenarioFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = performance.now() - start;
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && last.startsWith('{')) return JSON.parse(last) as ChildRun;
  const oom = /heap out of memory|Allocation failed/.test(r.stderr);
  return { died: oom ? `out of memory (heap ${heapMb} MB)` : `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').pop() ?? ''}`, ms };
}

const s = (ms: number): string => (ms / 1000).toFixed(1);

function row(what: string, run: ChildRun | { died: string; ms: number }, note: string): Record<string, string | number> {
  if ('died' in run) return { run: what, 's': s(run.ms), 'cpu s': '', 'peak MB': '', exit: run.died, output: '', note };
  return { run: what, 's': s(run.ms), 'cpu s': s(run.cpuMs), 'peak MB': run.maxRssMb, exit: run.code, output: run.bytes > 0 ? `${(run.bytes / 1024 / 1024).toFixed(1)} MB` : '', note };
}

/** The naive evaluator's time for every pair (one port), extrapolated from a seeded sample. */
function naiveEstimate(dir: string): { ms: number; pairs: number } {
  const read = readInputs([dir], () => undefined);
  const built = buildModel(read.files, { defaultNamespace: 'default' });
  if (!built.ok) throw new Error('the synthetic manifests do not load');
  const step = predictStep(modelScenario(built.model, 'naive', dir), 0);
  const pods = step.compiled.pods.map((p) => ({ namespace: p.namespace, labels: p.labels, namespaceLabels: p.namespaceLabels, ip: p.ip, ports: p.ports }));
  const naive = new NaiveReference(pods, step.state.policies.map((m) => m.policy));
  const rnd = seededRandom(11);
  const n = pods.length;
  const start = performance.now();
  for (let k = 0; k < NAIVE_SAMPLE; k++) {
    const t = Math.floor(rnd() * n);
    const port = pods[t]!.ports[0];
    if (port) naive.allowed(Math.floor(rnd() * n), t, port.port, port.protocol);
  }
  return { ms: ((performance.now() - start) * n * n) / NAIVE_SAMPLE, pairs: n * n };
}

export const scaleBench: BenchModule = {
  name: 'scale',
  description: 'scan, scan --output json and check of an application of 2,000 workloads, 40 namespaces, 500 policies, against a per-pair baseline (child processes: wall time, peak RSS)',
  async run(options: BenchOptions): Promise<BenchResult> {
    const size = options.quick ? QUICK : FULL;
    const dir = mkdtempSync(join(tmpdir(), 'nph-bench-scale-'));
    try {
      const manifests = join(dir, 'manifests');
      const objects = writeSyntheticManifests(size, manifests);
      options.progress(`${objects} objects in ${manifests}`);
      // The same workloads as a scenario (policies by file reference), for check.
      const read = readInputs([manifests], () => undefined);
      const built = buildModel(read.files, { defaultNamespace: 'default' });
      if (!built.ok) throw new Error('the synthetic manifests do not load');
      const scenarioFile = join(dir, 'scenario.yaml');
      writeFileSync(scenarioFile, renderAppScenario(built.model, { name: 'scale', description: 'scale bench', defaultNamespace: 'default', fileRef: (f) => f, expect: ['deny * -> *'] }));
      const rows: Record<string, string | number>[] = [];
      const loadBefore = loadavg()[0]!;
      const measure = (what: string, mode: string, heapMb: number, note: string): void => {
        options.progress(`${what} ...`);
        const run = child(mode, manifests, scenarioFile, heapMb);
        options.progress(`${what}: ${JSON.stringify(run)}`);
        rows.push(row(what, run, note));
      };
      measure('scan (grouped view)', 'scan', 4096, 'target: < 10 s, < 1.5 GB');
      measure('scan --output json', 'scan-json', 4096, 'every flow with its reason, streamed');
      measure('check (same workloads as a scenario)', 'check', 4096, 'a step of more than 250,000 probes is refused: exit 2');
      measure('per-pair baseline', 'per-pair', 4096, 'every probe planned, predicted and reported at once');
      const naive = naiveEstimate(manifests);
      rows.push({ run: 'naive per-pair evaluator', 's': `~${s(naive.ms)}`, 'cpu s': '', 'peak MB': '', exit: '', output: '', note: `verdicts only, one port, ${NAIVE_SAMPLE} sampled pairs extrapolated to ${naive.pairs.toLocaleString('en-US')}` });
      return {
        bench: 'scale',
        columns: ['run', 's', 'cpu s', 'peak MB', 'exit', 'output', 'note'],
        rows,
        notes: [
          `${size.pods} workloads in ${size.namespaces} namespaces, ${size.policies} policies, one Service each (every fourth remapping 80 -> 8080): ${objects} objects.`,
          'Each run is a child process: s = its wall time after loading modules, cpu s = its user + system CPU time, peak MB = its maxRSS (process.resourceUsage); a run that dies says how.',
          `Load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} CPUs: wall times above the CPU times mean the machine was busy.`,
          'Output is counted, not written (the JSON line of the streamed run is its size).',
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Loader bench: time and memory to load (or refuse) inputs at the limits of
 * src/scenario/limits.ts, generated here: the largest valid scenarios, files at the size limit shaped
 * to be slow for the parser, and the attacks the limits stop (aliases, nesting). Shows that
 * every input ends within seconds and bounded memory, and which stage the time goes to.
 */
import { loadScenarioSource } from '../src/scenario/load-scenario.js';
import { MAX_FILE_BYTES, MAX_WORKLOADS } from '../src/scenario/limits.js';
import type { BenchModule, BenchResult } from './bench-module.js';

const HEAD = ['apiVersion: netpol-harness/v1alpha1', 'kind: Scenario', 'metadata: {name: bench}', 'spec:', '  namespaces: [{name: demo}]'].join('\n');

function workloads(n: number): string {
  const lines = Array.from({ length: n }, (_, i) => `    - {name: w${i}, labels: {app: w${i}, tier: t${i % 7}}, ports: [{port: 80, name: http}]}`);
  return `${HEAD}\n  workloads:\n${lines.join('\n')}\n  steps:\n    - name: open\n      expect: ["allow * -> *"]\n`;
}

/** `text` repeated to just under `bytes`. */
function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.floor(bytes / unit.length));
}

interface Case {
  readonly name: string;
  readonly quick: boolean;
  readonly text: () => string;
}

const CASES: readonly Case[] = [
  { name: '2,000 workloads', quick: true, text: () => workloads(2_000) },
  { name: `${MAX_WORKLOADS.toLocaleString('en')} workloads (the limit)`, quick: false, text: () => workloads(MAX_WORKLOADS) },
  { name: '1 MiB of workloads (too many)', quick: false, text: () => workloads(Math.floor(MAX_FILE_BYTES / 95)).slice(0, MAX_FILE_BYTES) },
  { name: '1 MiB map of unknown keys', quick: false, text: () => `${HEAD}\n${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n')}`.slice(0, MAX_FILE_BYTES) },
  { name: '1 MiB of `- ` after a key', quick: false, text: () => `a: ${fill('- ', MAX_FILE_BYTES - 4)}` },
  { name: '500 kB string x 98 aliases', quick: true, text: () => `${HEAD}\nx: &s "${'x'.repeat(500_000)}"\ny: [${Array(98).fill('*s').join(', ')}]\n` },
  { name: 'nested aliases (billion laughs)', quick: true, text: () => ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `l${i}: &l${i} [${Array(10).fill(i === 0 ? '*a' : `*l${i - 1}`).join(', ')}]`)].join('\n') },
  { name: '1 MiB of nested [', quick: true, text: () => `a: ${'['.repeat(MAX_FILE_BYTES - 3)}` },
];

function outcome(text: string): { ms: number; cpuMs: number; result: string } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = loadScenarioSource(text, 'bench.yaml', () => ({ ok: false, code: 'FILE_NOT_FOUND', reason: 'no manifests in the bench' }));
  const used = process.cpuUsage(cpu);
  const times = { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  if (result.ok) return { ...times, result: `loaded (${result.scenario.workloads.length} workloads)` };
  const codes = [...new Set(result.diagnostics.map((d) => d.code))];
  return { ...times, result: `${codes.join(', ')} (${result.diagnostics.length})` };
}

export const loaderBench: BenchModule = {
  name: 'loader',
  description: 'time and memory to load or refuse inputs at the loader limits',
  async run(options) {
    const rows: BenchResult['rows'][number][] = [];
    for (const c of CASES.filter((x) => x.quick || !options.quick)) {
      options.progress(c.name);
      const text = c.text();
      const { ms, cpuMs, result } = outcome(text);
      rows.push({
        input: c.name,
        'size (KiB)': Math.round(text.length / 1024),
        outcome: result,
        'time (ms)': Math.round(ms),
        'cpu (ms)': Math.round(cpuMs),
        'heap after (MB)': Math.round(process.memoryUsage().heapUsed / 1e6),
        'max RSS (MB)': Math.round(process.resourceUsage().maxRSS / 1024),
      });
    }
    return {
      bench: 'loader',
      columns: ['input', 'size (KiB)', 'outcome', 'time (ms)', 'cpu (ms)', 'heap after (MB)', 'max RSS (MB)'],
      rows,
      notes: [
        'loadScenarioSource on generated text (no file system); one run each, in order, in one process.',
        'cpu counts every thread of the process (the garbage collector too); time is wall clock, which a busy machine stretches.',
        'max RSS only grows: it is the peak of the bench so far, not of the row.',
      ],
    };
  },
};

/**
 * Runs every benchmark: `npm run bench` (tables) or `npm run bench -- --json` (one JSON
 * object per bench per line). `--quick` runs the smallest workloads; `--only <name>` one bench.
 * Adding a bench is one line in BENCHES.
 */
import type { BenchModule, BenchResult } from './bench-module.js';
import { loaderBench } from './loader.js';
import { explainBench } from './explain.js';
import { probeBench } from './probe.js';
import { scaleBench } from './scale.js';
import { simulatorBench } from './simulator.js';

const BENCHES: readonly BenchModule[] = [
  simulatorBench,
  loaderBench,
  explainBench,
  probeBench,
  scaleBench,
];

function renderTable(result: BenchResult): string {
  const widths = result.columns.map((c) => Math.max(c.length, ...result.rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [
    `== ${result.bench}`,
    line(result.columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...result.rows.map((r) => line(result.columns.map((c) => String(r[c] ?? '')))),
    ...result.notes.map((n) => `  * ${n}`),
    '',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const selected = BENCHES.filter((b) => only === undefined || b.name === only);
  if (selected.length === 0) {
    process.stderr.write(`no bench named ${only}; known: ${BENCHES.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  for (const bench of selected) {
    process.stderr.write(`running ${bench.name}: ${bench.description}\n`);
    const result = await bench.run({ quick, progress: (l) => process.stderr.write(`  ${l}\n`) });
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : renderTable(result));
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

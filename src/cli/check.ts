/** `netpol-harness check FILES|DIRS...`: validate and simulate, no dataplane. */
import type { Command } from 'commander';
import { MAX_PROBES_PER_STEP, oversizedSteps } from '../reachability/limits.js';
import { checkScenario } from '../run/check-scenario.js';
import type { OutputFormat } from '../report/reporters.js';
import { openResultSink } from './emit-results.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { loadScenarios, ROOT_OPTION, SCENARIO_PATHS_HELP } from './load-scenarios.js';
import { addOptions, type OptionTable } from './option-table.js';

export interface CheckOptions {
  readonly output: OutputFormat;
  readonly junit?: string;
  readonly markdown?: string;
  readonly root?: string;
  readonly html?: string;
}

/** Shared by `check` and `run`: where the reports go, and what scenarios may read. */
export const REPORT_OPTIONS: OptionTable<CheckOptions> = {
  output: { flags: '-o, --output <format>', description: 'what goes to stdout: table, or json (JSON Lines, one scenario per line)', choices: ['table', 'json'], default: 'table' },
  junit: { flags: '--junit <file>', description: 'also write a JUnit XML report (one testcase per asserted probe)' },
  markdown: { flags: '--markdown <file>', description: 'also write a Markdown report with a Mermaid graph of the allowed flows per step' },
  html: { flags: '--html <file>', description: 'also write an HTML report to open in a browser: one self-contained page, a grid per step, the explanation of any cell on click, a graph of the allowed flows' },
  root: ROOT_OPTION,
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('check')
    .description('validate scenario files and predict every step with the simulator (no cluster needed)')
    .argument('<paths...>', SCENARIO_PATHS_HELP);
  addOptions(command, REPORT_OPTIONS).action(async (paths: string[], options: CheckOptions) => done(await runCheck(paths, options, io)));
}

export async function runCheck(paths: readonly string[], options: CheckOptions, io: CliIo): Promise<ExitCode> {
  const scenarios = loadScenarios(paths, io, options);
  if (!scenarios) return ExitCode.InvalidInput;
  // Every probe of a step is reported, so a step is held whole: refuse what would not fit.
  const oversized = scenarios.flatMap((s) => oversizedSteps(s).map((step) => ({ file: s.file, ...step })));
  if (oversized.length > 0) {
    const lines = oversized.map((o) => `${o.file}: step ${o.index} ("${o.name}") plans ${o.probes.toLocaleString('en-US')} probes`);
    io.stderr(
      `error: ${lines.join('\n       ')}\n` +
        `check reports every probe of a step and holds at most ${MAX_PROBES_PER_STEP.toLocaleString('en-US')} per step.\n` +
        'hint: narrow the scenario (fewer workloads or ports per step), or give the manifests to `netpol-harness scan` (groups at scale, --output json streams).\n',
    );
    return ExitCode.InvalidInput;
  }
  const sink = openResultSink(options, io);
  for (const scenario of scenarios) sink.scenarioDone(await checkScenario(scenario));
  return sink.finish();
}

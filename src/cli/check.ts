/** `netpol-harness check FILES|DIRS...`: validate and simulate, no dataplane. */
import type { Command } from 'commander';
import { checkScenario } from '../run/check-scenario.js';
import type { OutputFormat } from '../report/reporters.js';
import { openResultSink } from './emit-results.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { loadScenarios, SCENARIO_PATHS_HELP } from './load-scenarios.js';
import { addOptions, type OptionTable } from './option-table.js';

export interface CheckOptions {
  readonly output: OutputFormat;
  readonly junit?: string;
  readonly markdown?: string;
  readonly html?: string;
}

/** Shared by `check` and `run`. */
export const REPORT_OPTIONS: OptionTable<CheckOptions> = {
  output: { flags: '-o, --output <format>', description: 'what goes to stdout: table, or json (JSON Lines, one scenario per line)', choices: ['table', 'json'], default: 'table' },
  junit: { flags: '--junit <file>', description: 'also write a JUnit XML report (one testcase per asserted probe)' },
  markdown: { flags: '--markdown <file>', description: 'also write a Markdown report with a Mermaid graph of the allowed flows per step' },
  html: { flags: '--html <file>', description: 'also write an HTML report to open in a browser: one self-contained page, a grid per step, the explanation of any cell on click, a graph of the allowed flows' },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('check')
    .description('validate scenario files and predict every step with the simulator (no cluster needed)')
    .argument('<paths...>', SCENARIO_PATHS_HELP);
  addOptions(command, REPORT_OPTIONS).action(async (paths: string[], options: CheckOptions) => done(await runCheck(paths, options, io)));
}

export async function runCheck(paths: readonly string[], options: CheckOptions, io: CliIo): Promise<ExitCode> {
  const scenarios = loadScenarios(paths, io, options.output);
  if (!scenarios) return ExitCode.InvalidInput;
  const sink = openResultSink(options, io);
  for (const scenario of scenarios) sink.scenarioDone(await checkScenario(scenario));
  return sink.finish();
}

/** `netpol-harness explain FILE --step N "frontend -> backend:80"`: why the simulator predicts what it does. */
import type { Command } from 'commander';
import { planProbes } from '../probe/plan-probes.js';
import { resolveState } from '../run/resolve-state.js';
import { expectationFor } from '../scenario/match-expectation.js';
import { parseExpectation } from '../scenario/parse-expectation.js';
import { stepStates } from '../scenario/step-states.js';
import type { Scenario, Step } from '../scenario/types.js';
import { renderExplanation } from '../simulator/explain.js';
import { planTopology } from '../simulator/plan-topology.js';
import { compileState, predict } from '../simulator/simulate.js';
import { quote } from '../quote-value.js';
import { escapeTerminal, escapeTerminalLines } from '../report/escape.js';
import { ExitCode } from './exit-codes.js';
import { UsageError, type CliIo } from './io.js';
import { ROOT_OPTION, loadScenarios } from './load-scenarios.js';
import { addOptions, type OptionTable } from './option-table.js';

export interface ExplainOptions {
  readonly step: string;
  readonly root?: string;
}

const EXPLAIN_OPTIONS: OptionTable<ExplainOptions> = {
  step: { flags: '-s, --step <step>', description: 'the step: its index as `check` shows it (0-based), or its name; default: the last step' , default: '' },
  root: ROOT_OPTION,
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('explain')
    .description('explain the predicted verdict of flows: the policies isolating each side, the rule that allows, or the missing DNS egress')
    .argument('<file>', 'a scenario file')
    .argument('<flow>', 'flows as in expectations, without the verdict: "frontend -> backend:80", "* -> dns", "demo/* -> db"');
  addOptions(command, EXPLAIN_OPTIONS).action((file: string, flow: string, options: ExplainOptions) => done(runExplain(file, flow, options, io)));
}

export function runExplain(file: string, flow: string, options: ExplainOptions, io: CliIo): ExitCode {
  const scenario = loadScenarios([file], io, { output: 'table', root: options.root })?.[0];
  if (!scenario) return ExitCode.InvalidInput;
  const step = findStep(scenario, options.step);
  const names = { namespaces: new Set(scenario.namespaces.map((n) => n.name)), workloads: scenario.workloads, externals: scenario.externals };
  const parsed = parseExpectation(`allow ${flow}`, names);
  if (!parsed.ok) throw new UsageError(`cannot read the flow ${quote(flow)}: ${parsed.issues.map((i) => i.message).join('; ')}`);
  const pattern = { ...parsed, text: flow, origin: { file, range: [0, 0] as const } };

  const topology = planTopology(scenario);
  const state = resolveState(stepStates(scenario)[step.index]!, topology);
  const compiled = compileState(state, topology);
  const probes = planProbes(scenario, state, step.probe, topology).filter((p) => expectationFor([pattern], p, scenario));
  if (probes.length === 0) throw new UsageError(`no probe of step ${step.index} (${quote(step.name)}) matches ${quote(flow)}`);
  // Step names and expectations are the scenario author's text: escaped for the terminal.
  io.stdout(`${escapeTerminal(scenario.name)}, step ${step.index}: ${escapeTerminal(step.name)}\n\n`);
  io.stdout(escapeTerminalLines(probes.map((p) => renderExplanation(predict(compiled, p), p)).join('\n\n')) + '\n');
  return ExitCode.Pass;
}

function findStep(scenario: Scenario, wanted: string): Step {
  if (wanted === '') return scenario.steps[scenario.steps.length - 1]!;
  const byIndex = /^\d+$/.test(wanted) ? scenario.steps[Number(wanted)] : undefined;
  const step = byIndex ?? scenario.steps.find((s) => s.name === wanted);
  if (!step) {
    throw new UsageError(`no step ${quote(wanted)} in ${scenario.file}; steps: ${scenario.steps.map((s) => `${s.index} ${quote(s.name)}`).join(', ')}`);
  }
  return step;
}

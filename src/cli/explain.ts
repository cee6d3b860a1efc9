/** `netpol-harness explain FILE --step N "frontend -> backend:80"`: why the simulator predicts what it does. */
import type { Command } from 'commander';
import { planProbes } from '../probe/plan-probes.js';
import { stepTitle } from '../report/display-names.js';
import { resolveState } from '../run/resolve-state.js';
import { expectationFor } from '../scenario/match-expectation.js';
import { parseExpectation } from '../scenario/parse-expectation.js';
import { stepStates } from '../scenario/step-states.js';
import type { Expectation, Scenario, Step, Verdict } from '../scenario/types.js';
import { explainers } from '../simulator/explain.js';
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
  step: { flags: '-s, --step <step>', description: 'the step: its number as reports show it (1 = the first step), or its name; default: the last step', default: '' },
  root: ROOT_OPTION,
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('explain')
    .description('explain the predicted verdict of flows: the policies isolating each side, the rule that allows, or for a denial the closest rule of each policy and what fails in it, and the DNS lookup a Service name needs')
    .argument('<file>', 'a scenario file')
    .argument('<flow>', 'flows as in expectations, without the verdict: "frontend -> backend:80", "* -> dns", "demo/* -> db"');
  addOptions(command, EXPLAIN_OPTIONS).action((file: string, flow: string, options: ExplainOptions) => done(runExplain(file, flow, options, io)));
}

export function runExplain(file: string, flow: string, options: ExplainOptions, io: CliIo): ExitCode {
  const scenario = loadScenarios([file], io, { output: 'table', root: options.root })?.[0];
  if (!scenario) return ExitCode.InvalidInput;
  const step = findStep(scenario, options.step);
  const dnsProtocols = step.probe.dnsProtocols;
  const names = { namespaces: new Set(scenario.namespaces.map((n) => n.name)), workloads: scenario.workloads, externals: scenario.externals, ...(dnsProtocols ? { dnsProtocols } : {}) };
  const parsed = parseExpectation(`allow ${flow}`, names);
  if (!parsed.ok) throw new UsageError(`cannot read the flow ${quote(flow)}: ${parsed.issues.map((i) => i.message).join('; ')}`);
  const pattern = { ...parsed, text: flow, origin: { file, range: [0, 0] as const } };

  const topology = planTopology(scenario);
  const state = resolveState(stepStates(scenario)[step.index]!, topology);
  const compiled = compileState(state, topology);
  const probes = planProbes(scenario, state, step.probe, topology).filter((p) => expectationFor([pattern], p, scenario));
  if (probes.length === 0) throw new UsageError(`no probe of ${stepTitle(step, scenario.steps.length)} matches ${quote(flow)}`);
  const { explain } = explainers(compiled, state);
  const blocks = probes.map((p) => {
    const prediction = predict(compiled, p);
    const [head, ...rest] = explain(prediction, p);
    return [head, `  ${expectationLine(expectationFor(step.expect, p, scenario), prediction.allowed ? 'allow' : 'deny')}`, ...rest].join('\n');
  });
  // Step names, expectations and quoted policies are the scenario author's text: escaped for the terminal.
  io.stdout(`${escapeTerminal(`${scenario.name} ${stepTitle(step, scenario.steps.length)}`)}\n\n`);
  io.stdout(`${escapeTerminalLines(blocks.join('\n\n'))}\n`);
  return ExitCode.Pass;
}

/** `expected deny (`deny * -> web`) · predicted deny: as expected`, side by side. */
function expectationLine(expectation: Expectation | undefined, predicted: Verdict): string {
  if (!expectation) return `expected: nothing (no expectation of the step matches) · predicted: ${predicted}`;
  const agreement = expectation.verdict === predicted ? 'as expected' : 'DIFFERS from the expectation';
  return `expected: ${expectation.verdict} (\`${expectation.text}\`) · predicted: ${predicted}: ${agreement}`;
}

/** A step by its 1-based number (as reports show it) or by its name. */
function findStep(scenario: Scenario, wanted: string): Step {
  if (wanted === '') return scenario.steps[scenario.steps.length - 1]!;
  const byName = scenario.steps.find((s) => s.name === wanted);
  const byNumber = /^\d+$/.test(wanted) ? scenario.steps[Number(wanted) - 1] : undefined;
  const step = byName ?? byNumber;
  if (!step) {
    throw new UsageError(`no step ${quote(wanted)} in ${scenario.file}; steps: ${scenario.steps.map((s) => `${s.index + 1} ${quote(s.name)}`).join(', ')}`);
  }
  return step;
}

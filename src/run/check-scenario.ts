/** `check`: the whole scenario through the simulator alone, on its deterministic address plan. */
import { planProbes } from '../probe/plan-probes.js';
import { buildScenarioResult, buildStepResult } from '../report/build-result.js';
import type { ScenarioResult } from '../report/result.js';
import { stepStates } from '../scenario/step-states.js';
import type { Scenario } from '../scenario/types.js';
import { describePrediction } from '../simulator/explain.js';
import { planTopology } from '../simulator/plan-topology.js';
import { compileState, predict } from '../simulator/simulate.js';
import { resolveState } from './resolve-state.js';

/** Predicts every step; pure. */
export function checkScenario(scenario: Scenario): ScenarioResult {
  const topology = planTopology(scenario);
  const states = stepStates(scenario);
  const steps = scenario.steps.map((step) => {
    const state = resolveState(states[step.index]!, topology);
    const compiled = compileState(state, topology);
    const probes = planProbes(scenario, state, step.probe, topology);
    const predictions = new Map(probes.map((p) => [p.key, predict(compiled, p)]));
    return buildStepResult({ scenario, step, probes, predictions, describe: describePrediction });
  });
  return buildScenarioResult(scenario, steps);
}

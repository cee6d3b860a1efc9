/**
 * One step of a scenario predicted source by source, so that a matrix of millions of cells
 * is produced and consumed in slices (one source's probes at a time) rather than held whole.
 * `check` materialises a step; `scan` and `diff` stream it. Pure.
 */
import { sourcePlanner, type SourcePlanner } from '../probe/plan-probes.js';
import type { Probe } from '../probe/types.js';
import { buildProbeResult } from '../report/build-result.js';
import type { ProbeResult } from '../report/result.js';
import { resolveState } from '../run/resolve-state.js';
import { stepStates } from '../scenario/step-states.js';
import type { ClusterState, Scenario, Step, WorkloadSpec } from '../scenario/types.js';
import { explainers } from '../simulator/explain.js';
import { planTopology } from '../simulator/plan-topology.js';
import { compileState, predict, type CompiledState } from '../simulator/simulate.js';
import type { Prediction } from '../simulator/types.js';

/** A probe and what the simulator predicts for it. */
export interface PredictedProbe {
  readonly probe: Probe;
  readonly prediction: Prediction;
}

export interface PredictedStep {
  readonly scenario: Scenario;
  readonly step: Step;
  /** The state in force after the step, placeholders resolved on the simulator's address plan. */
  readonly state: ClusterState;
  readonly compiled: CompiledState;
  readonly planner: SourcePlanner;
  /** The one-line reason of a prediction of this step (the JSON `reason`). */
  describe(prediction: Prediction, probe: Probe): string;
  /** The probes of one source with their predictions, in plan order. */
  predictFrom(source: WorkloadSpec): PredictedProbe[];
}

/** Step `index` of `scenario`, ready to be predicted source by source. */
export function predictStep(scenario: Scenario, index: number): PredictedStep {
  const step = scenario.steps[index];
  if (!step) throw new Error(`scenario ${scenario.name} has no step ${index}`);
  const topology = planTopology(scenario);
  const state = resolveState(stepStates(scenario)[index]!, topology);
  const compiled = compileState(state, topology);
  const planner = sourcePlanner(scenario, state, step.probe);
  return {
    scenario,
    step,
    state,
    compiled,
    planner,
    describe: explainers(compiled, state).describe,
    predictFrom: (source) => planner.probesFrom(source).map((probe) => ({ probe, prediction: predict(compiled, probe) })),
  };
}

/**
 * The result of a predicted probe when the prediction is what is expected (as `scan` reports
 * the matrix, and as `check` reports the scenario `scan --out` writes): `expected` equals
 * `predicted`, so every probe passes.
 */
export function matrixProbeResult({ scenario, describe }: Pick<PredictedStep, 'scenario' | 'describe'>, { probe, prediction }: PredictedProbe): ProbeResult {
  const result = buildProbeResult({ scenario, step: NO_EXPECTATIONS, probe, predictions: new Map([[probe.key, prediction]]), describe });
  return { ...result, expected: result.predicted, pass: true };
}

const NO_EXPECTATIONS = { expect: [] };

/**
 * Compares the three columns of every probe (DESIGN "The job": expected, predicted, observed)
 * and builds the machine-readable result of SCENARIO-FORMAT.md. Pure.
 */
import { targetName } from '../probe/plan-probes.js';
import type { Probe, ProbeKey } from '../probe/types.js';
import type { Observation } from '../run/judge-observation.js';
import { expectationFor } from '../scenario/match-expectation.js';
import type { Scenario, Step, Verdict } from '../scenario/types.js';
import type { Prediction } from '../simulator/types.js';
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';

/** Renders a prediction's reason as one line (simulator/explain.ts `explainers`). */
export type DescribePrediction = (prediction: Prediction, probe: Probe) => string;

/** Renders a prediction's full explanation as lines (simulator/explain.ts `explainers`). */
export type ExplainPrediction = (prediction: Prediction, probe: Probe) => readonly string[];

export interface StepInput {
  readonly scenario: Scenario;
  readonly step: Step;
  /** The step's plan, in plan order; the result keeps this order. */
  readonly probes: readonly Probe[];
  /** One prediction per probe key; a missing one is a bug and throws. */
  readonly predictions: ReadonlyMap<ProbeKey, Prediction>;
  /**
   * One judged observation per probe key under `run`; undefined under `check`. A key missing
   * from a present map counts as inconclusive (outcome `error`).
   */
  readonly observations?: ReadonlyMap<ProbeKey, Observation> | undefined;
  /** Probes whose observation flapped while settling: they fail. */
  readonly flapped?: ReadonlySet<ProbeKey> | undefined;
  /** The cluster fact that decided each probe's prediction, where one did. */
  readonly clusterFacts?: ReadonlyMap<ProbeKey, string> | undefined;
  readonly describe: DescribePrediction;
  /** When given, every probe result carries its full `explanation`. */
  readonly explain?: ExplainPrediction;
}

/**
 * Whether one probe passes: the expectation, when there is one, equals the prediction, and
 * under `run` the observation is conclusive and equals the prediction too. An inconclusive
 * observation (`observed === null`) fails under `run`.
 */
export function isProbePass(expected: Verdict | null, predicted: Verdict, observed: Verdict | null, observing: boolean, flapped = false): boolean {
  return (expected === null || expected === predicted) && (!observing || (observed !== null && observed === predicted && !flapped));
}

/** The result of one probe; field order is the JSON contract's. */
export function buildProbeResult(input: Omit<StepInput, 'probes' | 'step'> & { readonly step: Pick<Step, 'expect'>; readonly probe: Probe }): ProbeResult {
  const { probe } = input;
  const prediction = input.predictions.get(probe.key);
  if (!prediction) throw new Error(`no prediction for probe ${probe.key}`);
  const expectation = expectationFor(input.step.expect, probe, input.scenario);
  const expected = expectation?.verdict ?? null;
  const predicted: Verdict = prediction.allowed ? 'allow' : 'deny';
  const observation: Observation | undefined = input.observations
    ? (input.observations.get(probe.key) ?? { outcome: { kind: 'error', detail: 'no outcome returned' }, verdict: null, inconclusive: 'no outcome returned' })
    : undefined;
  const outcome = observation?.outcome;
  const observed = observation?.verdict ?? null;
  const flapped = input.flapped?.has(probe.key) === true;
  const clusterFact = input.clusterFacts?.get(probe.key);
  const portName = probe.to.kind === 'workload' ? probe.to.portName : undefined;
  return {
    from: probe.from,
    to: targetName(probe.to),
    port: probe.port,
    protocol: probe.protocol,
    expected,
    predicted,
    observed,
    // The fact that decided the verdict belongs in the reason, where every report shows it.
    reason: clusterFact === undefined ? input.describe(prediction, probe) : `${input.describe(prediction, probe)}; decided by this cluster: ${clusterFact}`,
    pass: isProbePass(expected, predicted, observed, outcome !== undefined, flapped),
    ...(outcome ? { outcome: outcome.kind } : {}),
    ...(portName !== undefined ? { portName } : {}),
    ...(expectation ? { expectation: expectation.text } : {}),
    ...(observation?.inconclusive !== undefined ? { inconclusive: observation.inconclusive } : {}),
    ...(flapped ? { flapped: true as const } : {}),
    ...(clusterFact !== undefined ? { clusterFact } : {}),
    ...(probe.service ? { service: probe.service.name, servicePort: probe.service.port } : {}),
    ...(input.explain ? { explanation: input.explain(prediction, probe) } : {}),
  };
}

/** The result of one step: passes when every probe passes (a step without probes passes). */
export function buildStepResult(input: StepInput): StepResult {
  const probes = input.probes.map((probe) => buildProbeResult({ ...input, probe }));
  return { index: input.step.index, name: input.step.name, pass: probes.every((p) => p.pass), probes };
}

/** The result of a scenario: passes when every step passes. */
export function buildScenarioResult(scenario: Pick<Scenario, 'name' | 'file' | 'tags'>, steps: readonly StepResult[]): ScenarioResult {
  return { scenario: scenario.name, file: scenario.file, pass: steps.every((s) => s.pass), steps, ...(scenario.tags !== undefined ? { tags: scenario.tags } : {}) };
}

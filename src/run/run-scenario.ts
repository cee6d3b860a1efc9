/**
 * Runs one scenario on a backend: set up, then per step apply the state, predict, probe,
 * re-probe until observations settle, and build the step's result. Always tears down unless
 * asked to keep.
 */
import type { Backend, BackendContext, Topology } from '../backends/backend.js';
import type { Outcome, Probe, ProbeKey } from '../probe/types.js';
import { observedVerdict } from '../probe/types.js';
import { planProbes } from '../probe/plan-probes.js';
import { buildScenarioResult, buildStepResult } from '../report/build-result.js';
import type { RunEnvironment, ScenarioResult, StepResult } from '../report/result.js';
import { resolveState } from './resolve-state.js';
import { stepStates } from '../scenario/step-states.js';
import type { Scenario } from '../scenario/types.js';
import { compileState, predict } from '../simulator/simulate.js';
import { describePrediction } from '../simulator/explain.js';
import type { Prediction } from '../simulator/types.js';
import type { Clock } from './clock.js';

export interface RunOptions {
  /** How long cells that disagree with the prediction are re-probed after a step. */
  readonly settleTimeoutMs: number;
  /** Re-probes of inconclusive (error) outcomes before giving up. */
  readonly inconclusiveRetries: number;
  /** Leave everything in place for inspection. */
  readonly keep: boolean;
  readonly clock: Clock;
  readonly ctx: BackendContext;
  /** Fills `environment` of the result (backend kind, enforcement verdict, CNI). */
  readonly environment: RunEnvironment;
}

/** Runs every step of `scenario` on `backend`; tears down in all cases unless `keep`. */
export async function runScenario(scenario: Scenario, backend: Backend, options: RunOptions): Promise<ScenarioResult> {
  const { ctx } = options;
  try {
    ctx.progress(`${scenario.name}: setting up ${scenario.workloads.length} workloads on ${backend.kind}`);
    const topology = await backend.setUp(scenario, ctx);
    const states = stepStates(scenario);
    const steps: StepResult[] = [];
    for (const step of scenario.steps) {
      ctx.signal.throwIfAborted();
      const state = resolveState(states[step.index]!, topology);
      await backend.apply(state, ctx);
      const compiled = compileState(state, topology);
      const probes = planProbes(scenario, state, step.probe, topology);
      const predictions = new Map<ProbeKey, Prediction>(probes.map((p) => [p.key, predict(compiled, p)]));
      ctx.progress(`${scenario.name}: step ${step.index + 1}/${scenario.steps.length} "${step.name}": ${probes.length} probes`);
      const settled = await probeUntilSettled(backend, probes, predictions, options);
      const result = buildStepResult({
        scenario,
        step,
        probes,
        predictions,
        observations: settled.observations,
        describe: describePrediction,
      });
      steps.push({ ...result, convergedMs: settled.convergedMs, flapped: settled.flapped });
    }
    return withEnvironment(buildScenarioResult(scenario, steps), options.environment, topology);
  } finally {
    if (!options.keep) {
      ctx.progress(`${scenario.name}: cleaning up`);
      await backend.tearDown();
    }
  }
}

function withEnvironment(result: ScenarioResult, environment: RunEnvironment, topology: Topology): ScenarioResult {
  const nodes = topology.nodes ? Object.fromEntries([...topology.nodes].sort(([a], [b]) => a.localeCompare(b))) : undefined;
  return { ...result, environment: nodes ? { ...environment, nodes } : environment };
}

export interface Settled {
  readonly observations: ReadonlyMap<ProbeKey, Outcome>;
  /** ms from the first probe until every cell agreed, or until the deadline. */
  readonly convergedMs: number;
  /** Keys whose observed verdict changed between rounds. */
  readonly flapped: readonly string[];
}

/**
 * DESIGN "Probing": after a change the dataplane needs time. Cells whose observation disagrees
 * with the prediction, and inconclusive ones, are re-probed until they agree or the settle
 * deadline passes. A cell that changes verdict more than once is reported as flapping.
 */
export async function probeUntilSettled(
  backend: Backend,
  probes: readonly Probe[],
  predictions: ReadonlyMap<ProbeKey, Prediction>,
  options: Pick<RunOptions, 'settleTimeoutMs' | 'inconclusiveRetries' | 'clock' | 'ctx'>,
): Promise<Settled> {
  const { clock, ctx } = options;
  const start = clock.now();
  const observations = new Map(await backend.probe(probes, ctx));
  const changes = new Map<ProbeKey, number>();
  let errorRounds = 0;
  for (;;) {
    const pending = probes.filter((p) => !agrees(observations.get(p.key), predictions.get(p.key)));
    if (pending.length === 0) break;
    const onlyErrors = pending.every((p) => observations.get(p.key)?.kind === 'error');
    const elapsed = clock.now() - start;
    if (onlyErrors ? errorRounds >= options.inconclusiveRetries : elapsed >= options.settleTimeoutMs) break;
    if (onlyErrors) errorRounds += 1;
    ctx.signal.throwIfAborted();
    ctx.progress(`  ${pending.length} probe(s) disagree with the prediction; re-probing (${Math.round(elapsed / 1000)} s)`);
    await clock.sleep(Math.min(1000, Math.max(0, options.settleTimeoutMs - elapsed)));
    const again = await backend.probe(pending, ctx);
    for (const [key, outcome] of again) {
      const before = observations.get(key);
      if (before && before.kind !== 'error' && outcome.kind !== 'error' && observedVerdict(before) !== observedVerdict(outcome)) {
        changes.set(key, (changes.get(key) ?? 0) + 1);
      }
      observations.set(key, outcome);
    }
  }
  const flapped = [...changes].filter(([, n]) => n > 1).map(([key]) => key).sort();
  return { observations, convergedMs: clock.now() - start, flapped };
}

function agrees(outcome: Outcome | undefined, prediction: Prediction | undefined): boolean {
  if (!outcome || !prediction) return false;
  const observed = observedVerdict(outcome);
  return observed !== null && (observed === 'allow') === prediction.allowed;
}

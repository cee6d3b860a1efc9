/**
 * The one step loop, for `check` and `run` alike: set up, then per step apply the state,
 * predict, and (when observing) probe until a full round agrees or the settle budget is spent;
 * then build the step's result. Always tears down unless asked to keep. `check` runs it on the
 * simulated backend without probing.
 */
import { UnsupportedError, type Backend, type BackendContext, type Topology } from '../backends/backend.js';
import type { Probe, ProbeKey } from '../probe/types.js';
import { planProbes } from '../probe/plan-probes.js';
import { buildScenarioResult, buildStepResult } from '../report/build-result.js';
import type { RunEnvironment, ScenarioResult, StepResult } from '../report/result.js';
import { stepStates } from '../scenario/step-states.js';
import type { Scenario, Step, Verdict } from '../scenario/types.js';
import { compileState, predict, type CompileOptions } from '../simulator/simulate.js';
import { explainers } from '../simulator/explain.js';
import type { Prediction } from '../simulator/types.js';
import type { Clock } from '../util/clock.js';
import { pollUntil } from '../util/poll-until.js';
import { factsDecidingVerdicts } from './cluster-facts.js';
import { judgeObservation, type Observation } from './judge-observation.js';
import { timePhase, type Phase, type PhaseTimings } from './phase-timings.js';
import { resolveState } from './resolve-state.js';

export interface RunOptions {
  /**
   * false (`check`): predict only, no probe is sent and `observed` stays null. true (`run`):
   * probe every step and settle.
   */
  readonly observe: boolean;
  /** After the first round of a step, how long rounds are repeated until one fully agrees, ms. */
  readonly settleTimeoutMs: number;
  /** Further rounds when only inconclusive probes keep a step from agreeing. */
  readonly inconclusiveRetries: number;
  /**
   * Pause after a step changed something, before its first round: how long this dataplane
   * takes to enforce a change (the canary measured it), ms.
   */
  readonly enforceDelayMs: number;
  /** Leave everything in place for inspection. */
  readonly keep: boolean;
  readonly clock: Clock;
  readonly ctx: BackendContext;
  /** Fills `environment` of the result (backend kind, enforcement verdict, CNI). */
  readonly environment?: RunEnvironment;
  /** How predictions read the spec where CNIs differ (a CNI profile); default standard. */
  readonly compile?: CompileOptions;
  /** Each phase's duration is added here. */
  readonly timings?: PhaseTimings;
}

/** Runs every step of `scenario` on `backend`; tears down in all cases unless `keep`. */
export async function runScenario(scenario: Scenario, backend: Backend, options: RunOptions): Promise<ScenarioResult> {
  const { ctx } = options;
  const timed = <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => timePhase(options.timings, phase, fn);
  const known = backend.unsupported?.(scenario);
  if (known !== undefined) return finish(scenario, [], options, undefined, known);
  const steps: StepResult[] = [];
  let topology: Topology | undefined;
  try {
    if (options.observe) ctx.progress(`${scenario.name}: setting up ${scenario.workloads.length} workloads on ${backend.kind}`);
    const ready = await timed('set-up', () => backend.setUp(scenario, ctx));
    topology = ready;
    const states = stepStates(scenario);
    for (const step of scenario.steps) {
      ctx.signal.throwIfAborted();
      const state = resolveState(states[step.index]!, ready);
      await timed('apply', () => backend.apply(state, ctx));
      const appliedAt = options.clock.now();
      const compiled = compileState(state, ready, options.compile);
      const probes = planProbes(scenario, state, step.probe, ready);
      const predictions = new Map<ProbeKey, Prediction>(probes.map((p) => [p.key, predict(compiled, p)]));
      const clusterFacts = factsDecidingVerdicts(state, ready, probes, predictions, options.compile);
      if (!options.observe) {
        steps.push(buildStepResult({ scenario, step, probes, predictions, clusterFacts, ...explainers(compiled, state) }));
        continue;
      }
      ctx.progress(`${scenario.name}: step ${step.index + 1}/${scenario.steps.length} "${step.name}": ${probes.length} probes`);
      // The first step also follows whatever the backend held before (a shared topology's previous case).
      const changed = step.index === 0 || changesSomething(step);
      const settled = await settle(backend, probes, predictions, { ...options, changed, appliedAt });
      const result = buildStepResult({
        scenario,
        step,
        probes,
        predictions,
        observations: settled.observations,
        flapped: new Set(settled.flapped),
        clusterFacts,
        ...explainers(compiled, state),
      });
      steps.push({
        ...result,
        ...(settled.convergedMs !== undefined ? { convergedMs: settled.convergedMs } : {}),
        rounds: settled.rounds,
        flapped: settled.flapped,
      });
    }
    return finish(scenario, steps, options, topology);
  } catch (error) {
    if (error instanceof UnsupportedError) return finish(scenario, steps, options, topology, error);
    throw error;
  } finally {
    if (!options.keep) {
      if (options.observe) ctx.progress(`${scenario.name}: cleaning up`);
      await timed('teardown', () => backend.tearDown());
    } else await backend.release?.();
  }
}

function changesSomething(step: Step): boolean {
  return step.delete.length + step.apply.length + step.label.length > 0;
}

function finish(
  scenario: Scenario,
  steps: readonly StepResult[],
  options: RunOptions,
  topology: Topology | undefined,
  unsupported?: UnsupportedError,
): ScenarioResult {
  const result = buildScenarioResult(scenario, steps);
  const nodes = topology?.nodes ? Object.fromEntries([...topology.nodes].sort(([a], [b]) => a.localeCompare(b))) : undefined;
  const facts = topology?.facts?.map((f) => f.text);
  const environment = options.environment
    ? { ...options.environment, ...(nodes ? { nodes } : {}), ...(facts !== undefined && facts.length > 0 ? { clusterFacts: facts } : {}) }
    : undefined;
  return {
    ...result,
    ...(unsupported ? { pass: false, unsupported: { feature: unsupported.feature, reason: unsupported.message } } : {}),
    ...(environment ? { environment } : {}),
  };
}

export interface Settled {
  readonly observations: ReadonlyMap<ProbeKey, Observation>;
  /** ms from the end of the apply until the round in which every probe agreed ended; undefined if none did. */
  readonly convergedMs?: number;
  /** Full rounds probed. */
  readonly rounds: number;
  /** Keys whose observed verdict flapped, sorted. */
  readonly flapped: readonly ProbeKey[];
}

export interface SettleOptions extends Pick<RunOptions, 'settleTimeoutMs' | 'inconclusiveRetries' | 'enforceDelayMs' | 'clock' | 'ctx' | 'timings'> {
  /** Whether the step changed the dataplane (then it gets `enforceDelayMs` first). */
  readonly changed: boolean;
  /** `clock.now()` when the apply returned. */
  readonly appliedAt: number;
}

/**
 * Verdicts that cannot be fooled: every round probes ALL cells of the step, so the step's
 * verdict comes from one round in which every cell agrees, never from cells that agreed by
 * chance in an earlier, transient state. The settle budget starts after the first round. A
 * cell whose verdict leaves the predicted one after reaching it (or changes twice) flaps, and
 * fails. Rounds that disagree only by inconclusive cells are retried `inconclusiveRetries`
 * times.
 */
export async function settle(backend: Backend, probes: readonly Probe[], predictions: ReadonlyMap<ProbeKey, Prediction>, options: SettleOptions): Promise<Settled> {
  const { clock, ctx } = options;
  const timed = <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => timePhase(options.timings, phase, fn);
  if (options.changed && options.enforceDelayMs > 0) await timed('wait', () => clock.sleep(options.enforceDelayMs));
  const history = new Map<ProbeKey, Verdict[]>();
  let rounds = 0;
  let inconclusiveRounds = 0;
  const round = async (): Promise<Round> => {
    const outcomes = await backend.probe(probes, ctx);
    rounds += 1;
    if (options.timings) options.timings.probesSent += probes.length;
    const observations = new Map<ProbeKey, Observation>();
    let disagree = 0;
    let inconclusive = 0;
    for (const probe of probes) {
      const prediction = predictions.get(probe.key)!;
      const outcome = outcomes.get(probe.key) ?? { kind: 'error' as const, detail: 'no outcome returned' };
      const observation = judgeObservation(outcome, prediction, probe);
      observations.set(probe.key, observation);
      if (observation.verdict === null) inconclusive += 1;
      else {
        history.set(probe.key, [...(history.get(probe.key) ?? []), observation.verdict]);
        if ((observation.verdict === 'allow') !== prediction.allowed) disagree += 1;
      }
    }
    // Only inconclusive cells left: a few more rounds, not the whole settle budget.
    const onlyInconclusive = disagree === 0 && inconclusive > 0;
    const final = (disagree === 0 && inconclusive === 0) || (onlyInconclusive && inconclusiveRounds++ >= options.inconclusiveRetries);
    return { observations, agreed: disagree === 0 && inconclusive === 0, final, pending: disagree + inconclusive };
  };
  let last = await timed('probe', round);
  if (!last.final && options.settleTimeoutMs > 0) {
    ctx.progress(`  ${last.pending} probe(s) disagree with the prediction or are inconclusive; re-probing every cell`);
    // The budget starts now, after the first round: a slow first round still leaves room.
    const polled = await timed('settle', () => pollUntil(round, (r) => r.final, { timeoutMs: options.settleTimeoutMs, intervalMs: 1000, pauseFirst: true, clock, signal: ctx.signal }));
    last = polled.value;
  }
  const flapped = probes
    .filter((p) => flaps(history.get(p.key) ?? [], predictions.get(p.key)!.allowed ? 'allow' : 'deny'))
    .map((p) => p.key)
    .sort();
  return { observations: last.observations, ...(last.agreed ? { convergedMs: clock.now() - options.appliedAt } : {}), rounds, flapped };
}

interface Round {
  readonly observations: ReadonlyMap<ProbeKey, Observation>;
  /** Every probe agreed with its prediction. */
  readonly agreed: boolean;
  /** No further round is needed. */
  readonly final: boolean;
  /** Probes that disagreed or were inconclusive. */
  readonly pending: number;
}

/** A cell flaps when its verdict leaves the predicted one after reaching it, or changes twice. */
export function flaps(verdicts: readonly Verdict[], predicted: Verdict): boolean {
  let changes = 0;
  let reached = false;
  for (let i = 0; i < verdicts.length; i++) {
    if (i > 0 && verdicts[i] !== verdicts[i - 1]) {
      changes += 1;
      if (reached) return true;
    }
    if (verdicts[i] === predicted) reached = true;
  }
  return changes >= 2;
}

/**
 * `check`: the step loop of `run` on the simulated backend, predicting without probing, on the
 * simulator's deterministic address plan.
 */
import { createSimulatedBackend } from '../backends/simulated/simulated-backend.js';
import type { ScenarioResult } from '../report/result.js';
import type { Scenario } from '../scenario/types.js';
import type { CompileOptions } from '../simulator/simulate.js';
import { systemClock } from '../util/clock.js';
import { runScenario } from './run-scenario.js';

/** Predicts every step of `scenario` (with the standard semantics unless `compile` says otherwise). */
export function checkScenario(scenario: Scenario, compile?: CompileOptions): Promise<ScenarioResult> {
  return runScenario(scenario, createSimulatedBackend(compile ? { compile } : {}), {
    observe: false,
    settleTimeoutMs: 0,
    inconclusiveRetries: 0,
    enforceDelayMs: 0,
    keep: false,
    clock: systemClock,
    ctx: { signal: new AbortController().signal, progress: () => {} },
    ...(compile ? { compile } : {}),
  });
}

/**
 * `--output json`: JSON Lines, one `ScenarioResult` per line, fields in the order of
 * SCENARIO-FORMAT.md ("Machine-readable result"), extensions after the contract's fields.
 * Pure and deterministic.
 */
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';

/** Re-creates the objects in contract order, so the line reads like the documented example. */
export function toJsonResult(result: ScenarioResult): ScenarioResult {
  return {
    scenario: result.scenario,
    file: result.file,
    pass: result.pass,
    steps: result.steps.map(toJsonStep),
    ...(result.tags !== undefined ? { tags: result.tags } : {}),
    ...(result.environment !== undefined ? { environment: result.environment } : {}),
    ...(result.unsupported !== undefined ? { unsupported: result.unsupported } : {}),
  };
}

function toJsonStep(step: StepResult): StepResult {
  return {
    index: step.index,
    name: step.name,
    pass: step.pass,
    probes: step.probes.map(toJsonProbe),
    ...(step.convergedMs !== undefined ? { convergedMs: step.convergedMs } : {}),
    ...(step.rounds !== undefined ? { rounds: step.rounds } : {}),
    ...(step.flapped !== undefined ? { flapped: step.flapped } : {}),
  };
}

/** One probe result in contract order (for writers that stream probes one by one). */
export function toJsonProbe(p: ProbeResult): ProbeResult {
  return {
    from: p.from,
    to: p.to,
    port: p.port,
    protocol: p.protocol,
    expected: p.expected,
    predicted: p.predicted,
    observed: p.observed,
    reason: p.reason,
    pass: p.pass,
    ...(p.outcome !== undefined ? { outcome: p.outcome } : {}),
    ...(p.portName !== undefined ? { portName: p.portName } : {}),
    ...(p.expectation !== undefined ? { expectation: p.expectation } : {}),
    ...(p.inconclusive !== undefined ? { inconclusive: p.inconclusive } : {}),
    ...(p.flapped !== undefined ? { flapped: p.flapped } : {}),
    ...(p.clusterFact !== undefined ? { clusterFact: p.clusterFact } : {}),
    ...(p.service !== undefined ? { service: p.service } : {}),
    ...(p.servicePort !== undefined ? { servicePort: p.servicePort } : {}),
  };
}

/** One line per scenario, each ending in a newline; '' for no results. */
export function renderJsonl(results: readonly ScenarioResult[], _options?: unknown): string {
  return results.map((r) => `${JSON.stringify(toJsonResult(r))}\n`).join('');
}

import { sourcePlanner } from '../probe/plan-probes.js';
import type { Scenario } from '../scenario/types.js';

/**
 * How many probe results of one step a command holds in memory at once. A result with its
 * reason takes about 1 KB with its probe and prediction, so this bounds a step to a few
 * hundred MB; larger matrices are streamed (`scan --output json`) or grouped (`scan`), and
 * `check` refuses them with exit 2 rather than running out of memory.
 */
export const MAX_PROBES_PER_STEP = 250_000;

/** Above this many workloads `scan`'s table is the grouped view (a truth table would be unreadable). */
export const GROUPED_VIEW_ABOVE_WORKLOADS = 30;

/** A step whose probes are too many to hold, and how many it plans. */
export interface OversizedStep {
  readonly index: number;
  readonly name: string;
  readonly probes: number;
}

/** The steps of `scenario` planning more than MAX_PROBES_PER_STEP probes (counted, not planned). */
export function oversizedSteps(scenario: Scenario): OversizedStep[] {
  const state = { namespaces: scenario.namespaces, workloads: scenario.workloads, policies: [] };
  return scenario.steps
    .map((step) => ({ index: step.index, name: step.name, probes: sourcePlanner(scenario, state, step.probe).count() }))
    .filter((s) => s.probes > MAX_PROBES_PER_STEP);
}

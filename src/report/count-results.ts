/** Pass/fail tallies shared by the reporters. Pure. */
import { OUTCOME_KINDS, type OutcomeKind } from '../probe/types.js';
import type { ProbeResult, ScenarioResult } from './result.js';

export interface Tally {
  readonly passed: number;
  readonly failed: number;
}

export interface Totals {
  readonly scenarios: Tally;
  readonly steps: Tally;
  readonly probes: Tally;
  /** Probes with an expectation (`expected !== null`). */
  readonly asserted: number;
}

function tally<T extends { readonly pass: boolean }>(items: readonly T[]): Tally {
  const passed = items.filter((i) => i.pass).length;
  return { passed, failed: items.length - passed };
}

/** Counts scenarios, steps and probes that passed and failed. */
export function countResults(results: readonly ScenarioResult[]): Totals {
  const steps = results.flatMap((r) => r.steps);
  const probes = steps.flatMap((s) => s.probes);
  return {
    scenarios: tally(results),
    steps: tally(steps),
    probes: tally(probes),
    asserted: probes.filter((p) => p.expected !== null).length,
  };
}

/**
 * How many probes ended in each outcome kind, in `OUTCOME_KINDS` order, zero counts left out;
 * empty under `check` (no outcomes).
 */
export function countOutcomes(probes: readonly ProbeResult[]): Array<readonly [OutcomeKind, number]> {
  return OUTCOME_KINDS.map((kind) => [kind, probes.filter((p) => p.outcome === kind).length] as const).filter(([, n]) => n > 0);
}

/** `ok 6 · timeout 3 · error 1`, or '' when nothing was observed. */
export function formatOutcomes(probes: readonly ProbeResult[]): string {
  return countOutcomes(probes)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(' · ');
}

/** `observed deny (timeout)`, `inconclusive (error)`, or '' under `check`. */
export function formatObserved(probe: Pick<ProbeResult, 'observed' | 'outcome'>): string {
  if (probe.outcome === undefined) return '';
  return probe.observed === null ? `inconclusive (${probe.outcome})` : `${probe.observed} (${probe.outcome})`;
}

/** What went wrong with a failed probe, e.g. `expected allow, predicted deny, observed deny (timeout)`. */
export function describeMismatch(probe: ProbeResult): string {
  const parts = [`expected ${probe.expected ?? 'nothing'}`, `predicted ${probe.predicted}`];
  const observed = formatObserved(probe);
  if (observed) parts.push(`observed ${observed}`);
  return parts.join(', ');
}
